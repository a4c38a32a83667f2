package dev.embed4j;

/**
 * The provider answered 429 because a requests- or tokens-per-minute limit was reached. It is
 * retryable, and it pauses every request of the same provider, key and model until the server's
 * {@link #retryAfter()} or the back-off delay has passed. A 429 for an exhausted quota is a {@link
 * QuotaExhaustedException} instead.
 */
public final class RateLimitException extends ProviderException {
  private static final long serialVersionUID = 1L;

  RateLimitException(ProviderException.Builder b, String message) {
    super(b, true, message);
  }

  @Override
  public boolean isRateLimited() {
    return true;
  }
}
