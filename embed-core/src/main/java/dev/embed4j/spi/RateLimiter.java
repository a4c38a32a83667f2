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

  /**
   * The limiter for one provider endpoint, key and model. The engine calls this once per scope, on
   * the limiter given to {@link dev.embed4j.Embedder.Builder#rateLimiter(RateLimiter)}, and paces
   * that scope's requests with what it returns. The default returns this limiter, for every scope.
   */
  default RateLimiter bind(Scope scope) {
    return this;
  }

  /**
   * What one limiter paces: {@code id} is a one-way fingerprint of the provider endpoint, the key
   * and the model (the same in every process that uses them, never the key itself), and the
   * embedder's configured limits (0: not configured) and whether to learn the provider's.
   */
  record Scope(String id, int requestsPerMinute, long tokensPerMinute, boolean learn) {
    public Scope {
      java.util.Objects.requireNonNull(id, "id");
    }
  }

  /**
   * A limiter whose budgets live in Redis, so that every process using the same provider, key and
   * model shares them: the requests- and tokens-per-minute buckets (Bucket4j's Lettuce back end),
   * the limits learned from the provider's headers, and the pause after a 429 (a 429 seen by one
   * process pauses all). Each scope is stored under {@code embed4j:rl:{id}:*} where {@code id} is
   * {@link Scope#id()}, never the key. The limits are the embedder's ({@code requestsPerMinute},
   * {@code tokensPerMinute}) or learned, as for the built-in limiter.
   *
   * <p>If Redis cannot be reached (at start or later; a command taking over a second counts), the
   * limiter logs one warning and paces on this process's own limits; it tries Redis again every
   * second and rejoins the shared budget when Redis answers. Requires {@code
   * io.lettuce:lettuce-core} and {@code com.bucket4j:bucket4j_jdk17-lettuce} on the classpath.
   *
   * <pre>{@code
   * Embedder embedder = Embedder.builder()
   *     .model("text-embedding-3-small")
   *     .tokensPerMinute(1_000_000)
   *     .rateLimiter(RateLimiter.redis("redis://localhost:6379"))
   *     .build();
   * }</pre>
   *
   * @param redisUri a Lettuce Redis URI, such as {@code redis://host:6379/0} or {@code
   *     rediss://user:password@host:6380}; it is never logged with its password
   * @throws IllegalStateException if Lettuce or Bucket4j's Lettuce back end is not on the classpath
   * @throws IllegalArgumentException if the URI is not a Redis URI
   */
  static RateLimiter redis(String redisUri) {
    java.util.Objects.requireNonNull(redisUri, "redisUri");
    dev.embed4j.internal.RedisRateLimiters.requireLibraries();
    return dev.embed4j.internal.RedisRateLimiters.create(redisUri);
  }
}
