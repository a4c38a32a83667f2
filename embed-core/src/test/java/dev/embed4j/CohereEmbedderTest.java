package dev.embed4j;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.time.Duration;
import java.util.List;
import okhttp3.mockwebserver.MockWebServer;
import okhttp3.mockwebserver.RecordedRequest;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The Cohere path against scripted replies. */
class CohereEmbedderTest {
  private static final ObjectMapper JSON = new ObjectMapper();

  private final MockWebServer server = new MockWebServer();
  private Embedder embedder;

  @BeforeEach
  void start() throws IOException {
    server.start();
  }

  @AfterEach
  void stop() throws IOException {
    if (embedder != null) {
      embedder.close();
    }
    server.shutdown();
  }

  private Embedder.Builder builder(String model) {
    return Embedder.builder()
        .model(model)
        .apiKey("co-test-key")
        .baseUrl(server.url("/").toString())
        .initialBackoff(Duration.ofMillis(1))
        .maxBackoff(Duration.ofMillis(5))
        .learnRateLimits(false)
        .requestTimeout(Duration.ofSeconds(5));
  }

  private static JsonNode body(RecordedRequest request) throws IOException {
    return JSON.readTree(request.getBody().readUtf8());
  }

  @Test
  void sendsTheDocumentedRequestWithSearchDocumentByDefault() throws Exception {
    server.enqueue(Replies.cohere(List.of(Replies.vector(1, 1024), Replies.vector(2, 1024)), 7));
    embedder = builder("cohere:embed-english-v3.0").build();

    EmbeddingRun run = embedder.embed(List.of("first", "second"));

    RecordedRequest request = server.takeRequest();
    assertThat(request.getPath()).isEqualTo("/v2/embed");
    assertThat(request.getHeader("Authorization")).isEqualTo("Bearer co-test-key");
    JsonNode body = body(request);
    assertThat(body.get("model").asText()).isEqualTo("embed-english-v3.0");
    assertThat(body.get("texts").toString()).isEqualTo("[\"first\",\"second\"]");
    assertThat(body.get("input_type").asText()).isEqualTo("search_document");
    assertThat(body.get("embedding_types").toString()).isEqualTo("[\"float\"]");
    assertThat(body.get("truncate").asText()).as("no silent truncation").isEqualTo("NONE");
    assertThat(body.has("output_dimension")).isFalse();

    assertThat(run.vectors()).extracting(v -> v[0]).containsExactly(1f, 2f);
    assertThat(run.tokens()).as("from meta.billed_units.input_tokens").isEqualTo(7);
    assertThat(run.cost()).isEqualByComparingTo("0.0000007");
  }

  @Test
  void sendsTheInputTypeAndOutputDimensionOfEmbedV4() throws Exception {
    server.enqueue(Replies.cohere(List.of(Replies.vector(1, 512)), 3));
    embedder =
        builder("embed-v4.0")
            .inputType(InputType.SEARCH_QUERY)
            .dimensions(512)
            .truncate(true)
            .build();

    EmbeddingRun run = embedder.embed(List.of("query"));

    JsonNode body = body(server.takeRequest());
    assertThat(body.get("input_type").asText()).isEqualTo("search_query");
    assertThat(body.get("output_dimension").asInt()).isEqualTo(512);
    assertThat(body.get("truncate").asText()).isEqualTo("END");
    assertThat(run.vector(0)).hasSize(512);
  }

  @Test
  void batchesAreCappedAtNinetySixTexts() throws Exception {
    // one request at a time, so that the scripted replies meet their batches in order
    embedder = builder("embed-english-light-v3.0").batchSize(500).maxConcurrentRequests(1).build();
    for (int i = 0; i < 3; i++) {
      int n = i < 2 ? 96 : 8;
      server.enqueue(Replies.cohere(java.util.Collections.nCopies(n, Replies.vector(i, 384)), n));
    }
    List<String> texts =
        java.util.stream.IntStream.range(0, 200).mapToObj(i -> "text " + i).toList();

    EmbeddingRun run = embedder.embed(texts);

    assertThat(run.batches()).extracting(BatchOutcome::size).containsExactly(96, 96, 8);
    for (int i = 0; i < 3; i++) {
      assertThat(body(server.takeRequest()).get("texts").size()).isLessThanOrEqualTo(96);
    }
    assertThat(run.isComplete()).isTrue();
  }

  @Test
  void aCohere429IsRetriedAfterRetryAfterSeconds() {
    server.enqueue(
        Replies.json(
                429,
                "{\"message\":\"You are using a Trial key, which is limited to 100 API calls / minute\"}")
            .setHeader("retry-after", "0"));
    server.enqueue(Replies.cohere(List.of(Replies.vector(3, 1024)), 2));
    embedder = builder("embed-english-v3.0").build();

    EmbeddingRun run = embedder.embed(List.of("x"));

    assertThat(run.isComplete()).isTrue();
    assertThat(run.rateLimited()).isEqualTo(1);
  }

  @Test
  void aCohereErrorMessageIsReported() {
    server.enqueue(Replies.json(400, "{\"message\":\"invalid request: texts must not be empty\"}"));
    embedder = builder("embed-english-v3.0").build();

    EmbeddingRun run = embedder.embed(List.of("x"));

    assertThat(run.batches().get(0).error().orElseThrow())
        .hasMessageContaining("HTTP 400")
        .hasMessageContaining("texts must not be empty");
    assertThatThrownBy(run::vectors).isInstanceOf(IncompleteRunException.class);
  }
}
