package dev.embed4j.spi;

import java.time.Duration;

/**
 * Keeps the requests and tokens sent per minute under a provider's limits. One limiter is shared by
 * every request of the same provider, key and model. The built-in one uses Bucket4j token buckets,
 * configured with {@link dev.embed4j.Embedder.Builder#requestsPerMinute(int)} and {@link
 * dev.embed4j.Embedder.Builder#tokensPerMinute(long)} or learned from the provider's {@code
 * x-ratelimit-*} headers; implement this interface to share a budget between processes (for example
 * with Bucket4j's Redis back end). Implementations must be thread-safe.
 */
public interface RateLimiter {

  /** A limiter that never waits. */
  RateLimiter NONE =
      new RateLimiter() {
        @Override
        public Duration acquire(long tokens, Duration maxWait) {
          return Duration.ZERO;
        }
      };

  /**
   * Reserves one request and {@code tokens} tokens, waiting until they are available.
   *
   * @param tokens the estimated tokens of the request
   * @param maxWait the longest the caller may wait
   * @return how long it waited, or null if the reservation could not be made within {@code maxWait}
   *     (nothing is then reserved)
   * @throws InterruptedException if the waiting thread is interrupted
   */
  Duration acquire(long tokens, Duration maxWait) throws InterruptedException;

  /** A reserved request was not billed (it failed): give its tokens back. */
  default void release(long tokens) {}

  /** A reserved request was billed {@code actual} tokens where {@code estimated} were reserved. */
  default void settle(long estimated, long actual) {}

  /**
   * The provider answered a request this limiter let through with a 429: the local model of the
   * limit was wrong. {@code retryAfter} is what the server asked for (null if it said nothing); a
   * limiter shared by processes makes every one of them wait it out.
   */
  default void rejected(Duration retryAfter) {}

  /** The provider reported its limits and what remains of them. */
  default void observe(EmbeddingProvider.Limits limits) {}

  /** The longest single request, in tokens, this limiter can ever let through; -1 if unlimited. */
  default long maxTokensPerRequest() {
    return -1;
  }
}
