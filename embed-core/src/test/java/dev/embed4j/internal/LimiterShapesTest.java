package dev.embed4j.internal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.embed4j.spi.EmbeddingProvider;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

/**
 * {@link BucketRateLimiter} against servers whose limiters are not the bucket it starts with: it
 * believes the headers over its model, learns a limit that was never reported from where the 429s
 * begin, and turns into a window when no bucket explains the 429s. On a fake clock; nothing sleeps
 * (every acquire is asked not to wait).
 */
class LimiterShapesTest {
  private final FakeClock clock = new FakeClock();

  private static EmbeddingProvider.Limits tokens(long limit, long remaining, Duration reset) {
    return new EmbeddingProvider.Limits(-1, -1, null, limit, remaining, reset);
  }

  private static boolean fits(BucketRateLimiter limiter, long tokens) throws Exception {
    Duration waited = limiter.acquire(tokens, Duration.ZERO);
    if (waited != null) {
      limiter.release(tokens);
    }
    return waited != null;
  }

  /** One request that the server accepts and bills. */
  private static void sent(BucketRateLimiter limiter, long tokens) throws Exception {
    assertThat(limiter.acquire(tokens, Duration.ZERO)).as("admitted").isNotNull();
    limiter.settle(tokens, tokens);
  }

  /** One request that the server answers 429. */
  private static void refused(BucketRateLimiter limiter, long tokens, Duration retryAfter)
      throws Exception {
    assertThat(limiter.acquire(tokens, Duration.ZERO)).as("admitted").isNotNull();
    limiter.release(tokens);
    limiter.rejected(retryAfter);
  }

  /** A limiter without configured limits, past its opening probe, that knows nothing yet. */
  private BucketRateLimiter learningWithoutHeaders() throws Exception {
    BucketRateLimiter limiter = new BucketRateLimiter(0, 0, true, clock);
    sent(limiter, 100);
    limiter.observe(EmbeddingProvider.Limits.UNKNOWN);
    return limiter;
  }

  @Test
  void headersThatNoBucketWouldSend_makeAWindowThatWaitsForTheReset() throws Exception {
    BucketRateLimiter limiter = new BucketRateLimiter(0, 0, true, clock);
    sent(limiter, 100);
    // 100 of 6,000 used, whole limit back in 59 s: a bucket would need 1 s
    limiter.observe(tokens(6_000, 5_900, Duration.ofSeconds(59)));
    sent(limiter, 5_900);
    limiter.observe(tokens(6_000, 0, Duration.ofSeconds(59)));
    assertThat(fits(limiter, 1)).isFalse();

    clock.advance(Duration.ofSeconds(30));
    assertThat(fits(limiter, 1)).as("no trickle in a window").isFalse();

    clock.advance(Duration.ofMillis(29_100)); // past the reset the server reported
    assertThat(fits(limiter, 6_000)).as("the whole limit at once").isTrue();
  }

  @Test
  void aSlidingWindow_givesBackEachReplyAMinuteLater_beforeTheWholeReset() throws Exception {
    BucketRateLimiter limiter = new BucketRateLimiter(0, 0, true, clock);
    sent(limiter, 100);
    limiter.observe(tokens(6_000, 5_900, Duration.ofSeconds(60)));
    clock.advance(Duration.ofSeconds(30));
    sent(limiter, 5_900);
    limiter.observe(tokens(6_000, 0, Duration.ofSeconds(60))); // all back only at 90 s

    clock.advance(Duration.ofMillis(30_200)); // the first 100 have left the server's window
    assertThat(fits(limiter, 100)).isTrue();
    assertThat(fits(limiter, 101)).isFalse();
    clock.advance(Duration.ofSeconds(30));
    assertThat(fits(limiter, 6_000)).isTrue();
  }

  @Test
  void headersOfABucket_keepTheBucketRefillingWithTheClock() throws Exception {
    BucketRateLimiter limiter = new BucketRateLimiter(0, 0, true, clock);
    sent(limiter, 6_000);
    limiter.observe(tokens(6_000, 0, Duration.ofSeconds(60)));
    assertThat(fits(limiter, 1)).isFalse();

    clock.advance(Duration.ofSeconds(1));
    assertThat(fits(limiter, 100)).as("6,000 per minute refill 100 per second").isTrue();
    assertThat(fits(limiter, 101)).isFalse();
  }

  @Test
  void without_headers_a429_learnsTheLimitFromTheLastMinute_andABucketThatStartsEmpty()
      throws Exception {
    BucketRateLimiter limiter = learningWithoutHeaders();
    for (int i = 0; i < 9; i++) {
      sent(limiter, 100);
    }
    refused(limiter, 100, Duration.ofSeconds(1));
    assertThat(fits(limiter, 1)).as("the server is empty").isFalse();
    clock.advance(Duration.ofSeconds(6)); // 1,000 per minute: 100 in 6 s
    sent(limiter, 100); // the probe goes through: the server refills continuously
    clock.advance(Duration.ofSeconds(60));
    sent(limiter, 1_000); // a bucket of the 1,000 let through, +1 % of the 100 billed since
    assertThat(fits(limiter, 1)).isTrue();
    assertThat(fits(limiter, 2)).isFalse();
  }

  @Test
  void without_headers_aProbeRefusedToo_makesAWindowThatWaitsForWhatWasSentToLeaveIt()
      throws Exception {
    BucketRateLimiter limiter = learningWithoutHeaders();
    for (int i = 0; i < 9; i++) {
      sent(limiter, 100);
    }
    refused(limiter, 100, Duration.ofSeconds(2));
    clock.advance(Duration.ofSeconds(6));
    refused(limiter, 100, Duration.ofSeconds(2)); // no bucket refuses this: a window

    clock.advance(Duration.ofSeconds(30));
    assertThat(fits(limiter, 1)).as("nothing returns before the window has passed").isFalse();
    clock.advance(Duration.ofSeconds(25));
    sent(limiter, 1_000); // all 1,000 once 60 s have passed
    assertThat(fits(limiter, 1)).isFalse();
  }

  @Test
  void a429OfARequestSentBeforeTheLastOneActedOn_isTheSameWave() throws Exception {
    BucketRateLimiter limiter = new BucketRateLimiter(0, 6_000, false, clock);
    // sent on another thread before the first 429, refused after it
    CompletableFuture<Void> acquired = new CompletableFuture<>();
    CompletableFuture<Void> refuse = new CompletableFuture<>();
    Thread other =
        new Thread(
            () -> {
              try {
                limiter.acquire(100, Duration.ZERO);
                acquired.complete(null);
                refuse.join();
                limiter.release(100);
                limiter.rejected(null);
              } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
              }
            });
    other.start();
    acquired.join();
    clock.advance(Duration.ofMillis(1));
    refused(limiter, 100, null); // acted on: the bucket is emptied
    clock.advance(Duration.ofMillis(100));
    refuse.complete(null);
    other.join();

    clock.advance(Duration.ofSeconds(1));
    assertThat(fits(limiter, 150)).as("still a bucket, 100 per second").isFalse();
    assertThat(fits(limiter, 100)).isTrue();
  }

  @Test
  void aLearnedBucketRate_isCutByATenthOnA429_andRaisedByWhatIsBilled() throws Exception {
    BucketRateLimiter limiter = learningWithoutHeaders();
    for (int i = 0; i < 9; i++) {
      sent(limiter, 100);
    }
    refused(limiter, 100, Duration.ofSeconds(1));
    clock.advance(Duration.ofSeconds(6));
    sent(limiter, 100); // confirmed bucket of 1,000 per minute, +1 % of 100 billed: 1,001

    clock.advance(Duration.ofSeconds(1));
    refused(limiter, 1, null); // 1,001 x 0.9
    clock.advance(Duration.ofMinutes(2));
    sent(limiter, 900);
    assertThat(fits(limiter, 1)).isFalse();
  }
}
