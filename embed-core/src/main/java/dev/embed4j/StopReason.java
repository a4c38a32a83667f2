package dev.embed4j;

/**
 * Why a run stopped sending before all its batches were embedded. The batches it did not embed fail
 * with an {@link Embed4jException} whose {@link Embed4jException#stopReason()} is this reason, and
 * {@link EmbeddingRun#stopReason()} reports it for the run.
 */
public enum StopReason {
  /** The run's future was cancelled, or the waiting thread was interrupted. */
  CANCELLED,
  /** The run passed its {@link Embedder.Builder#runTimeout(java.time.Duration) runTimeout}. */
  DEADLINE_PASSED,
  /** The next batch would have taken the run over its {@link Embedder.Builder#maxCost maxCost}. */
  OVER_BUDGET,
  /** The embedder was closed while the run was under way. */
  EMBEDDER_CLOSED,
  /** The provider rejected the API key or its permissions (401/403). */
  KEY_REJECTED,
  /** The provider said the account's quota is used up. */
  QUOTA_EXHAUSTED
}
