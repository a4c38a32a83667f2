package dev.embed4j;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.knuddels.jtokkit.Encodings;
import com.knuddels.jtokkit.api.Encoding;
import com.knuddels.jtokkit.api.EncodingType;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import okhttp3.mockwebserver.MockWebServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Bad input is refused with its index before anything is sent; bad settings fail at build(). */
class ValidationTest {
  /** OpenAI's tokenizer, straight from jtokkit: the oracle for the engine's counts. */
  private static final Encoding CL100K =
      Encodings.newDefaultEncodingRegistry().getEncoding(EncodingType.CL100K_BASE);

  private final MockWebServer server = new MockWebServer();
  private Embedder embedder;

  @BeforeEach
  void start() throws IOException {
    server.start();
    embedder =
        Embedder.builder()
            .model("text-embedding-3-small")
            .apiKey("sk-test")
            .baseUrl(server.url("/").toString())
            .build();
  }

  @AfterEach
  void stop() throws IOException {
    embedder.close();
    server.shutdown();
  }

  @Test
  void nullInput_isRefusedWithItsIndex() {
    assertThatThrownBy(() -> embedder.embed(Arrays.asList("ok", null, "ok")))
        .isInstanceOfSatisfying(
            InvalidInputException.class, e -> assertThat(e.index()).isEqualTo(1))
        .hasMessageContaining("Input 1 is null")
        .hasMessageContaining("Nothing was sent");
    assertThat(server.getRequestCount()).isZero();
  }

  @Test
  void emptyInput_isRefusedWithItsIndex() {
    assertThatThrownBy(() -> embedder.embed(List.of("ok", "ok", "")))
        .isInstanceOfSatisfying(
            InvalidInputException.class, e -> assertThat(e.index()).isEqualTo(2))
        .hasMessageContaining("Input 2 is empty");
    assertThat(server.getRequestCount()).isZero();
  }

  @Test
  void blankInput_isRefusedWithItsIndex_alsoByEmbedAsync() {
    assertThatThrownBy(() -> embedder.embedAsync(List.of(" \n\t")))
        .isInstanceOfSatisfying(InvalidInputException.class, e -> assertThat(e.index()).isZero())
        .hasMessageContaining("Input 0 is blank");
    assertThat(server.getRequestCount()).isZero();
  }

  @Test
  void inputOverThePerInputTokenLimit_isRefusedWithItsIndexAndCount() {
    String huge = "word ".repeat(9000);
    int tokens = CL100K.countTokensOrdinary(huge);
    assertThatThrownBy(() -> embedder.embed(List.of("fine", huge)))
        .isInstanceOfSatisfying(
            InvalidInputException.class, e -> assertThat(e.index()).isEqualTo(1))
        .hasMessageContaining("Input 1 has " + tokens + " tokens, more than the 8192")
        .hasMessageContaining("truncate(true)");
    assertThat(server.getRequestCount()).isZero();
  }

  @Test
  void truncateTrue_cutsAnOverLongInputToTheLimitWithTheTokenizer() throws Exception {
    server.enqueue(Replies.openAiInOrder(1, 1, 1536, 8192));
    try (Embedder truncating = embedder.newBuilder().truncate(true).build()) {
      EmbeddingRun run = truncating.embed(List.of("word ".repeat(9000)));
      String sent =
          new com.fasterxml.jackson.databind.ObjectMapper()
              .readTree(server.takeRequest().getBody().readUtf8())
              .get("input")
              .get(0)
              .asText();
      assertThat(CL100K.countTokensOrdinary(sent)).isEqualTo(8192);
      assertThat(run.texts().get(0)).as("the run keeps the caller's text").hasSize(45000);
    }
  }

  @Test
  void emptyList_isAnEmptyCompleteRunWithoutRequests() {
    EmbeddingRun run = embedder.embed(List.of());
    assertThat(run.isComplete()).isTrue();
    assertThat(run.vectors()).isEmpty();
    assertThat(run.batches()).isEmpty();
    assertThat(server.getRequestCount()).isZero();
  }

  @Test
  void estimate_countsTokensBatchesAndCostWithoutSending() {
    List<String> texts = new ArrayList<>(Collections.nCopies(130, "hello world"));
    CostEstimate estimate = embedder.estimate(texts);

    assertThat(estimate.texts()).isEqualTo(130);
    assertThat(estimate.tokens()).isEqualTo(260);
    assertThat(estimate.batches()).isEqualTo(3);
    assertThat(estimate.exact()).isTrue();
    assertThat(estimate.cost()).isEqualByComparingTo("0.0000052");
    assertThat(server.getRequestCount()).isZero();
  }

  @Test
  void dimensions_notAcceptedByTheModel_failsAtBuild() {
    assertThatThrownBy(
            () ->
                Embedder.builder()
                    .model("text-embedding-ada-002")
                    .apiKey("k")
                    .dimensions(256)
                    .build())
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("openai:text-embedding-ada-002 does not accept dimensions=256")
        .hasMessageContaining("only its native 1536");
    assertThatThrownBy(
            () -> Embedder.builder().model("embed-v4.0").apiKey("k").dimensions(300).build())
        .hasMessageContaining("one of [256, 512, 1024, 1536]");
    assertThatThrownBy(
            () ->
                Embedder.builder().model("embed-english-v3.0").apiKey("k").dimensions(512).build())
        .hasMessageContaining("does not accept dimensions=512");
  }

  @Test
  void inputType_onAnOpenAiModel_failsAtBuild() {
    assertThatThrownBy(
            () ->
                Embedder.builder()
                    .model("text-embedding-3-small")
                    .apiKey("k")
                    .inputType(InputType.SEARCH_QUERY)
                    .build())
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("takes no input type");
  }

  @Test
  void missingKey_namesTheVariableToSet() {
    assertThatThrownBy(
            () ->
                Embedder.builder()
                    .model("text-embedding-3-small")
                    .environment(name -> null)
                    .build())
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("set the OPENAI_API_KEY environment variable");
    assertThatThrownBy(
            () -> Embedder.builder().model("cohere:embed-v4.0").environment(name -> null).build())
        .hasMessageContaining("COHERE_API_KEY");
  }

  @Test
  void keyAndBaseUrl_comeFromTheEnvironment() throws Exception {
    server.enqueue(Replies.cohere(List.of(Replies.vector(1, 1024)), 1));
    Map<String, String> env =
        Map.of("COHERE_API_KEY", "from-env", "COHERE_BASE_URL", server.url("/").toString());
    try (Embedder fromEnv =
        Embedder.builder().model("embed-english-v3.0").environment(env::get).build()) {
      fromEnv.embed(List.of("x"));
    }
    assertThat(server.takeRequest().getHeader("Authorization")).isEqualTo("Bearer from-env");
  }

  @Test
  void plainHttp_onANonLoopbackHost_needsAnExplicitOptIn() {
    assertThatThrownBy(
            () -> Embedder.builder().apiKey("k").baseUrl("http://embeddings.example.com").build())
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("allowInsecureHttp(true)");
    Embedder.builder()
        .apiKey("k")
        .baseUrl("http://embeddings.example.com")
        .allowInsecureHttp(true)
        .build()
        .close();
    Embedder.builder().apiKey("k").baseUrl("http://localhost:1234").build().close();
    Embedder.builder().apiKey("k").baseUrl("http://[::1]:1234").build().close();
  }

  @Test
  void unknownModel_listsTheKnownOnes() {
    assertThatThrownBy(() -> Embedder.builder().model("text-embedding-4").apiKey("k").build())
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("Unknown embedding model 'text-embedding-4'")
        .hasMessageContaining("openai:text-embedding-3-small")
        .hasMessageContaining("cohere:embed-v4.0");
  }

  @Test
  void unknownModel_onAnOpenAiCompatibleServer_isAcceptedWithBaseUrlAndDimensions()
      throws Exception {
    server.enqueue(Replies.openAiInOrder(1, 1, 768, 3));
    try (Embedder local =
        Embedder.builder()
            .model("openai:nomic-embed-text")
            .apiKey("k")
            .baseUrl(server.url("/").toString())
            .dimensions(768)
            .build()) {
      EmbeddingRun run = local.embed(List.of("x"));
      assertThat(run.vector(0)).hasSize(768);
      assertThat(run.cost()).isEqualByComparingTo("0");
    }
    assertThat(server.takeRequest().getBody().readUtf8())
        .contains("\"model\":\"nomic-embed-text\"")
        .doesNotContain("dimensions");
  }

  @Test
  void builderSetters_rejectBadValuesAtOnce() {
    Embedder.Builder b = Embedder.builder();
    assertThatThrownBy(() -> b.batchSize(0)).hasMessage("batchSize must be positive, was 0");
    assertThatThrownBy(() -> b.maxConcurrentRequests(0))
        .hasMessageContaining("maxConcurrentRequests");
    assertThatThrownBy(() -> b.maxAttempts(-1)).hasMessageContaining("maxAttempts");
    assertThatThrownBy(() -> b.requestTimeout(java.time.Duration.ZERO))
        .hasMessageContaining("requestTimeout");
    assertThatThrownBy(() -> b.maxCost(java.math.BigDecimal.ZERO)).hasMessageContaining("maxCost");
    assertThatThrownBy(() -> b.apiKey(" ")).hasMessageContaining("apiKey");
  }

  @Test
  void theKeyNeverAppearsInToString() {
    try (Embedder e =
        Embedder.builder().apiKey("sk-VERY-SECRET").baseUrl(server.url("/").toString()).build()) {
      assertThat(e.toString())
          .doesNotContain("sk-VERY-SECRET")
          .contains("openai:text-embedding-3-small");
    }
  }
}
