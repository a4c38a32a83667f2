package dev.embed4j;

import static org.assertj.core.api.Assertions.assertThat;

import dev.embed4j.emulator.EmbeddingEmulator;
import dev.embed4j.emulator.Faults;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Runs under injected faults and tight rate limits: every vector is the emulator's for its input,
 * tokens equal what the emulator billed, and nothing non-retryable is retried.
 */
class FaultToleranceTest {
  private EmbeddingEmulator emulator;
  private Embedder embedder;

  @AfterEach
  void stop() {
    if (embedder != null) {
      embedder.close();
    }
    if (emulator != null) {
      emulator.close();
    }
  }

  @Test
  void serverErrorsResetsTruncatedMalformedAndWrongCountRepliesAreRetriedUntilEveryVectorIsRight() {
    emulator =
        EmbeddingEmulator.builder()
            .faults(
                Faults.builder()
                    .serverErrorRate(0.05)
                    .resetRate(0.03)
                    .truncatedRate(0.02)
                    .malformedRate(0.02)
                    .wrongCountRate(0.02)
                    .duplicateIndexRate(0.02)
                    .seed(7)
                    .build())
            .start();
    embedder =
        Embedder.builder()
            .model("text-embedding-3-small")
            .apiKey("k")
            .baseUrl(emulator.baseUrl())
            .batchSize(16)
            .maxConcurrentRequests(16)
            .maxAttempts(10)
            .initialBackoff(Duration.ofMillis(2))
            .maxBackoff(Duration.ofMillis(20))
            .build();
    List<String> texts = EmulatorEndToEndTest.texts(4_000);

    EmbeddingRun run = embedder.embed(texts);

    EmulatorEndToEndTest.assertEveryVector(run, "text-embedding-3-small", null, 1536);
    assertThat(emulator.stats().faults()).as("faults were injected").isGreaterThan(20);
    assertThat(run.retries())
        .as("each fault cost exactly one retry")
        .isEqualTo(emulator.stats().faults());
    assertThat(run.requests()).isEqualTo(emulator.stats().requests());
    assertThat(run.tokens())
        .as("billed once per batch, as the emulator billed")
        .isEqualTo(emulator.stats().tokensBilled());
  }

  @Test
  void slowRepliesPastTheRequestTimeoutAreRetried() {
    emulator =
        EmbeddingEmulator.builder()
            .faults(Faults.builder().slowRate(0.05, Duration.ofSeconds(3)).seed(3).build())
            .start();
    embedder =
        Embedder.builder()
            .model("text-embedding-3-small")
            .apiKey("k")
            .baseUrl(emulator.baseUrl())
            .batchSize(10)
            .maxConcurrentRequests(16)
            // Well under the 3 s of a slow reply, well over a normal one on a loaded machine.
            .requestTimeout(Duration.ofMillis(1500))
            .initialBackoff(Duration.ofMillis(1))
            .maxBackoff(Duration.ofMillis(5))
            .maxAttempts(6)
            .build();

    EmbeddingRun run = embedder.embed(EmulatorEndToEndTest.texts(1_000));

    EmulatorEndToEndTest.assertEveryVector(run, "text-embedding-3-small", null, 1536);
    assertThat(run.retries()).isGreaterThan(0);
    assertThat(run.tokens()).isEqualTo(emulator.stats().tokensBilled());
  }

  @Test
  void afterTheLastAttemptABatchFailsAloneAndRetryFailedCompletesTheRun() {
    emulator = EmbeddingEmulator.builder().start();
    embedder =
        Embedder.builder()
            .model("text-embedding-3-small")
            .apiKey("k")
            .baseUrl(emulator.baseUrl())
            .batchSize(100)
            .maxConcurrentRequests(1)
            .maxAttempts(2)
            .initialBackoff(Duration.ofMillis(1))
            .maxBackoff(Duration.ofMillis(2))
            .build();
    emulator.failNext(
        2, 503, "{\"error\":{\"message\":\"overloaded\",\"type\":\"server_error\",\"code\":null}}");
    List<String> texts = EmulatorEndToEndTest.texts(500);

    EmbeddingRun run = embedder.embed(texts);

    assertThat(run.failedIndices())
        .containsExactlyElementsOf(IntStream.range(0, 100).boxed().toList());
    assertThat(run.batches().get(1).succeeded()).isTrue();
    EmbeddingRun retried = embedder.retryFailed(run);
    EmulatorEndToEndTest.assertEveryVector(retried, "text-embedding-3-small", null, 1536);
    assertThat(retried.tokens()).isEqualTo(emulator.stats().tokensBilled());
  }

  @Test
  void aTokensPerMinuteLimitIsLearnedFromHeadersAndKeepsFewerThanOnePercentOf429s() {
    // 600k TPM; the run needs about 700k tokens, so it must wait on the limit for some seconds.
    emulator = EmbeddingEmulator.builder().tokensPerMinute(600_000).start();
    AtomicInteger limiterWaits = new AtomicInteger();
    embedder =
        Embedder.builder()
            .model("text-embedding-3-small")
            .apiKey("k")
            .baseUrl(emulator.baseUrl())
            .batchSize(64)
            .maxConcurrentRequests(32)
            .listener(
                new EmbedListener() {
                  @Override
                  public void rateLimitWait(
                      String runId, String model, Duration delay, boolean serverRejected) {
                    if (!serverRejected) {
                      limiterWaits.incrementAndGet();
                    }
                  }
                })
            .build();
    List<String> texts =
        IntStream.range(0, 6_400)
            .mapToObj(i -> ("Passage " + i + " of the corpus, long enough to count. ").repeat(8))
            .toList();
    long needed = texts.stream().mapToLong(EmbeddingEmulator::expectedTokens).sum();
    assertThat(needed).isBetween(620_000L, 800_000L);

    EmbeddingRun run = embedder.embed(texts);

    EmulatorEndToEndTest.assertEveryVector(run, "text-embedding-3-small", null, 1536);
    assertThat(run.tokens()).isEqualTo(emulator.stats().tokensBilled());
    assertThat(limiterWaits.get()).as("the client waited on its own limiter").isPositive();
    assertThat((double) emulator.stats().rateLimited() / emulator.stats().requests())
        .as("share of requests answered 429")
        .isLessThan(0.01);
  }

  @Test
  void aRequestsPerMinuteLimitConfiguredByTheUserIsRespected() {
    emulator = EmbeddingEmulator.builder().requestsPerMinute(300).start();
    embedder =
        Embedder.builder()
            .model("text-embedding-3-small")
            .apiKey("k")
            .baseUrl(emulator.baseUrl())
            .batchSize(5)
            .maxConcurrentRequests(16)
            .requestsPerMinute(300)
            .learnRateLimits(false)
            .build();

    EmbeddingRun run = embedder.embed(EmulatorEndToEndTest.texts(1_600)); // 320 requests

    EmulatorEndToEndTest.assertEveryVector(run, "text-embedding-3-small", null, 1536);
    assertThat(emulator.stats().rateLimited()).isLessThanOrEqualTo(3);
  }

  @Test
  void a429StormPausesThePoolAndTheRunStillCompletes() {
    // No client-side limit: the pool runs into the server's limit and must back off together.
    emulator = EmbeddingEmulator.builder().requestsPerMinute(600).start();
    embedder =
        Embedder.builder()
            .model("text-embedding-3-small")
            .apiKey("k")
            .baseUrl(emulator.baseUrl())
            .batchSize(4)
            .maxConcurrentRequests(64)
            .learnRateLimits(false)
            .maxAttempts(20)
            .build();

    EmbeddingRun run = embedder.embed(EmulatorEndToEndTest.texts(2_600)); // 650 requests

    EmulatorEndToEndTest.assertEveryVector(run, "text-embedding-3-small", null, 1536);
    assertThat(run.rateLimited()).isEqualTo(emulator.stats().rateLimited());
    assertThat((double) run.rateLimited() / run.requests())
        .as("the pool slows to the server's rate instead of bouncing off it")
        .isLessThan(0.25);
    assertThat(run.tokens()).isEqualTo(emulator.stats().tokensBilled());
  }

  @Test
  void nonRetryableStatusesAreNeverRetried() {
    emulator =
        EmbeddingEmulator.builder().apiKeys("good-key").quotaExhaustedKeys("broke-key").start();
    for (String key : List.of("bad-key", "broke-key")) {
      try (Embedder e =
          Embedder.builder()
              .model("text-embedding-3-small")
              .apiKey(key)
              .baseUrl(emulator.baseUrl())
              .batchSize(10)
              .maxConcurrentRequests(4)
              .build()) {
        emulator.stats().reset();
        EmbeddingRun run = e.embed(EmulatorEndToEndTest.texts(200));
        assertThat(run.failedIndices()).hasSize(200);
        assertThat(run.retries()).isZero();
        assertThat(emulator.stats().requests())
            .as("stopped at once, not 20 requests")
            .isLessThanOrEqualTo(4);
      }
    }
  }
}
