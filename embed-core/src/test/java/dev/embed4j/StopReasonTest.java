package dev.embed4j;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.math.BigDecimal;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import okhttp3.mockwebserver.Dispatcher;
import okhttp3.mockwebserver.MockResponse;
import okhttp3.mockwebserver.MockWebServer;
import okhttp3.mockwebserver.RecordedRequest;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Why a run stopped, as a type a caller can branch on: on the run, on every batch it did not embed,
 * and on the {@link IncompleteRunException}.
 */
class StopReasonTest {
  private final MockWebServer server = new MockWebServer();

  @BeforeEach
  void start() throws Exception {
    server.start();
  }

  @AfterEach
  void stop() throws Exception {
    server.shutdown();
  }

  private Embedder.Builder builder() {
    return Embedder.builder()
        .model("text-embedding-3-small")
        .apiKey("sk-test")
        .baseUrl(server.url("/").toString())
        .batchSize(1)
        .maxConcurrentRequests(1)
        .learnRateLimits(false)
        .initialBackoff(Duration.ofMillis(1))
        .maxBackoff(Duration.ofMillis(2));
  }

  private static List<String> texts(int n) {
    List<String> texts = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      texts.add("text " + i);
    }
    return texts;
  }

  private static void assertStopped(EmbeddingRun run, StopReason reason) {
    assertThat(run.stopReason()).contains(reason);
    assertThat(run.failedBatches()).isNotEmpty();
    assertThat(run.failedBatches().subList(1, run.failedBatches().size()))
        .allSatisfy(b -> assertThat(b.stopReason()).contains(reason));
    assertThatThrownBy(run::vectors)
        .isInstanceOfSatisfying(
            IncompleteRunException.class, e -> assertThat(e.stopReason()).contains(reason));
  }

  @Test
  void aRejectedKey_isKeyRejected() {
    server.enqueue(Replies.openAiError(401, "invalid_api_key", "Incorrect API key provided"));
    try (Embedder embedder = builder().build()) {
      EmbeddingRun run = embedder.embed(texts(4));
      assertStopped(run, StopReason.KEY_REJECTED);
      assertThat(run.batches().get(0).error()).get().isInstanceOf(AuthenticationException.class);
      assertThat(server.getRequestCount()).isEqualTo(1);
    }
  }

  @Test
  void anExhaustedQuota_isItsOwnNonRetryableType_andStopsTheRun() {
    server.enqueue(Replies.openAiError(429, "insufficient_quota", "You exceeded your quota"));
    try (Embedder embedder = builder().build()) {
      EmbeddingRun run = embedder.embed(texts(3));
      assertStopped(run, StopReason.QUOTA_EXHAUSTED);
      assertThat(run.batches().get(0).error())
          .get()
          .isInstanceOfSatisfying(
              QuotaExhaustedException.class,
              e -> {
                assertThat(e.isRetryable()).isFalse();
                assertThat(e.isRateLimited()).isFalse();
              });
      assertThat(run.batches().get(0).attempts()).isEqualTo(1);
      assertThat(run.rateLimited()).as("an exhausted quota is not a rate limit").isZero();
    }
  }

  @Test
  void aBatchOverTheBudget_isOverBudget() {
    server.setDispatcher(echo(0));
    try (Embedder embedder = builder().maxCost(new BigDecimal("0.00000001")).build()) {
      EmbeddingRun run = embedder.embed(texts(3));
      assertThat(run.stopReason()).contains(StopReason.OVER_BUDGET);
      assertThat(run.failedBatches())
          .allSatisfy(b -> assertThat(b.stopReason()).contains(StopReason.OVER_BUDGET));
    }
  }

  @Test
  void theDeadline_isDeadlinePassed() {
    server.setDispatcher(echo(2_000));
    try (Embedder embedder = builder().runTimeout(Duration.ofMillis(300)).build()) {
      EmbeddingRun run = embedder.embed(texts(3));
      assertThat(run.stopReason()).contains(StopReason.DEADLINE_PASSED);
      assertThat(run.failedBatches())
          .allSatisfy(b -> assertThat(b.stopReason()).contains(StopReason.DEADLINE_PASSED));
    }
  }

  @Test
  void aCancelledFuture_isCancelled() throws Exception {
    server.setDispatcher(echo(2_000));
    List<EmbeddingRun> finished = new ArrayList<>();
    try (Embedder embedder =
        builder()
            .listener(
                new EmbedListener() {
                  @Override
                  public void runFinished(EmbeddingRun run) {
                    finished.add(run);
                  }
                })
            .build()) {
      CompletableFuture<EmbeddingRun> future = embedder.embedAsync(texts(3));
      server.takeRequest(5, TimeUnit.SECONDS);
      future.cancel(true);
      awaitFinished(finished);
      assertThat(finished.get(0).stopReason()).contains(StopReason.CANCELLED);
    }
  }

  @Test
  void closingTheEmbedder_isEmbedderClosed() throws Exception {
    server.setDispatcher(echo(2_000));
    List<EmbeddingRun> finished = new ArrayList<>();
    Embedder embedder =
        builder()
            .listener(
                new EmbedListener() {
                  @Override
                  public void runFinished(EmbeddingRun run) {
                    finished.add(run);
                  }
                })
            .build();
    embedder.embedAsync(texts(3));
    server.takeRequest(5, TimeUnit.SECONDS);
    embedder.close();
    awaitFinished(finished);
    assertThat(finished.get(0).stopReason()).contains(StopReason.EMBEDDER_CLOSED);
  }

  @Test
  void aCompleteRun_hasNoStopReason() {
    server.setDispatcher(echo(0));
    try (Embedder embedder = builder().build()) {
      EmbeddingRun run = embedder.embed(texts(2));
      assertThat(run.isComplete()).isTrue();
      assertThat(run.stopReason()).isEmpty();
      assertThat(run.batches()).allSatisfy(b -> assertThat(b.stopReason()).isEmpty());
    }
  }

  private static void awaitFinished(List<EmbeddingRun> finished) throws InterruptedException {
    long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while (finished.isEmpty() && System.nanoTime() < until) {
      Thread.sleep(10);
    }
    assertThat(finished).as("runFinished").hasSize(1);
  }

  /** Answers every one-text request with a vector, after {@code delayMs}. */
  private static Dispatcher echo(long delayMs) {
    return new Dispatcher() {
      @Override
      public MockResponse dispatch(RecordedRequest request) {
        return Replies.openAiInOrder(1, 1, 1536, 2).setBodyDelay(delayMs, TimeUnit.MILLISECONDS);
      }
    };
  }
}
