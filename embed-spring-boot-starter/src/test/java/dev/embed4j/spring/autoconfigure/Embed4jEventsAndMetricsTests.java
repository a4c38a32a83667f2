package dev.embed4j.spring.autoconfigure;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.embed4j.IncompleteRunException;
import dev.embed4j.emulator.EmbeddingEmulator;
import io.micrometer.core.instrument.MeterRegistry;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.ai.document.Document;
import org.springframework.ai.embedding.EmbeddingModel;
import org.springframework.ai.embedding.EmbeddingOptions;
import org.springframework.ai.embedding.EmbeddingRequest;
import org.springframework.ai.embedding.TokenCountBatchingStrategy;
import org.springframework.ai.model.embedding.observation.autoconfigure.EmbeddingObservationAutoConfiguration;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.micrometer.metrics.autoconfigure.CompositeMeterRegistryAutoConfiguration;
import org.springframework.boot.micrometer.metrics.autoconfigure.MetricsAutoConfiguration;
import org.springframework.boot.micrometer.metrics.autoconfigure.export.simple.SimpleMetricsExportAutoConfiguration;
import org.springframework.boot.micrometer.observation.autoconfigure.ObservationAutoConfiguration;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.event.EventListener;

/** Cost events and meters, against the emulator, with figures equal to what it billed. */
class Embed4jEventsAndMetricsTests {
  private static final String MODEL = "openai:text-embedding-3-small";
  private static final String RATE_LIMITED_BODY =
      "{\"error\":{\"message\":\"Rate limit"
          + " reached\",\"type\":\"requests\",\"code\":\"rate_limit_exceeded\"}}";

  private static EmbeddingEmulator emulator;

  private final ApplicationContextRunner contextRunner =
      new ApplicationContextRunner()
          .withConfiguration(AutoConfigurations.of(Embed4jAutoConfiguration.class))
          .withUserConfiguration(CostEventsConfiguration.class);

  @BeforeAll
  static void startEmulator() {
    emulator = EmbeddingEmulator.builder().apiKeys("secret-test-key").start();
  }

  @AfterAll
  static void stopEmulator() {
    emulator.close();
  }

  @BeforeEach
  void resetEmulator() {
    emulator.stats().reset();
  }

  private ApplicationContextRunner withEmulator(String... more) {
    List<String> properties =
        new ArrayList<>(
            List.of(
                "embed4j.openai.api-key=secret-test-key",
                "embed4j.openai.base-url=" + emulator.baseUrl(),
                "embed4j.batch-size=16",
                "embed4j.max-attempts=3",
                "embed4j.retry.initial-backoff=1ms",
                "embed4j.retry.max-backoff=5ms"));
    properties.addAll(List.of(more));
    return contextRunner.withPropertyValues(properties.toArray(String[]::new));
  }

  private static List<Document> documents(int n) {
    List<Document> documents = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      documents.add(new Document("chunk " + i + " of a document about embedding costs"));
    }
    return documents;
  }

  @Test
  void eventListener_receivesEveryBatchAndTheRunWithWhatTheServerBilled() {
    withEmulator()
        .run(
            context -> {
              context
                  .getBean(EmbeddingModel.class)
                  .embed(
                      documents(100),
                      EmbeddingOptions.builder().build(),
                      new TokenCountBatchingStrategy());

              CostEvents events = context.getBean(CostEvents.class);
              long billed = emulator.stats().tokensBilled("text-embedding-3-small");
              assertThat(billed).isPositive();
              assertThat(events.runs)
                  .singleElement()
                  .satisfies(
                      run -> {
                        assertThat(run.model()).isEqualTo(MODEL);
                        assertThat(run.texts()).isEqualTo(100);
                        assertThat(run.batches()).isEqualTo(7);
                        assertThat(run.complete()).isTrue();
                        assertThat(run.error()).isNull();
                        assertThat(run.tokens()).isEqualTo(billed);
                        assertThat(run.cost())
                            .isEqualByComparingTo(
                                new BigDecimal("0.02")
                                    .multiply(BigDecimal.valueOf(billed))
                                    .movePointLeft(6));
                      });
              Embed4jRunEvent run = events.runs.get(0);
              assertThat(events.batches)
                  .hasSize(7)
                  .allSatisfy(
                      batch -> {
                        assertThat(batch.runId()).isEqualTo(run.runId());
                        assertThat(batch.model()).isEqualTo(MODEL);
                        assertThat(batch.succeeded()).isTrue();
                        assertThat(batch.attempts()).isEqualTo(1);
                      });
              assertThat(events.batches.stream().mapToLong(Embed4jBatchEvent::tokens).sum())
                  .isEqualTo(billed);
              assertThat(events.batches.stream().mapToInt(Embed4jBatchEvent::texts).sum())
                  .isEqualTo(100);
              assertThat(
                      events.batches.stream()
                          .map(Embed4jBatchEvent::cost)
                          .reduce(BigDecimal.ZERO, BigDecimal::add))
                  .isEqualByComparingTo(run.cost());
              assertThat(events.runs.toString() + events.batches).doesNotContain("secret-test-key");
            });
  }

  @Test
  void failedBatch_isAnEventWithItsError() {
    withEmulator("embed4j.max-attempts=1")
        .run(
            context -> {
              emulator.failNext(
                  1,
                  400,
                  "{\"error\":{\"message\":\"bad input\",\"type\":\"invalid_request_error\"}}");
              assertThatThrownBy(
                      () ->
                          context
                              .getBean(EmbeddingModel.class)
                              .call(new EmbeddingRequest(List.of("a", "b"), null)))
                  .isInstanceOf(IncompleteRunException.class);

              CostEvents events = context.getBean(CostEvents.class);
              assertThat(events.batches)
                  .singleElement()
                  .satisfies(
                      batch -> {
                        assertThat(batch.succeeded()).isFalse();
                        assertThat(batch.tokens()).isZero();
                        assertThat(batch.error()).hasMessageContaining("bad input");
                      });
              assertThat(events.runs)
                  .singleElement()
                  .satisfies(
                      run -> {
                        assertThat(run.complete()).isFalse();
                        assertThat(run.failedBatches()).isEqualTo(1);
                        assertThat(run.failedTexts()).isEqualTo(2);
                        assertThat(run.error()).hasMessageContaining("bad input");
                      });
            });
  }

  @Test
  void meters_countTokensCostBatchesRetriesAndRateLimitsPerModel() {
    withEmulator()
        .withConfiguration(
            AutoConfigurations.of(
                ObservationAutoConfiguration.class,
                MetricsAutoConfiguration.class,
                CompositeMeterRegistryAutoConfiguration.class,
                SimpleMetricsExportAutoConfiguration.class,
                EmbeddingObservationAutoConfiguration.class))
        .run(
            context -> {
              assertThat(context).hasBean("embed4jMeterListener");
              emulator.failNext(1, 429, RATE_LIMITED_BODY, Map.of("retry-after-ms", "1"));
              emulator.failNext(
                  1, 500, "{\"error\":{\"message\":\"oops\",\"type\":\"server_error\"}}");
              context
                  .getBean(EmbeddingModel.class)
                  .embed(documents(40), null, new TokenCountBatchingStrategy());
              emulator.failNext(
                  1,
                  400,
                  "{\"error\":{\"message\":\"bad input\",\"type\":\"invalid_request_error\"}}");
              assertThatThrownBy(() -> context.getBean(EmbeddingModel.class).embed("one more"))
                  .isInstanceOf(IncompleteRunException.class);

              MeterRegistry meters = context.getBean(MeterRegistry.class);
              long billed = emulator.stats().tokensBilled("text-embedding-3-small");
              assertThat(meters.get("embed4j.tokens").tag("model", MODEL).counter().count())
                  .isEqualTo((double) billed);
              assertThat(meters.get("embed4j.cost").tag("model", MODEL).counter().count())
                  .isCloseTo(billed * 0.02 / 1_000_000, org.assertj.core.data.Offset.offset(1e-12));
              assertThat(
                      meters
                          .get("embed4j.batches")
                          .tags("model", MODEL, "outcome", "success")
                          .counter()
                          .count())
                  .isEqualTo(3.0);
              assertThat(
                      meters
                          .get("embed4j.batches")
                          .tags("model", MODEL, "outcome", "failure")
                          .counter()
                          .count())
                  .isEqualTo(1.0);
              assertThat(meters.get("embed4j.retries").tag("model", MODEL).counter().count())
                  .isEqualTo(2.0);
              assertThat(meters.get("embed4j.rate_limited").tag("model", MODEL).counter().count())
                  .isEqualTo(1.0);
              // one definition of retried and rate limited: the batches', the runs' and the meters'
              // agree
              CostEvents events = context.getBean(CostEvents.class);
              assertThat(events.batches.stream().mapToInt(Embed4jBatchEvent::retries).sum())
                  .isEqualTo(2);
              assertThat(events.batches.stream().mapToInt(Embed4jBatchEvent::rateLimited).sum())
                  .isEqualTo(1);
              assertThat(events.runs.stream().mapToInt(Embed4jRunEvent::retries).sum())
                  .isEqualTo(2);
              assertThat(events.runs.stream().mapToInt(Embed4jRunEvent::rateLimited).sum())
                  .isEqualTo(1);
              // Spring AI's own metric, from the observation of each call
              assertThat(
                      meters
                          .get("gen_ai.client.token.usage")
                          .tags(
                              "gen_ai.token.type",
                              "input",
                              "gen_ai.system",
                              "openai",
                              "gen_ai.response.model",
                              "text-embedding-3-small")
                          .counter()
                          .count())
                  .isEqualTo((double) billed);
              meters
                  .getMeters()
                  .forEach(m -> assertThat(m.getId().toString()).doesNotContain("secret-test-key"));
            });
  }

  @Test
  void duplicatesAreSentOnce_andTheirSavingsAreOnTheRunEventAndTheMeters() {
    withEmulator()
        .withConfiguration(
            AutoConfigurations.of(
                MetricsAutoConfiguration.class,
                CompositeMeterRegistryAutoConfiguration.class,
                SimpleMetricsExportAutoConfiguration.class))
        .run(
            context -> {
              List<Document> documents = new ArrayList<>(documents(10));
              documents.addAll(documents(10)); // the same ten texts again
              EmbeddingModel model = context.getBean(EmbeddingModel.class);
              long before = emulator.stats().tokensBilled();
              model.embed(documents, null, new TokenCountBatchingStrategy());

              List<Embed4jRunEvent> runs = context.getBean(CostEvents.class).runs;
              Embed4jRunEvent run = runs.get(runs.size() - 1);
              long once = run.tokens(); // the ten texts, billed once
              assertThat(emulator.stats().tokensBilled() - before).isEqualTo(once);
              assertThat(emulator.stats().inputsEmbedded()).isEqualTo(10);
              assertThat(run.duplicates()).isEqualTo(10);
              assertThat(run.cacheHits()).isZero();
              assertThat(run.savedTokens()).isEqualTo(once);
              assertThat(run.savedCost())
                  .isEqualByComparingTo(
                      new BigDecimal("0.02").multiply(BigDecimal.valueOf(once)).movePointLeft(6));
              MeterRegistry meters = context.getBean(MeterRegistry.class);
              assertThat(
                      meters
                          .get("embed4j.reused")
                          .tags("model", MODEL, "source", "duplicate")
                          .counter()
                          .count())
                  .isEqualTo(10.0);
              assertThat(meters.get("embed4j.saved.tokens").tag("model", MODEL).counter().count())
                  .isEqualTo((double) once);
            });
  }

  @Test
  void withoutAMeterRegistry_noMeterListener() {
    withEmulator()
        .run(
            context ->
                assertThat(context)
                    .hasNotFailed()
                    .doesNotHaveBean("embed4jMeterListener")
                    .hasBean("embed4jEventPublisher"));
  }

  @Configuration(proxyBeanMethods = false)
  static class CostEventsConfiguration {
    @Bean
    CostEvents costEvents() {
      return new CostEvents();
    }
  }

  static class CostEvents {
    final List<Embed4jBatchEvent> batches = new CopyOnWriteArrayList<>();
    final List<Embed4jRunEvent> runs = new CopyOnWriteArrayList<>();

    @EventListener
    void onBatch(Embed4jBatchEvent event) {
      batches.add(event);
    }

    @EventListener
    void onRun(Embed4jRunEvent event) {
      runs.add(event);
    }
  }
}
