package dev.embed4j.internal;

import dev.embed4j.AuthenticationException;
import dev.embed4j.Embed4jException;
import dev.embed4j.ProviderException;
import dev.embed4j.QuotaExhaustedException;
import dev.embed4j.StopReason;
import java.time.Duration;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.DoubleSupplier;

/**
 * What to do after a failed attempt: a pure function of the failure and the attempt number.
 *
 * <p>A rejected key or an exhausted quota fails the batch and stops the run (every other request
 * would fail the same way). A failure that is not retryable, or the last allowed attempt, fails the
 * batch. Anything else is retried after the server's {@code retry-after}, else after exponential
 * back-off with "equal jitter": half the delay fixed, half random, doubling per attempt from the
 * initial delay up to the maximum.
 */
final class RetryPolicy {
  private final int maxAttempts;
  private final long initialNanos;
  private final long maxNanos;
  private final DoubleSupplier random;

  RetryPolicy(int maxAttempts, Duration initial, Duration max) {
    this(maxAttempts, initial, max, () -> ThreadLocalRandom.current().nextDouble());
  }

  RetryPolicy(int maxAttempts, Duration initial, Duration max, DoubleSupplier random) {
    this.maxAttempts = maxAttempts;
    this.initialNanos = initial.toNanos();
    this.maxNanos = max.toNanos();
    this.random = random;
  }

  /**
   * The decision after attempt {@code attempt} (from 1) failed with {@code failure}.
   *
   * @param retry whether to send the batch again
   * @param delay how long to wait first (retries only)
   * @param stopRun why the whole run must stop sending, or null
   */
  record Decision(boolean retry, Duration delay, StopReason stopRun) {}

  Decision decide(Embed4jException failure, int attempt) {
    if (failure instanceof AuthenticationException) {
      return new Decision(false, Duration.ZERO, StopReason.KEY_REJECTED);
    }
    if (failure instanceof QuotaExhaustedException) {
      return new Decision(false, Duration.ZERO, StopReason.QUOTA_EXHAUSTED);
    }
    if (!failure.isRetryable() || attempt >= maxAttempts) {
      return new Decision(false, Duration.ZERO, null);
    }
    Duration serverDelay =
        failure instanceof ProviderException
            ? ((ProviderException) failure).retryAfter().orElse(null)
            : null;
    return new Decision(true, serverDelay != null ? serverDelay : backoff(attempt), null);
  }

  /** The back-off after failed attempt {@code attempt}, with its jitter. */
  Duration backoff(int attempt) {
    long base = initialNanos;
    for (int i = 1; i < attempt && base < maxNanos; i++) {
      base *= 2;
    }
    base = Math.min(base, maxNanos);
    long half = base / 2;
    return Duration.ofNanos(half + (long) (random.getAsDouble() * (half + 1)));
  }
}
