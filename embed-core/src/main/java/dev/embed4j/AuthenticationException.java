package dev.embed4j;

/**
 * The provider rejected the API key (401) or its permissions (403). Not retryable; it stops the
 * whole run at once ({@link StopReason#KEY_REJECTED}), since every other request would fail the
 * same way.
 */
public final class AuthenticationException extends ProviderException {
  private static final long serialVersionUID = 1L;

  AuthenticationException(ProviderException.Builder b, String message) {
    super(b, false, message);
  }
}
