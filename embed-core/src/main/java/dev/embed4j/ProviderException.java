package dev.embed4j;

import java.time.Duration;
import java.util.Optional;

/**
 * A request to a provider failed: an error status, a connection failure or time-out, or a reply
 * that could not be used (malformed, or with the wrong number of vectors).
 *
 * <p>{@link #isRetryable()} tells whether Embed4j retried or would retry it: 408, 409, 429 with
 * {@code rate_limit_exceeded}, 5xx, connection failures, time-outs and unusable replies are
 * retryable; other 4xx statuses and {@code insufficient_quota} are not.
 */
public class ProviderException extends Embed4jException {
  private static final long serialVersionUID = 1L;

  private final String provider;
  private final String model;
  private final int statusCode;
  private final String errorCode;
  private final String requestId;
  private final boolean retryable;
  private final Duration retryAfter;

  /**
   * @param provider the provider id, e.g. {@code openai}
   * @param model the model name
   * @param statusCode the HTTP status, or 0 when no response was received
   * @param errorCode the provider's error code ({@code rate_limit_exceeded}, ...), or null
   * @param requestId the provider's request id, or null
   * @param retryable whether the same request may succeed when sent again
   * @param retryAfter how long the server asked to wait, or null
   * @param message what happened, never containing an API key
   * @param cause the underlying failure, or null
   */
  public ProviderException(String provider, String model, int statusCode, String errorCode, String requestId,
      boolean retryable, Duration retryAfter, String message, Throwable cause) {
    super(message, cause);
    this.provider = provider;
    this.model = model;
    this.statusCode = statusCode;
    this.errorCode = errorCode;
    this.requestId = requestId;
    this.retryable = retryable;
    this.retryAfter = retryAfter;
  }

  /** The provider id, e.g. {@code openai}. */
  public String provider() {
    return provider;
  }

  /** The model name the request was for. */
  public String model() {
    return model;
  }

  /** The HTTP status, or 0 when no response was received. */
  public int statusCode() {
    return statusCode;
  }

  /** The provider's error code, such as {@code rate_limit_exceeded}, if it sent one. */
  public Optional<String> errorCode() {
    return Optional.ofNullable(errorCode);
  }

  /** The provider's request id ({@code x-request-id}), if it sent one. */
  public Optional<String> requestId() {
    return Optional.ofNullable(requestId);
  }

  /** How long the server asked to wait ({@code retry-after-ms} / {@code retry-after}), if it did. */
  public Optional<Duration> retryAfter() {
    return Optional.ofNullable(retryAfter);
  }

  @Override
  public boolean isRetryable() {
    return retryable;
  }
}
