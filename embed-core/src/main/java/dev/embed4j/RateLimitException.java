package dev.embed4j;

import java.time.Duration;

/**
 * The provider answered 429 because a requests- or tokens-per-minute limit was reached. It is
 * retryable, and it pauses every request of the same provider, key and model until the
 * server's {@link #retryAfter()} or the back-off delay has passed. A 429 for an exhausted quota
 * ({@code insufficient_quota}) is a plain, non-retryable {@link ProviderException} instead.
 */
public final class RateLimitException extends ProviderException {
  private static final long serialVersionUID = 1L;

  public RateLimitException(String provider, String model, String errorCode, String requestId, Duration retryAfter,
      String message) {
    this(provider, model, errorCode, requestId, retryAfter, message, null);
  }

  /** As above, with the underlying failure, e.g. a framework's own rate-limit exception. */
  public RateLimitException(String provider, String model, String errorCode, String requestId, Duration retryAfter,
      String message, Throwable cause) {
    super(provider, model, 429, errorCode, requestId, true, retryAfter, message, cause);
  }
}
