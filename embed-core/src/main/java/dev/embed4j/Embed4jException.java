package dev.embed4j;

/**
 * The root of every exception Embed4j throws or reports, apart from configuration errors,
 * which are {@link IllegalArgumentException}s and {@link IllegalStateException}s raised by the
 * builders.
 *
 * <p>Subclasses carry what a caller needs to act on a failure: {@link ProviderException} the
 * provider, model, HTTP status, request id and retry delay; {@link InvalidInputException} the
 * index of the offending input; {@link IncompleteRunException} the failed batches. Plain
 * {@code Embed4jException}s report a run that was stopped: cancelled, past its deadline, or
 * over its cost budget. No exception ever carries an API key.
 */
public class Embed4jException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  public Embed4jException(String message) {
    super(message);
  }

  public Embed4jException(String message, Throwable cause) {
    super(message, cause);
  }

  /** Whether sending the same request again may succeed. */
  public boolean isRetryable() {
    return false;
  }
}
