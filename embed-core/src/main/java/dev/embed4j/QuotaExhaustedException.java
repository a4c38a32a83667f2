package dev.embed4j;

/**
 * The provider said the account's quota or credit is used up (OpenAI: 429 with {@code
 * insufficient_quota}). Not retryable, unlike a rate limit; it stops the whole run at once ({@link
 * StopReason#QUOTA_EXHAUSTED}).
 */
public final class QuotaExhaustedException extends ProviderException {
  private static final long serialVersionUID = 1L;

  static final String CODE = "insufficient_quota";

  QuotaExhaustedException(ProviderException.Builder b, String message) {
    super(b, false, message);
  }
}
