package dev.embed4j;

/**
 * The provider rejected the API key (401) or its permissions (403). Not retryable; it stops the
 * whole run at once, since every other request would fail the same way.
 */
public final class AuthenticationException extends ProviderException {
  private static final long serialVersionUID = 1L;

  public AuthenticationException(String provider, String model, int statusCode, String errorCode, String requestId,
      String message) {
    this(provider, model, statusCode, errorCode, requestId, message, null);
  }

  /** As above, with the underlying failure, e.g. a framework's own authentication exception. */
  public AuthenticationException(String provider, String model, int statusCode, String errorCode, String requestId,
      String message, Throwable cause) {
    super(provider, model, statusCode, errorCode, requestId, false, null, message, cause);
  }
}
