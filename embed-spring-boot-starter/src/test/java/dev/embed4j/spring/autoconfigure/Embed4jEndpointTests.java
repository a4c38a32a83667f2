package dev.embed4j.spring.autoconfigure;

import static org.assertj.core.api.Assertions.assertThat;

import dev.embed4j.Embedder;
import dev.embed4j.EmbeddingRun;
import dev.embed4j.emulator.EmbeddingEmulator;
import dev.embed4j.emulator.Faults;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.boot.actuate.endpoint.annotation.Endpoint;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

/** The embed4j Actuator endpoint: what it counts, when it is there, and what it never shows. */
class Embed4jEndpointTests {
  private static final String KEY = "sk-endpoint-test-key";
  private static EmbeddingEmulator emulator;

  private final ApplicationContextRunner contextRunner =
      new ApplicationContextRunner()
          .withConfiguration(
              AutoConfigurations.of(
                  Embed4jAutoConfiguration.class, Embed4jEndpointAutoConfiguration.class))
          .withPropertyValues(
              "embed4j.openai.api-key=" + KEY,
              "embed4j.openai.base-url=" + emulator.baseUrl(),
              "embed4j.batch-size=10",
              "embed4j.max-attempts=10",
              "embed4j.retry.initial-backoff=1ms",
              "embed4j.retry.max-backoff=5ms");

  @BeforeAll
  static void startEmulator() {
    emulator =
        EmbeddingEmulator.builder()
            .apiKeys(KEY)
            .requestsPerMinute(100_000)
            .tokensPerMinute(50_000_000)
            .faults(Faults.builder().serverErrorRate(0.3).seed(5).build())
            .start();
  }

  @AfterAll
  static void stopEmulator() {
    emulator.close();
  }

  @Test
  void exposed_countsPerModelWhatTheRunsReport_andTheLimitsTheProviderSent() {
    contextRunner
        .withPropertyValues("management.endpoints.web.exposure.include=embed4j")
        .run(
            context -> {
              assertThat(context).hasNotFailed().hasSingleBean(Embed4jEndpoint.class);
              Embedder embedder = context.getBean(Embedder.class);
              List<String> texts = new ArrayList<>();
              for (int i = 0; i < 45; i++) {
                texts.add("secret text number " + i);
              }
              EmbeddingRun first = embedder.embed(texts);
              EmbeddingRun second = embedder.embed(texts.subList(0, 5));

              Embed4jEndpoint.Report report = context.getBean(Embed4jEndpoint.class).report();
              assertThat(report.models()).containsOnlyKeys("openai:text-embedding-3-small");
              Embed4jEndpoint.ModelReport model =
                  context.getBean(Embed4jEndpoint.class).model("openai:text-embedding-3-small");
              assertThat(model).isEqualTo(report.models().get("openai:text-embedding-3-small"));
              assertThat(model.runs()).isEqualTo(2);
              assertThat(model.incompleteRuns()).isZero();
              assertThat(model.texts()).isEqualTo(50);
              assertThat(model.batches()).isEqualTo(first.batches().size() + 1);
              assertThat(model.failedBatches()).isZero();
              assertThat(model.tokens()).isEqualTo(first.tokens() + second.tokens());
              assertThat(model.cost()).isEqualByComparingTo(first.cost().add(second.cost()));
              assertThat(model.retries())
                  .isPositive()
                  .isEqualTo(first.retries() + second.retries());
              assertThat(model.rateLimited()).isEqualTo(first.rateLimited() + second.rateLimited());
              assertThat(model.limits()).isNotNull();
              assertThat(model.limits().requestsPerMinute()).isEqualTo(100_000);
              assertThat(model.limits().tokensPerMinute()).isEqualTo(50_000_000);
              assertThat(model.limits().tokensRemaining()).isNotNull();

              String shown = report.toString();
              assertThat(shown).doesNotContain(KEY).doesNotContain("secret text");
              assertThat(context.getBean(Embed4jEndpoint.class).model("openai:unused")).isNull();
            });
  }

  @Test
  void cacheHitsDuplicatesAndSavings_ofRealRunsThroughTheMemoryCache() {
    contextRunner
        .withPropertyValues(
            "management.endpoints.web.exposure.include=embed4j", "embed4j.cache.type=memory")
        .run(
            context -> {
              assertThat(context).hasNotFailed();
              Embedder embedder = context.getBean(Embedder.class);
              List<String> texts = new ArrayList<>();
              for (int i = 0; i < 20; i++) {
                texts.add("cached text number " + (i % 10)); // each text twice
              }
              EmbeddingRun first = embedder.embed(texts);
              EmbeddingRun second = embedder.embed(texts.subList(0, 10));

              Embed4jEndpoint.ModelReport model =
                  context.getBean(Embed4jEndpoint.class).model("openai:text-embedding-3-small");
              assertThat(first.duplicates()).isEqualTo(10);
              assertThat(second.cacheHits()).isEqualTo(10);
              assertThat(second.tokens()).isZero();
              assertThat(model.duplicates()).isEqualTo(first.duplicates() + second.duplicates());
              assertThat(model.cacheHits()).isEqualTo(first.cacheHits() + second.cacheHits());
              assertThat(model.savedTokens())
                  .isPositive()
                  .isEqualTo(first.savedTokens() + second.savedTokens());
              assertThat(model.savedCost())
                  .isEqualByComparingTo(first.savedCost().add(second.savedCost()));
              assertThat(model.tokens()).isEqualTo(first.tokens());
            });
  }

  @Test
  void notExposed_noEndpointAndNoListener() {
    contextRunner.run(
        context ->
            assertThat(context)
                .hasNotFailed()
                .doesNotHaveBean(Embed4jEndpoint.class)
                .doesNotHaveBean(UsageListener.class));
  }

  @Test
  void withoutActuator_noEndpoint_andTheStarterWorks() {
    contextRunner
        .withClassLoader(new FilteredClassLoader(Endpoint.class))
        .withPropertyValues("management.endpoints.web.exposure.include=embed4j")
        .run(
            context -> {
              assertThat(context).hasNotFailed().doesNotHaveBean(Embed4jEndpoint.class);
              assertThat(context.getBean(Embedder.class).embed(List.of("x")).vectors()).hasSize(1);
            });
  }
}
