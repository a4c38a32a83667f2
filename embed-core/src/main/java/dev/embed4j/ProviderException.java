package dev.embed4j;

import java.time.Duration;
import java.util.Objects;
import java.util.Optional;

/**
 * A request to a provider failed: an error status, a connection failure or time-out, or a reply
 * that could not be used (malformed, or with the wrong number of vectors).
 *
 * <p>{@link #isRetryable()} tells whether Embed4j retried or would retry it: 408, 409, 429 with
 * {@code rate_limit_exceeded}, 5xx, connection failures, time-outs and unusable replies are
 * retryable; other 4xx statuses and an exhausted quota are not. Its subclasses are the failures a
 * caller branches on: {@link RateLimitException}, {@link AuthenticationException}, {@link
 * QuotaExhaustedException}. Create one with {@link #builder(String, String)}, which decides the
 * type from the status and error code.
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
  private final boolean requestTooLarge;

  ProviderException(Builder b, boolean retryable, String message) {
    super(message, b.cause);
    this.provider = b.provider;
    this.model = b.model;
    this.statusCode = b.status;
    this.errorCode = b.errorCode;
    this.requestId = b.requestId;
    this.retryable = retryable;
    this.retryAfter = b.retryAfter;
    this.requestTooLarge = b.requestTooLarge;
  }

  /**
   * Starts describing a failure of {@code provider}'s {@code model}.
   *
   * @param provider the provider id, e.g. {@code openai}
   * @param model the model name the request was for
   */
  public static Builder builder(String provider, String model) {
    return new Builder(provider, model);
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

  /**
   * How long the server asked to wait ({@code retry-after-ms} / {@code retry-after}), if it did.
   */
  public Optional<Duration> retryAfter() {
    return Optional.ofNullable(retryAfter);
  }

  @Override
  public boolean isRetryable() {
    return retryable;
  }

  /**
   * Whether the provider refused the request for carrying too many tokens or inputs (OpenAI's
   * {@code max_tokens_per_request} or "maximum context length", HTTP 413, and the like). The engine
   * never fails a batch for this: it halves the batch and sends the halves, down to single inputs,
   * and only a single input that is itself too long fails, as an {@link InvalidInputException}
   * naming its index.
   */
  public boolean isRequestTooLarge() {
    return requestTooLarge;
  }

  /**
   * Describes a provider failure and creates the exception of the type that tells the engine what
   * to do: the one place where a status and an error code are mapped to rate-limited, key rejected,
   * quota exhausted, retryable or not.
   */
  public static final class Builder {
    private final String provider;
    private final String model;
    private int status;
    private String errorCode;
    private String requestId;
    private Duration retryAfter;
    private Boolean retryable;
    private boolean requestTooLarge;
    private Throwable cause;

    private Builder(String provider, String model) {
      this.provider = Objects.requireNonNull(provider, "provider");
      this.model = Objects.requireNonNull(model, "model");
    }

    /** The HTTP status of the reply; 0 (the default) when no reply was received. */
    public Builder status(int status) {
      if (status < 0 || status > 999) {
        throw new IllegalArgumentException("status must be 0 or an HTTP status, was " + status);
      }
      this.status = status;
      return this;
    }

    /** The provider's error code, e.g. {@code rate_limit_exceeded}, or null. */
    public Builder errorCode(String errorCode) {
      this.errorCode = errorCode;
      return this;
    }

    /** The provider's request id, or null. */
    public Builder requestId(String requestId) {
      this.requestId = requestId;
      return this;
    }

    /** How long the server asked to wait, or null. */
    public Builder retryAfter(Duration retryAfter) {
      this.retryAfter = retryAfter;
      return this;
    }

    /**
     * Overrides whether the failure is retryable, for what the status alone does not say: a 200
     * whose body cannot be used is, a framework's "non-retriable" failure is not.
     */
    public Builder retryable(boolean retryable) {
      this.retryable = retryable;
      return this;
    }

    /**
     * Marks the failure as a request the provider found too large (too many tokens or inputs), so
     * that the engine splits the batch instead of failing it; see {@link #isRequestTooLarge()}.
     * Default false.
     */
    public Builder requestTooLarge(boolean tooLarge) {
      this.requestTooLarge = tooLarge;
      return this;
    }

    /** The underlying failure, or null. */
    public Builder cause(Throwable cause) {
      this.cause = cause;
      return this;
    }

    /**
     * The exception, of the type its status and code call for: 401/403 an {@link
     * AuthenticationException}; 429 an {@link QuotaExhaustedException} for {@code
     * insufficient_quota}, else a {@link RateLimitException}; otherwise a {@code
     * ProviderException}, retryable for no reply (status 0), 408, 409 and 5xx unless {@link
     * #retryable(boolean)} said otherwise. A rejected key or an exhausted quota gets a hint of what
     * to check appended to the message.
     *
     * @param message what happened, never containing an API key
     */
    public ProviderException build(String message) {
      Objects.requireNonNull(message, "message");
      if (status == 401) {
        return new AuthenticationException(this, message + ". Check the API key.");
      }
      if (status == 403) {
        return new AuthenticationException(
            this, message + ". Check the key's permissions for this model.");
      }
      if (status == 429) {
        return QuotaExhaustedException.CODE.equals(errorCode)
            ? new QuotaExhaustedException(
                this, message + ". The account's quota is used up: retrying will not help.")
            : new RateLimitException(this, message);
      }
      boolean byStatus = status == 0 || status == 408 || status == 409 || status >= 500;
      return new ProviderException(this, retryable != null ? retryable : byStatus, message);
    }
  }
}
