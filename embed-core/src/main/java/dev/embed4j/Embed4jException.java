package dev.embed4j;

import java.util.Optional;

/**
 * The root of every exception Embed4j throws or reports, apart from configuration errors, which are
 * {@link IllegalArgumentException}s and {@link IllegalStateException}s raised by the builders.
 *
 * <p>Subclasses carry what a caller needs to act on a failure: {@link ProviderException} the
 * provider, model, HTTP status, request id and retry delay; {@link InvalidInputException} the index
 * of the offending input; {@link IncompleteRunException} the failed batches. A batch that was not
 * embedded because its run stopped fails with a plain {@code Embed4jException} whose {@link
 * #stopReason()} says why. No exception ever carries an API key.
 */
public class Embed4jException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  private final StopReason stopReason;

  public Embed4jException(String message) {
    this(null, message, null);
  }

  public Embed4jException(String message, Throwable cause) {
    this(null, message, cause);
  }

  /** A batch not embedded because its run stopped for {@code reason}. */
  public Embed4jException(StopReason reason, String message, Throwable cause) {
    super(message, cause);
    this.stopReason = reason;
  }

  /** Whether sending the same request again may succeed. */
  public boolean isRetryable() {
    return false;
  }

  /**
   * Whether this is the provider's answer that a rate limit was reached (HTTP 429 other than an
   * exhausted quota). The one definition the run's, the progress line's and the meters' counts of
   * rate-limited attempts share.
   */
  public boolean isRateLimited() {
    return false;
  }

  /** Why the run stopped, if this failure is that it stopped before embedding the batch. */
  public Optional<StopReason> stopReason() {
    return Optional.ofNullable(stopReason);
  }
}
