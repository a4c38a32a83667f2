package dev.embed4j.langchain4j;

import static org.assertj.core.api.Assertions.assertThat;

import dev.embed4j.BatchOutcome;
import dev.embed4j.Embedder;
import dev.embed4j.EmbeddingRun;
import dev.embed4j.InputType;
import dev.embed4j.ModelSpec;
import dev.embed4j.ProviderException;
import dev.embed4j.spi.EmbeddingProvider;
import dev.langchain4j.data.embedding.Embedding;
import dev.langchain4j.data.segment.TextSegment;
import dev.langchain4j.exception.AuthenticationException;
import dev.langchain4j.exception.HttpException;
import dev.langchain4j.exception.InternalServerException;
import dev.langchain4j.exception.InvalidRequestException;
import dev.langchain4j.exception.RateLimitException;
import dev.langchain4j.model.embedding.EmbeddingModel;
import dev.langchain4j.model.embedding.onnx.allminilml6v2.AllMiniLmL6V2EmbeddingModel;
import dev.langchain4j.model.embedding.request.EmbeddingInputType;
import dev.langchain4j.model.embedding.request.EmbeddingParameter;
import dev.langchain4j.model.embedding.request.EmbeddingRequest;
import dev.langchain4j.model.embedding.request.EmbeddingRequestParameters;
import dev.langchain4j.model.embedding.response.EmbeddingResponse;
import dev.langchain4j.model.output.Response;
import dev.langchain4j.model.output.TokenUsage;
import java.math.BigDecimal;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;

class LangChain4jEmbeddingProviderTest {

  private static final ModelSpec FAKE =
      ModelSpec.builder(LangChain4jEmbeddingProvider.ID, "fake")
          .dimensions(4)
          .reducibleFrom(1)
          .pricePerMillionTokens(new BigDecimal("1.00"))
          .build();

  @Test
  void miniLmThroughTheEngine_returnsTheVectorsOfTheModelCalledDirectly() {
    List<String> texts = new ArrayList<>();
    for (int i = 0; i < 40; i++) {
      texts.add(
          "Sentence "
              + i
              + ": "
              + (i % 2 == 0
                  ? "the cat sleeps on the warm windowsill"
                  : "quarterly revenue grew by " + i + " percent"));
    }
    List<TextSegment> segments = texts.stream().map(TextSegment::from).toList();
    Response<List<Embedding>> direct = new AllMiniLmL6V2EmbeddingModel().embedAll(segments);

    EmbeddingRun run;
    try (Embedder embedder = LangChain4jEmbeddingProvider.allMiniLmL6V2().batchSize(8).build()) {
      run = embedder.embed(texts);
    }

    assertThat(run.batches()).hasSize(5);
    assertThat(run.dimensions()).isEqualTo(384);
    for (int i = 0; i < texts.size(); i++) {
      assertThat(run.vector(i))
          .as("vector %d", i)
          .containsExactly(direct.content().get(i).vector());
    }
    assertThat(run.tokens()).isEqualTo(direct.tokenUsage().inputTokenCount().longValue());
    assertThat(run.cost()).isEqualByComparingTo(BigDecimal.ZERO);
  }

  @Test
  void describe_givesTheReadySpecForMiniLm_andNameAndDimensionOtherwise() {
    assertThat(LangChain4jEmbeddingProvider.describe(new AllMiniLmL6V2EmbeddingModel()))
        .isEqualTo(LangChain4jEmbeddingProvider.ALL_MINILM_L6_V2);

    ModelSpec spec = LangChain4jEmbeddingProvider.describe(new ScriptedModel());

    assertThat(spec.id()).isEqualTo("langchain4j:scripted");
    assertThat(spec.dimensions()).isEqualTo(4);
    assertThat(spec.pricePerMillionTokens()).isEqualByComparingTo(BigDecimal.ZERO);
  }

  @Test
  void anyModel_getsTheEnginesBatchingAndCost() {
    ScriptedModel model = new ScriptedModel();
    EmbeddingRun run;
    try (Embedder embedder =
        LangChain4jEmbeddingProvider.embedder(model).model(FAKE).batchSize(3).build()) {
      run = embedder.embed(List.of("a", "b", "c", "d", "e", "f", "g"));
    }

    assertThat(run.batches()).hasSize(3);
    assertThat(model.requests).hasSize(3);
    assertThat(run.vector(6)).containsExactly(ScriptedModel.vector("g", 4));
    assertThat(run.tokens()).isEqualTo(7 * 10);
    assertThat(run.cost()).isEqualByComparingTo(new BigDecimal("0.00007"));
  }

  @Test
  void rateLimit_isRetriedAsAnEmbed4jRateLimit() {
    ScriptedModel model = new ScriptedModel().failFirst(new RateLimitException("slow down"));

    EmbeddingRun run = runOne(model);

    assertThat(run.isComplete()).isTrue();
    assertThat(run.retries()).isEqualTo(1);
    assertThat(run.rateLimited()).isEqualTo(1);
  }

  @Test
  void otherRetriableExceptions_andRetryableHttpStatuses_areRetried() {
    ScriptedModel model =
        new ScriptedModel()
            .failFirst(new InternalServerException("oops"))
            .failFirst(new HttpException(503, "unavailable"));

    EmbeddingRun run = runOne(model);

    assertThat(run.isComplete()).isTrue();
    assertThat(run.retries()).isEqualTo(2);
  }

  @Test
  void authenticationException_failsTheBatchAtOnce_asAnEmbed4jAuthenticationException() {
    ScriptedModel model = new ScriptedModel().failFirst(new AuthenticationException("bad key"));

    BatchOutcome batch = runOne(model).batches().get(0);

    assertThat(batch.attempts()).isEqualTo(1);
    assertThat(batch.error().orElseThrow())
        .isInstanceOf(dev.embed4j.AuthenticationException.class)
        .hasMessageContaining("AuthenticationException: bad key");
  }

  @Test
  void nonRetriableException_failsTheBatchAtOnce_withTheOriginalAsCause() {
    InvalidRequestException invalid = new InvalidRequestException("too long");
    ScriptedModel model = new ScriptedModel().failFirst(invalid);

    BatchOutcome batch = runOne(model).batches().get(0);

    assertThat(batch.attempts()).isEqualTo(1);
    assertThat(batch.error().orElseThrow())
        .isInstanceOf(ProviderException.class)
        .hasCause(invalid)
        .satisfies(e -> assertThat(e.isRetryable()).isFalse());
  }

  @Test
  void tokenUsage_isPassedOn_orMinusOneWhenTheModelReportsNone() {
    EmbeddingProvider.Request request =
        EmbeddingProvider.Request.of(FAKE, List.of("x", "y"), 4, null, false);

    assertThat(LangChain4jEmbeddingProvider.of(new ScriptedModel()).embed(request).tokens())
        .isEqualTo(20);
    assertThat(
            LangChain4jEmbeddingProvider.of(new ScriptedModel().withoutUsage())
                .embed(request)
                .tokens())
        .isEqualTo(-1);
  }

  @Test
  void reducedDimensionsAndInputType_arePassedAsLangChain4jParameters() {
    ScriptedModel model = new ScriptedModel();
    LangChain4jEmbeddingProvider provider = LangChain4jEmbeddingProvider.of(model);

    EmbeddingProvider.Result result =
        provider.embed(
            EmbeddingProvider.Request.of(FAKE, List.of("q"), 2, InputType.SEARCH_QUERY, false));
    provider.embed(EmbeddingProvider.Request.of(FAKE, List.of("d"), 4, null, false));

    assertThat(result.vectors().get(0)).hasSize(2);
    assertThat(model.requests.get(0).dimensions()).isEqualTo(2);
    assertThat(model.requests.get(0).inputType()).isEqualTo(EmbeddingInputType.QUERY);
    assertThat(model.requests.get(1).parameters().presentParameters()).isEmpty();
  }

  @Test
  void inputTypeLangChain4jCannotExpress_failsWithoutRetry() {
    ScriptedModel model = new ScriptedModel();
    EmbeddingRun run;
    try (Embedder embedder =
        LangChain4jEmbeddingProvider.embedder(model)
            .model(FAKE)
            .inputType(InputType.CLUSTERING)
            .build()) {
      run = embedder.embed(List.of("x"));
    }

    assertThat(run.batches().get(0).attempts()).isEqualTo(1);
    assertThat(run.batches().get(0).error().orElseThrow()).hasMessageContaining("CLUSTERING");
    assertThat(model.requests).isEmpty();
  }

  private static EmbeddingRun runOne(ScriptedModel model) {
    try (Embedder embedder =
        LangChain4jEmbeddingProvider.embedder(model)
            .model(FAKE)
            .maxAttempts(3)
            .initialBackoff(Duration.ofMillis(1))
            .maxBackoff(Duration.ofMillis(2))
            .build()) {
      return embedder.embed(List.of("one text"));
    }
  }

  /**
   * A LangChain4j model that first throws the scripted failures, then embeds each text as a vector
   * derived from its hash, billing 10 tokens per text.
   */
  static final class ScriptedModel implements EmbeddingModel {
    final List<EmbeddingRequest> requests = new CopyOnWriteArrayList<>();
    private final Deque<RuntimeException> failures = new ArrayDeque<>();
    private boolean usage = true;

    ScriptedModel failFirst(RuntimeException e) {
      failures.add(e);
      return this;
    }

    ScriptedModel withoutUsage() {
      usage = false;
      return this;
    }

    static float[] vector(String text, int dims) {
      float[] v = new float[dims];
      for (int i = 0; i < dims; i++) {
        v[i] = (text.hashCode() % 97) + i;
      }
      return v;
    }

    @Override
    public synchronized EmbeddingResponse doEmbed(EmbeddingRequest request) {
      RuntimeException failure = failures.poll();
      if (failure != null) {
        throw failure;
      }
      requests.add(request);
      int dims = request.dimensions() == null ? 4 : request.dimensions();
      List<Embedding> embeddings =
          request.inputs().stream().map(in -> Embedding.from(vector(in.text(), dims))).toList();
      return EmbeddingResponse.builder()
          .embeddings(embeddings)
          .tokenUsage(usage ? new TokenUsage(10 * embeddings.size()) : null)
          .build();
    }

    @Override
    public Set<EmbeddingParameter<?>> supportedParameters() {
      return Set.of(EmbeddingRequestParameters.DIMENSIONS, EmbeddingRequestParameters.INPUT_TYPE);
    }

    @Override
    public int dimension() {
      return 4;
    }

    @Override
    public String modelName() {
      return "scripted";
    }
  }
}
