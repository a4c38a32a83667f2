package dev.embed4j;

import static org.assertj.core.api.Assertions.assertThat;

import dev.embed4j.emulator.EmbeddingEmulator;
import dev.embed4j.emulator.LimiterShape;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.junit.jupiter.api.Test;

/**
 * A run past a server limit of every shape, with and without rate-limit headers, and Cohere's
 * inputs per minute without any: every vector arrives and few requests are answered 429. Each run
 * needs one and a half minutes' worth of its limit, so it must wait for capacity to return once;
 * the scenarios run side by side (about 70 s in all). No timing is asserted: how close the runs
 * come to what the limit allows is measured by the benchmark harness ({@code docs/benchmarks.md}).
 */
class LimiterShapesEndToEndTest {
  private static final int TEXTS = 1_200; // 300 batches of 4

  record Scenario(String provider, LimiterShape shape, boolean headers, double max429Share) {}

  record Outcome(Scenario scenario, EmbeddingRun run, long requests, long rateLimited) {}

  @Test
  void everyShapeWithAndWithoutHeaders_completesWithFew429s() throws Exception {
    List<Scenario> scenarios = new ArrayList<>();
    for (LimiterShape shape : LimiterShape.values()) {
      scenarios.add(new Scenario("openai", shape, true, 0.02));
      scenarios.add(new Scenario("openai", shape, false, 0.05));
    }
    scenarios.add(new Scenario("cohere", LimiterShape.FIXED_WINDOW, false, 0.05));
    ExecutorService pool = Executors.newFixedThreadPool(scenarios.size());
    try {
      List<CompletableFuture<Outcome>> runs = new ArrayList<>();
      for (Scenario s : scenarios) {
        runs.add(CompletableFuture.supplyAsync(() -> run(s), pool));
      }
      for (CompletableFuture<Outcome> f : runs) {
        Outcome o = f.get();
        Scenario s = o.scenario();
        String what = s.provider() + ", " + s.shape() + (s.headers() ? ", headers" : ", none");
        assertThat(o.run().isComplete()).as(what).isTrue();
        assertThat((double) o.rateLimited() / o.requests())
            .as(what + ": share of requests answered 429 (" + o.rateLimited() + ")")
            .isLessThanOrEqualTo(s.max429Share());
      }
    } finally {
      pool.shutdownNow();
    }
  }

  private static Outcome run(Scenario s) {
    List<String> texts = EmulatorEndToEndTest.texts(TEXTS);
    long tokens = texts.stream().mapToLong(EmbeddingEmulator::expectedTokens).sum();
    EmbeddingEmulator.Builder b =
        EmbeddingEmulator.builder()
            .latency(Duration.ofMillis(20))
            .limiterShape(s.shape())
            .rateLimitHeaders(s.headers())
            .maxRetryAfter(Duration.ofSeconds(2));
    boolean cohere = s.provider().equals("cohere");
    if (cohere) {
      b.inputsPerMinute(TEXTS * 2 / 3);
    } else {
      b.tokensPerMinute(tokens * 2 / 3);
    }
    try (EmbeddingEmulator emulator = b.start();
        Embedder embedder =
            Embedder.builder()
                .model(cohere ? "cohere:embed-english-v3.0" : "text-embedding-3-small")
                .apiKey("k")
                .baseUrl(emulator.baseUrl())
                .batchSize(4)
                .maxConcurrentRequests(8)
                .maxAttempts(20)
                .build()) {
      EmbeddingRun run = embedder.embed(texts);
      EmulatorEndToEndTest.assertEveryVector(
          run,
          cohere ? "embed-english-v3.0" : "text-embedding-3-small",
          cohere ? "search_document" : null,
          cohere ? 1024 : 1536);
      assertThat(run.tokens()).isEqualTo(emulator.stats().tokensBilled());
      return new Outcome(s, run, emulator.stats().requests(), emulator.stats().rateLimited());
    }
  }
}
