package dev.embed4j.springai;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.embed4j.Embedder;
import dev.embed4j.EmbeddingRun;
import dev.embed4j.IncompleteRunException;
import dev.embed4j.InvalidInputException;
import dev.embed4j.emulator.EmbeddingEmulator;
import io.micrometer.common.KeyValues;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.micrometer.observation.ObservationRegistry;
import io.micrometer.observation.tck.TestObservationRegistry;
import io.micrometer.observation.tck.TestObservationRegistryAssert;
import java.math.BigDecimal;
import java.math.MathContext;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.ai.content.Media;
import org.springframework.ai.document.Document;
import org.springframework.ai.embedding.EmbeddingOptions;
import org.springframework.ai.embedding.EmbeddingRequest;
import org.springframework.ai.embedding.EmbeddingResponse;
import org.springframework.ai.embedding.EmbeddingResponseMetadata;
import org.springframework.ai.embedding.TokenCountBatchingStrategy;
import org.springframework.ai.embedding.observation.DefaultEmbeddingModelObservationConvention;
import org.springframework.ai.embedding.observation.EmbeddingModelMeterObservationHandler;
import org.springframework.ai.embedding.observation.EmbeddingModelObservationContext;
import org.springframework.ai.embedding.observation.EmbeddingModelObservationDocumentation.HighCardinalityKeyNames;
import org.springframework.ai.embedding.observation.EmbeddingModelObservationDocumentation.LowCardinalityKeyNames;
import org.springframework.util.MimeTypeUtils;

class SpringAiEmbeddingModelTest {
  private static final String SMALL = "text-embedding-3-small";
  private static final String LARGE = "text-embedding-3-large";

  private static EmbeddingEmulator emulator;
  private Embedder embedder;

  @BeforeAll
  static void startEmulator() {
    emulator = EmbeddingEmulator.builder().start();
  }

  @AfterAll
  static void stopEmulator() {
    emulator.close();
  }

  @BeforeEach
  void setUp() {
    emulator.stats().reset();
    embedder =
        Embedder.builder()
            .model(SMALL)
            .apiKey("test-key")
            .baseUrl(emulator.baseUrl())
            .batchSize(16)
            .maxConcurrentRequests(8)
            .maxAttempts(1)
            .build();
  }

  @AfterEach
  void tearDown() {
    embedder.close();
  }

  private SpringAiEmbeddingModel model() {
    return SpringAiEmbeddingModel.builder(embedder).build();
  }

  @Test
  void embedDocuments_keepsDocumentOrderAcrossParallelBatches() {
    SpringAiEmbeddingModel model = model();
    List<Document> documents = new ArrayList<>();
    for (int i = 0; i < 1000; i++) {
      documents.add(
          new Document("document number " + i + " about " + (i % 7 == 0 ? "cats" : "the weather")));
    }

    List<float[]> vectors =
        model.embed(
            documents, EmbeddingOptions.builder().build(), new TokenCountBatchingStrategy());

    assertThat(vectors).hasSize(1000);
    for (int i = 0; i < 1000; i++) {
      String sent = model.getEmbeddingContent(documents.get(i));
      assertThat(vectors.get(i))
          .as("document %d", i)
          .isEqualTo(EmbeddingEmulator.expectedVector(SMALL, null, sent, 1536));
    }
    // 63 requests of at most 16 texts: the engine's batches, not one request per strategy batch
    assertThat(emulator.stats().requests()).isEqualTo(63);
    assertThat(emulator.stats().batchSizes())
        .allSatisfy(size -> assertThat(size).isLessThanOrEqualTo(16));
  }

  @Test
  void embedDocuments_usesFormattedContentInEmbedMetadataMode() {
    SpringAiEmbeddingModel model = model();
    Document document = new Document("the text", Map.of("source", "a.md"));

    float[] vector = model.embed(document);

    assertThat(model.getEmbeddingContent(document)).isEqualTo("source: a.md\n\nthe text");
    assertThat(vector)
        .isEqualTo(EmbeddingEmulator.expectedVector(SMALL, null, "source: a.md\n\nthe text", 1536));
  }

  @Test
  void call_honoursModelAndDimensionsOfTheRequest() {
    SpringAiEmbeddingModel model = model();
    List<String> texts = List.of("alpha", "beta", "gamma");

    EmbeddingResponse large =
        model.call(
            new EmbeddingRequest(
                texts, EmbeddingOptions.builder().model(LARGE).dimensions(256).build()));
    EmbeddingResponse shortSmall =
        model.call(new EmbeddingRequest(texts, EmbeddingOptions.builder().dimensions(512).build()));
    EmbeddingResponse nativeLarge =
        model.call(new EmbeddingRequest(texts, EmbeddingOptions.builder().model(LARGE).build()));

    for (int i = 0; i < texts.size(); i++) {
      assertThat(large.getResults().get(i).getOutput())
          .isEqualTo(EmbeddingEmulator.expectedVector(LARGE, null, texts.get(i), 256));
      assertThat(shortSmall.getResults().get(i).getOutput())
          .isEqualTo(EmbeddingEmulator.expectedVector(SMALL, null, texts.get(i), 512));
      assertThat(nativeLarge.getResults().get(i).getOutput())
          .isEqualTo(EmbeddingEmulator.expectedVector(LARGE, null, texts.get(i), 3072));
      assertThat(large.getResults().get(i).getIndex()).isEqualTo(i);
    }
    assertThat(large.getMetadata().getModel()).isEqualTo(LARGE);
    assertThat(shortSmall.getMetadata().getModel()).isEqualTo(SMALL);
    assertThat(model.dimensions()).isEqualTo(1536);
  }

  @Test
  void call_reusesTheDerivedEmbedderOfAnOptionCombination() {
    SpringAiEmbeddingModel model = model();
    EmbeddingOptions options = EmbeddingOptions.builder().model(LARGE).dimensions(256).build();

    EmbeddingRun first = run(model.call(new EmbeddingRequest(List.of("one"), options)));
    EmbeddingRun second =
        run(
            model.call(
                new EmbeddingRequest(
                    List.of("two"),
                    EmbeddingOptions.builder().model(LARGE).dimensions(256).build())));

    // run ids are "run-<embedder>-<counter>": the same derived embedder numbers its runs on
    String prefixOfFirst = first.id().substring(0, first.id().lastIndexOf('-'));
    assertThat(second.id()).startsWith(prefixOfFirst + "-");
    assertThat(second.id()).isNotEqualTo(first.id());
  }

  @Test
  void call_withForeignModelOrUnsupportedDimensions_failsNamingThem() {
    SpringAiEmbeddingModel model = model();

    assertThatThrownBy(
            () ->
                model.call(
                    new EmbeddingRequest(
                        List.of("x"), EmbeddingOptions.builder().model("embed-v4.0").build())))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("cohere:embed-v4.0")
        .hasMessageContaining("openai:text-embedding-3-small");
    assertThatThrownBy(
            () ->
                model.call(
                    new EmbeddingRequest(
                        List.of("x"), EmbeddingOptions.builder().model("no-such-model").build())))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("Unknown embedding model 'no-such-model'");
    assertThatThrownBy(
            () ->
                model.call(
                    new EmbeddingRequest(
                        List.of("x"), EmbeddingOptions.builder().dimensions(4096).build())))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("dimensions=4096");
    assertThat(emulator.stats().requests()).isZero();
  }

  @Test
  void response_carriesUsageAndCostEqualToWhatTheServerBilled() {
    SpringAiEmbeddingModel model = model();
    List<String> texts = new ArrayList<>();
    for (int i = 0; i < 100; i++) {
      texts.add("sentence " + i + " with a few more words in it");
    }

    EmbeddingResponse response = model.call(new EmbeddingRequest(texts, null));

    long billed = emulator.stats().tokensBilled(SMALL);
    assertThat(billed).isPositive();
    EmbeddingResponseMetadata metadata = response.getMetadata();
    assertThat(metadata.getModel()).isEqualTo(SMALL);
    assertThat(metadata.getUsage().getPromptTokens()).isEqualTo((int) billed);
    assertThat(metadata.getUsage().getTotalTokens()).isEqualTo((int) billed);
    BigDecimal expectedCost =
        new BigDecimal("0.02")
            .multiply(BigDecimal.valueOf(billed))
            .divide(BigDecimal.valueOf(1_000_000), MathContext.DECIMAL64);
    assertThat((BigDecimal) metadata.get(SpringAiEmbeddingModel.COST_METADATA_KEY))
        .isEqualByComparingTo(expectedCost);
    assertThat(run(response).tokens()).isEqualTo(billed);
    assertThat(run(response).batches()).hasSize(7);
  }

  @Test
  void call_isObservedWithSpringAiConventions() {
    TestObservationRegistry observations = TestObservationRegistry.create();
    SpringAiEmbeddingModel model =
        SpringAiEmbeddingModel.builder(embedder).observationRegistry(observations).build();

    model.call(new EmbeddingRequest(List.of("hello world", "goodbye world"), null));

    long billed = emulator.stats().tokensBilled(SMALL);
    TestObservationRegistryAssert.assertThat(observations)
        .hasObservationWithNameEqualTo(DefaultEmbeddingModelObservationConvention.DEFAULT_NAME)
        .that()
        .hasContextualNameEqualTo("embedding " + SMALL)
        .hasLowCardinalityKeyValue(LowCardinalityKeyNames.AI_OPERATION_TYPE.asString(), "embedding")
        .hasLowCardinalityKeyValue(LowCardinalityKeyNames.AI_PROVIDER.asString(), "openai")
        .hasLowCardinalityKeyValue(LowCardinalityKeyNames.REQUEST_MODEL.asString(), SMALL)
        .hasLowCardinalityKeyValue(LowCardinalityKeyNames.RESPONSE_MODEL.asString(), SMALL)
        .hasHighCardinalityKeyValue(
            HighCardinalityKeyNames.REQUEST_EMBEDDING_DIMENSIONS.asString(), "1536")
        .hasHighCardinalityKeyValue(
            HighCardinalityKeyNames.USAGE_INPUT_TOKENS.asString(), String.valueOf(billed))
        .hasHighCardinalityKeyValue(
            HighCardinalityKeyNames.USAGE_TOTAL_TOKENS.asString(), String.valueOf(billed))
        .hasBeenStarted()
        .hasBeenStopped()
        .doesNotHaveError();
  }

  @Test
  void call_feedsSpringAiTokenUsageMetric() {
    SimpleMeterRegistry meters = new SimpleMeterRegistry();
    ObservationRegistry observations = ObservationRegistry.create();
    observations
        .observationConfig()
        .observationHandler(new EmbeddingModelMeterObservationHandler(meters));
    SpringAiEmbeddingModel model =
        SpringAiEmbeddingModel.builder(embedder).observationRegistry(observations).build();

    model.embed(
        List.of(new Document("first"), new Document("second")),
        null,
        new TokenCountBatchingStrategy());

    long billed = emulator.stats().tokensBilled(SMALL);
    assertThat(
            meters
                .get("gen_ai.client.token.usage")
                .tag("gen_ai.token.type", "input")
                .tag("gen_ai.system", "openai")
                .tag("gen_ai.response.model", SMALL)
                .counter()
                .count())
        .isEqualTo((double) billed);
    assertThat(
            meters
                .get("gen_ai.client.token.usage")
                .tag("gen_ai.token.type", "total")
                .counter()
                .count())
        .isEqualTo((double) billed);
  }

  @Test
  void observationConvention_canBeReplaced() {
    TestObservationRegistry observations = TestObservationRegistry.create();
    SpringAiEmbeddingModel model =
        SpringAiEmbeddingModel.builder(embedder)
            .observationRegistry(observations)
            .observationConvention(
                new DefaultEmbeddingModelObservationConvention() {
                  @Override
                  public String getName() {
                    return "my.embeddings";
                  }

                  @Override
                  public KeyValues getLowCardinalityKeyValues(
                      EmbeddingModelObservationContext context) {
                    return super.getLowCardinalityKeyValues(context).and("team", "search");
                  }
                })
            .build();

    model.embed("hello");

    TestObservationRegistryAssert.assertThat(observations)
        .hasObservationWithNameEqualTo("my.embeddings")
        .that()
        .hasLowCardinalityKeyValue("team", "search");
  }

  @Test
  void blankText_failsWithItsIndexAndSendsNothing() {
    TestObservationRegistry observations = TestObservationRegistry.create();
    SpringAiEmbeddingModel model =
        SpringAiEmbeddingModel.builder(embedder).observationRegistry(observations).build();

    assertThatThrownBy(
            () ->
                model.call(new EmbeddingRequest(List.of("fine", "also fine", "   ", "fine"), null)))
        .isInstanceOfSatisfying(
            InvalidInputException.class, e -> assertThat(e.index()).isEqualTo(2))
        .hasMessageContaining("Input 2 is blank");
    assertThatThrownBy(
            () ->
                model.embed(
                    List.of(new Document("a"), new Document("")),
                    null,
                    new TokenCountBatchingStrategy()))
        .isInstanceOfSatisfying(
            InvalidInputException.class, e -> assertThat(e.index()).isEqualTo(1));
    assertThatThrownBy(
            () ->
                model.embed(
                    List.of(
                        new Document("a"),
                        new Document(
                            Media.builder()
                                .mimeType(MimeTypeUtils.IMAGE_PNG)
                                .data(URI.create("https://example.com/a.png"))
                                .build(),
                            Map.of())),
                    null,
                    new TokenCountBatchingStrategy()))
        .isInstanceOfSatisfying(
            InvalidInputException.class, e -> assertThat(e.index()).isEqualTo(1))
        .hasMessageContaining("media");
    assertThat(emulator.stats().requests()).isZero();
    TestObservationRegistryAssert.assertThat(observations)
        .hasObservationWithNameEqualTo(DefaultEmbeddingModelObservationConvention.DEFAULT_NAME)
        .that()
        .hasError();
  }

  @Test
  void failedBatch_failsTheCallWithTheRunAndItsEmbeddedVectors() {
    SpringAiEmbeddingModel model = model();
    emulator.failNext(
        1, 400, "{\"error\":{\"message\":\"bad\",\"type\":\"invalid_request_error\"}}");
    List<String> texts = new ArrayList<>();
    for (int i = 0; i < 32; i++) {
      texts.add("text " + i);
    }

    assertThatThrownBy(() -> model.call(new EmbeddingRequest(texts, null)))
        .isInstanceOfSatisfying(
            IncompleteRunException.class,
            e -> {
              assertThat(e.run().failedBatches()).hasSize(1);
              assertThat(e.run().failedIndices()).hasSize(16);
            })
        .hasMessageContaining("1 of 2 batches");
  }

  @Test
  void dimensions_comeFromTheRegistryWithoutACall() {
    Embedder shortened = embedder.newBuilder().dimensions(256).build();
    SpringAiEmbeddingModel model = SpringAiEmbeddingModel.builder(shortened).build();

    assertThat(model.dimensions()).isEqualTo(256);
    assertThat(model().dimensions()).isEqualTo(1536);
    assertThat(emulator.stats().requests()).isZero();
  }

  @Test
  void close_stopsLaterCallsButLeavesTheGivenEmbedderOpen() {
    SpringAiEmbeddingModel model = model();
    model.call(
        new EmbeddingRequest(List.of("x"), EmbeddingOptions.builder().dimensions(64).build()));

    model.close();

    assertThatThrownBy(() -> model.embed("x"))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("closed");
    assertThat(embedder.embed(List.of("still open")).vectors()).hasSize(1);
  }

  private static EmbeddingRun run(EmbeddingResponse response) {
    return (EmbeddingRun) response.getMetadata().get(SpringAiEmbeddingModel.RUN_METADATA_KEY);
  }
}
