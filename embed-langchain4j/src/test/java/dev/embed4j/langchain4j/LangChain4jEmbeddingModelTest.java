package dev.embed4j.langchain4j;

import static dev.langchain4j.model.embedding.request.EmbeddingRequestParameters.DIMENSIONS;
import static dev.langchain4j.model.embedding.request.EmbeddingRequestParameters.INPUT_TYPE;
import static dev.langchain4j.model.embedding.request.EmbeddingRequestParameters.MODEL_NAME;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.embed4j.EmbedListener;
import dev.embed4j.Embedder;
import dev.embed4j.EmbeddingRun;
import dev.embed4j.IncompleteRunException;
import dev.embed4j.InputType;
import dev.embed4j.InvalidInputException;
import dev.embed4j.emulator.EmbeddingEmulator;
import dev.langchain4j.data.embedding.Embedding;
import dev.langchain4j.data.segment.TextSegment;
import dev.langchain4j.exception.AuthenticationException;
import dev.langchain4j.exception.InternalServerException;
import dev.langchain4j.exception.InvalidRequestException;
import dev.langchain4j.exception.ModelNotFoundException;
import dev.langchain4j.exception.RateLimitException;
import dev.langchain4j.exception.UnsupportedFeatureException;
import dev.langchain4j.model.ModelProvider;
import dev.langchain4j.model.embedding.listener.EmbeddingModelErrorContext;
import dev.langchain4j.model.embedding.listener.EmbeddingModelListener;
import dev.langchain4j.model.embedding.listener.EmbeddingModelRequestContext;
import dev.langchain4j.model.embedding.listener.EmbeddingModelResponseContext;
import dev.langchain4j.model.embedding.request.EmbeddingInputType;
import dev.langchain4j.model.embedding.request.EmbeddingRequest;
import dev.langchain4j.model.embedding.response.EmbeddingResponse;
import dev.langchain4j.model.output.Response;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.math.BigDecimal;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * The adapter end to end against the local emulator, which accepts only the key {@code test-key}.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class LangChain4jEmbeddingModelTest {
  private static final String SMALL = "text-embedding-3-small";
  private static final String COHERE = "embed-english-v3.0";
  private static final BigDecimal MILLION = BigDecimal.valueOf(1_000_000);

  // OpenAI replies list their items shuffled, as some compatible servers do: order must come from
  // the indices.
  private final EmbeddingEmulator emulator =
      EmbeddingEmulator.builder().apiKeys("test-key").shuffleOrder(true).start();
  private final List<Embedder> built = new ArrayList<>();

  @BeforeEach
  void resetStats() {
    emulator.stats().reset();
  }

  @AfterEach
  void closeEmbedders() {
    built.forEach(Embedder::close);
    built.clear();
  }

  @AfterAll
  void stopEmulator() {
    emulator.close();
  }

  /** An embedder for the emulator, with short back-offs. */
  private Embedder.Builder embedder(String model) {
    return Embedder.builder()
        .model(model)
        .apiKey("test-key")
        .baseUrl(emulator.baseUrl())
        .initialBackoff(Duration.ofMillis(1))
        .maxBackoff(Duration.ofMillis(5));
  }

  /** The model over the embedder {@code configured} builds, which is closed after the test. */
  private LangChain4jEmbeddingModel model(
      Embedder.Builder configured, EmbeddingModelListener... listeners) {
    Embedder embedder = configured.build();
    built.add(embedder);
    return LangChain4jEmbeddingModel.builder(embedder).listeners(List.of(listeners)).build();
  }

  @Test
  void embedAll_keepsInputOrderAcrossManyParallelBatches_andNotifiesListenersOnce() {
    CountingListener listener = new CountingListener();
    AtomicInteger batches = new AtomicInteger();
    LangChain4jEmbeddingModel model =
        model(
            embedder(SMALL)
                .batchSize(16)
                .maxConcurrentRequests(8)
                .listener(
                    new EmbedListener() {
                      @Override
                      public void batchSucceeded(dev.embed4j.BatchOutcome batch) {
                        batches.incrementAndGet();
                      }
                    }),
            listener);
    List<TextSegment> segments = new ArrayList<>();
    long tokens = 0;
    for (int i = 0; i < 2000; i++) {
      String text = "Segment " + i + " of the handbook, chapter " + (i % 37) + ".";
      segments.add(TextSegment.from(text));
      tokens += EmbeddingEmulator.expectedTokens(text);
    }

    Response<List<Embedding>> response = model.embedAll(segments);

    assertThat(response.content()).hasSize(2000);
    for (int i = 0; i < 2000; i++) {
      assertThat(response.content().get(i).vector())
          .as("vector %d", i)
          .containsExactly(EmbeddingEmulator.expectedVector(SMALL, null, segments.get(i).text()));
    }
    assertThat(emulator.stats().batchSizes()).hasSize(125).containsOnly(16);
    assertThat(batches).hasValue(125);
    assertThat(response.tokenUsage().inputTokenCount()).isEqualTo((int) tokens);
    assertThat(listener.requests).hasValue(1);
    assertThat(listener.responses).hasValue(1);
    assertThat(listener.errors).hasValue(0);
    // The cost reaches LangChain4j listeners through the response metadata.
    Embed4jResponseMetadata metadata =
        (Embed4jResponseMetadata) listener.lastResponse.get().metadata();
    assertThat(metadata.cost())
        .isEqualByComparingTo(
            new BigDecimal("0.02").multiply(BigDecimal.valueOf(tokens)).divide(MILLION));
    assertThat(metadata.run().batches()).hasSize(125);
    assertThat(model.embedder().totalTokens()).isEqualTo(tokens);
  }

  @Test
  void metadata_carriesTokensAndCostAtTheRegistryPrice() {
    LangChain4jEmbeddingModel model = model(embedder(COHERE));
    List<String> texts =
        List.of("Cohere bills input tokens.", "Embed4j prices them from the registry.");

    EmbeddingResponse response =
        model.embed(EmbeddingRequest.builder().inputs(texts.toArray(String[]::new)).build());

    long tokens = texts.stream().mapToLong(EmbeddingEmulator::expectedTokens).sum();
    Embed4jResponseMetadata metadata = (Embed4jResponseMetadata) response.metadata();
    assertThat(metadata.modelName()).isEqualTo(COHERE);
    assertThat(metadata.tokenUsage().inputTokenCount()).isEqualTo((int) tokens);
    assertThat(metadata.tokenUsage().outputTokenCount()).isNull();
    assertThat(metadata.cost())
        .isEqualByComparingTo(
            new BigDecimal("0.10").multiply(BigDecimal.valueOf(tokens)).divide(MILLION));
    assertThat(metadata.run().tokens()).isEqualTo(tokens);
    assertThat(model.embedder().totalCost()).isEqualByComparingTo(metadata.cost());
  }

  @Test
  void dimensionsParameter_returnsShortenedVectors() {
    LangChain4jEmbeddingModel model = model(embedder(SMALL));

    EmbeddingResponse response =
        model.embed(EmbeddingRequest.builder().input("short, please").dimensions(256).build());

    assertThat(response.embeddings().get(0).vector())
        .containsExactly(EmbeddingEmulator.expectedVector(SMALL, null, "short, please", 256));
    assertThat(model.dimension()).isEqualTo(1536);
  }

  @Test
  void embedderDimensions_becomeTheModelsDimension_andItsDefaultParameter() {
    LangChain4jEmbeddingModel model = model(embedder(SMALL).dimensions(512));

    Response<Embedding> response = model.embed("hello");

    assertThat(model.dimension()).isEqualTo(512);
    assertThat(model.defaultRequestParameters().dimensions()).isEqualTo(512);
    assertThat(response.content().vector())
        .containsExactly(EmbeddingEmulator.expectedVector(SMALL, null, "hello", 512));
  }

  @Test
  void cohereInputType_queryIsSearchQuery_documentAndDefaultAreSearchDocument() {
    LangChain4jEmbeddingModel model = model(embedder(COHERE));
    String text = "Where is the invoice?";

    float[] asDefault = model.embed(text).content().vector();
    float[] asQuery =
        model
            .embed(
                EmbeddingRequest.builder().input(text).inputType(EmbeddingInputType.QUERY).build())
            .embeddings()
            .get(0)
            .vector();
    float[] asDocument =
        model
            .embed(
                EmbeddingRequest.builder()
                    .input(text)
                    .inputType(EmbeddingInputType.DOCUMENT)
                    .build())
            .embeddings()
            .get(0)
            .vector();

    assertThat(asQuery)
        .containsExactly(EmbeddingEmulator.expectedVector(COHERE, "search_query", text));
    assertThat(asDocument)
        .containsExactly(EmbeddingEmulator.expectedVector(COHERE, "search_document", text));
    assertThat(asDefault).containsExactly(asDocument);
  }

  @Test
  void embedderInputTypeQuery_isUsedByCallsThatSetNone() {
    LangChain4jEmbeddingModel model = model(embedder(COHERE).inputType(InputType.SEARCH_QUERY));

    float[] vector = model.embed("a question").content().vector();

    assertThat(vector)
        .containsExactly(EmbeddingEmulator.expectedVector(COHERE, "search_query", "a question"));
    assertThat(model.defaultRequestParameters().inputType()).isEqualTo(EmbeddingInputType.QUERY);
  }

  @Test
  void supportedParameters_areThoseTheProviderHas() {
    assertThat(model(embedder(SMALL)).supportedParameters())
        .containsExactlyInAnyOrder(MODEL_NAME, DIMENSIONS);
    assertThat(model(embedder(COHERE)).supportedParameters())
        .containsExactlyInAnyOrder(MODEL_NAME, INPUT_TYPE);
    assertThat(model(embedder("embed-v4.0")).supportedParameters())
        .containsExactlyInAnyOrder(MODEL_NAME, DIMENSIONS, INPUT_TYPE);
  }

  @Test
  void dimensionNameAndProvider_comeFromTheRegistry_withoutACall() {
    LangChain4jEmbeddingModel openAi = model(embedder(SMALL));
    LangChain4jEmbeddingModel cohere = model(embedder(COHERE));

    assertThat(openAi.dimension()).isEqualTo(1536);
    assertThat(openAi.modelName()).isEqualTo(SMALL);
    assertThat(openAi.provider()).isEqualTo(ModelProvider.OPEN_AI);
    assertThat(cohere.dimension()).isEqualTo(1024);
    assertThat(cohere.provider()).isEqualTo(ModelProvider.COHERE);
    assertThat(emulator.stats().requests()).isZero();
  }

  @Test
  void customProvider_isOther_takesOnlyItsOwnModel_andNoDimensionsOrInputType() {
    LangChain4jEmbeddingModel model =
        model(
            LangChain4jEmbeddingProvider.embedder(
                new LangChain4jEmbeddingProviderTest.ScriptedModel()));

    assertThat(model.provider()).isEqualTo(ModelProvider.OTHER);
    assertThat(model.supportedParameters()).containsExactly(MODEL_NAME);
    assertThat(
            model
                .embed(EmbeddingRequest.builder().input("x").modelName("scripted").build())
                .embeddings())
        .hasSize(1);
    assertThatThrownBy(
            () -> model.embed(EmbeddingRequest.builder().input("x").modelName(SMALL).build()))
        .isInstanceOf(InvalidRequestException.class)
        .hasMessageContaining("langchain4j:scripted")
        .hasMessageContaining("own provider");
    assertThatThrownBy(
            () ->
                model.embed(
                    EmbeddingRequest.builder().input("x").modelName("no-such-model").build()))
        .isInstanceOf(ModelNotFoundException.class);
  }

  @Test
  void modelNameParameter_usesAnotherModelOfTheSameProvider() {
    LangChain4jEmbeddingModel model = model(embedder(SMALL));

    EmbeddingResponse response =
        model.embed(
            EmbeddingRequest.builder().input("large").modelName("text-embedding-3-large").build());
    model.embed("small");

    assertThat(response.embeddings().get(0).vector())
        .containsExactly(EmbeddingEmulator.expectedVector("text-embedding-3-large", null, "large"));
    assertThat(response.metadata().modelName()).isEqualTo("text-embedding-3-large");
    assertThat(model.embedder().totalTokens())
        .isEqualTo(
            EmbeddingEmulator.expectedTokens("large") + EmbeddingEmulator.expectedTokens("small"));
  }

  @Test
  void modelNameParameter_ofAnotherProviderOrUnknown_isRejected() {
    LangChain4jEmbeddingModel model = model(embedder(SMALL));

    assertThatThrownBy(
            () ->
                model.embed(EmbeddingRequest.builder().input("x").modelName("embed-v4.0").build()))
        .isInstanceOf(InvalidRequestException.class)
        .hasMessageContaining("cohere:embed-v4.0")
        .hasMessageContaining("openai:text-embedding-3-small");
    assertThatThrownBy(
            () ->
                model.embed(
                    EmbeddingRequest.builder().input("x").modelName("no-such-model").build()))
        .isInstanceOf(ModelNotFoundException.class)
        .hasMessageContaining("no-such-model")
        .hasMessageContaining("text-embedding-3-small");
    assertThat(emulator.stats().requests()).isZero();
  }

  @Test
  void dimensionsTheModelDoesNotAccept_areAnInvalidRequest() {
    LangChain4jEmbeddingModel model = model(embedder("embed-v4.0"));

    assertThatThrownBy(
            () -> model.embed(EmbeddingRequest.builder().input("x").dimensions(300).build()))
        .isInstanceOf(InvalidRequestException.class)
        .hasMessageContaining("dimensions=300")
        .hasMessageContaining("256");
  }

  @Test
  void emptyInput_failsNamingItsIndex_beforeAnythingIsSent() {
    LangChain4jEmbeddingModel model = model(embedder(SMALL));

    assertThatThrownBy(
            () -> model.embed(EmbeddingRequest.builder().inputs("fine", "also fine", "").build()))
        .isInstanceOf(InvalidRequestException.class)
        .hasMessageContaining("Input 2")
        .hasCauseInstanceOf(InvalidInputException.class);
    assertThat(emulator.stats().requests()).isZero();
  }

  @Test
  void rejectedKey_isAnAuthenticationException_holdingTheRun_andNeverShowsTheKey() {
    LangChain4jEmbeddingModel model = model(embedder(SMALL).apiKey("sk-wrong-secret"));

    assertThatThrownBy(() -> model.embed("hello"))
        .isInstanceOf(AuthenticationException.class)
        .hasMessageNotContaining("sk-wrong-secret")
        .satisfies(
            e -> {
              assertThat(e.getCause()).isInstanceOf(IncompleteRunException.class);
              EmbeddingRun run = ((IncompleteRunException) e.getCause()).run();
              assertThat(run.failedIndices()).containsExactly(0);
              assertThat(run.batches().get(0).attempts()).isEqualTo(1);
            });
  }

  @Test
  void rejectedKey_inAManyBatchRun_isStillAnAuthenticationException() {
    LangChain4jEmbeddingModel model =
        model(embedder(SMALL).apiKey("wrong").batchSize(10).maxConcurrentRequests(2));
    List<TextSegment> segments = new ArrayList<>();
    for (int i = 0; i < 100; i++) {
      segments.add(TextSegment.from("text " + i));
    }

    assertThatThrownBy(() -> model.embedAll(segments))
        .isInstanceOf(AuthenticationException.class)
        .hasMessageContaining("of 10 batches (100 of 100 texts)");
    assertThat(emulator.stats().requests()).isLessThan(10);
  }

  @Test
  void serverError_isRetried() {
    LangChain4jEmbeddingModel model = model(embedder(SMALL));
    emulator.failNext(1, 500, "{\"error\":{\"message\":\"boom\",\"type\":\"server_error\"}}");

    EmbeddingResponse response = model.embed(EmbeddingRequest.builder().input("try again").build());

    assertThat(response.embeddings().get(0).vector())
        .containsExactly(EmbeddingEmulator.expectedVector(SMALL, null, "try again"));
    assertThat(((Embed4jResponseMetadata) response.metadata()).run().retries()).isEqualTo(1);
  }

  @Test
  void failuresLeftAfterTheRetries_keepTheirLangChain4jType() {
    LangChain4jEmbeddingModel model = model(embedder(SMALL).maxAttempts(2));
    emulator.failNext(
        2,
        429,
        "{\"error\":{\"message\":\"Rate limit reached\",\"type\":\"requests\","
            + "\"code\":\"rate_limit_exceeded\"}}",
        Map.of("retry-after-ms", "1"));
    assertThatThrownBy(() -> model.embed("hello")).isInstanceOf(RateLimitException.class);

    emulator.failNext(2, 503, "{\"error\":{\"message\":\"overloaded\",\"type\":\"server_error\"}}");
    assertThatThrownBy(() -> model.embed("hello"))
        .isInstanceOf(InternalServerException.class)
        .hasMessageContaining("inputs 0");
  }

  @Test
  void embedAsync_completesWithTheVectors_andNotifiesListenersOnce() {
    CountingListener listener = new CountingListener();
    LangChain4jEmbeddingModel model = model(embedder(SMALL).batchSize(2), listener);

    CompletableFuture<EmbeddingResponse> future =
        model.embedAsync(
            EmbeddingRequest.builder().inputs("one", "two", "three", "four", "five").build());
    EmbeddingResponse response = future.join();

    assertThat(response.embeddings())
        .extracting(Embedding::vector)
        .containsExactly(
            EmbeddingEmulator.expectedVector(SMALL, null, "one"),
            EmbeddingEmulator.expectedVector(SMALL, null, "two"),
            EmbeddingEmulator.expectedVector(SMALL, null, "three"),
            EmbeddingEmulator.expectedVector(SMALL, null, "four"),
            EmbeddingEmulator.expectedVector(SMALL, null, "five"));
    assertThat(emulator.stats().requests()).isEqualTo(3);
    assertThat(listener.requests).hasValue(1);
    assertThat(listener.responses).hasValue(1);
  }

  @Test
  void embedAsync_failure_completesTheFutureExceptionally_andNotifiesOnError() {
    CountingListener listener = new CountingListener();
    LangChain4jEmbeddingModel model = model(embedder(SMALL).apiKey("wrong"), listener);

    CompletableFuture<EmbeddingResponse> future =
        model.embedAsync(EmbeddingRequest.builder().input("x").build());

    assertThatThrownBy(future::join).hasCauseInstanceOf(AuthenticationException.class);
    assertThat(listener.errors).hasValue(1);
    assertThat(listener.responses).hasValue(0);
  }

  @Test
  void embedAsync_cancel_cancelsTheCallsUnderWay() throws InterruptedException {
    try (EmbeddingEmulator slow =
        EmbeddingEmulator.builder().latency(Duration.ofSeconds(30)).start()) {
      CountDownLatch finished = new CountDownLatch(1);
      AtomicReference<EmbeddingRun> run = new AtomicReference<>();
      LangChain4jEmbeddingModel model =
          model(
              Embedder.builder()
                  .model(SMALL)
                  .apiKey("test-key")
                  .baseUrl(slow.baseUrl())
                  .listener(
                      new EmbedListener() {
                        @Override
                        public void runFinished(EmbeddingRun r) {
                          run.set(r);
                          finished.countDown();
                        }
                      }));

      CompletableFuture<EmbeddingResponse> future =
          model.embedAsync(EmbeddingRequest.builder().input("x").build());
      future.cancel(true);

      assertThat(finished.await(20, TimeUnit.SECONDS)).as("the run ended").isTrue();
      assertThat(future).isCancelled();
      assertThat(run.get().failedBatches())
          .singleElement()
          .satisfies(b -> assertThat(b.error().orElseThrow()).hasMessageContaining("cancelled"));
    }
  }

  @Test
  void wrapsAGivenEmbedder_andLeavesItOpenOnClose() {
    Embedder embedder =
        Embedder.builder().model(COHERE).apiKey("test-key").baseUrl(emulator.baseUrl()).build();
    try {
      LangChain4jEmbeddingModel model = LangChain4jEmbeddingModel.builder(embedder).build();
      model.embed("first");
      model.close();

      assertThat(embedder.embed(List.of("still open")).vectors()).hasSize(1);
      assertThatThrownBy(() -> model.embed("after close"))
          .isInstanceOf(IllegalStateException.class)
          .hasMessageContaining("closed");
    } finally {
      embedder.close();
    }
  }

  @Test
  void builder_mirrorsNoEngineSetting_theEmbedderIsConfiguredOnce() {
    // The engine settings live on the Embedder only: the builder cannot configure it a second time.
    assertThat(
            Arrays.stream(LangChain4jEmbeddingModel.Builder.class.getDeclaredMethods())
                .filter(m -> Modifier.isPublic(m.getModifiers()))
                .map(Method::getName))
        .containsExactlyInAnyOrder("listeners", "build");
    assertThat(
            Arrays.stream(LangChain4jEmbeddingModel.class.getDeclaredMethods())
                .filter(
                    m -> Modifier.isPublic(m.getModifiers()) && Modifier.isStatic(m.getModifiers()))
                .map(m -> m.getName() + List.of(m.getParameterTypes())))
        .containsExactly("builder[class dev.embed4j.Embedder]");
  }

  @Test
  void inputTypeForOpenAi_isRejected() {
    assertThatThrownBy(() -> model(embedder(SMALL).inputType(InputType.SEARCH_QUERY)))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("takes no input type");
    LangChain4jEmbeddingModel openAi = model(embedder(SMALL));
    assertThatThrownBy(
            () ->
                openAi.embed(
                    EmbeddingRequest.builder()
                        .input("x")
                        .inputType(EmbeddingInputType.QUERY)
                        .build()))
        .isInstanceOf(UnsupportedFeatureException.class);
    assertThat(emulator.stats().requests()).isZero();
  }

  @Test
  void builder_nullListener_isRejectedWithItsIndex() {
    List<EmbeddingModelListener> listeners = new ArrayList<>();
    listeners.add(new CountingListener());
    listeners.add(null);

    Embedder embedder = embedder(SMALL).build();
    built.add(embedder);

    assertThatThrownBy(() -> LangChain4jEmbeddingModel.builder(embedder).listeners(listeners))
        .isInstanceOf(NullPointerException.class)
        .hasMessage("listeners[1]");
  }

  private static final class CountingListener implements EmbeddingModelListener {
    final AtomicInteger requests = new AtomicInteger();
    final AtomicInteger responses = new AtomicInteger();
    final AtomicInteger errors = new AtomicInteger();
    final AtomicReference<EmbeddingResponse> lastResponse = new AtomicReference<>();

    @Override
    public void onRequest(EmbeddingModelRequestContext context) {
      requests.incrementAndGet();
    }

    @Override
    public void onResponse(EmbeddingModelResponseContext context) {
      lastResponse.set(context.embeddingResponse());
      responses.incrementAndGet();
    }

    @Override
    public void onError(EmbeddingModelErrorContext context) {
      errors.incrementAndGet();
    }
  }
}
