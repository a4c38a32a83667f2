package dev.embed4j;

import java.math.BigDecimal;
import java.time.Duration;

/**
 * Callbacks on the progress of embedding runs, for metrics, events, logs and progress bars.
 *
 * <p>For each run: {@link #runStarted} once; then, per batch, any number of {@link #retryScheduled}
 * and {@link #rateLimitWait}, ended by exactly one of {@link #batchSucceeded} or {@link
 * #batchFailed}; between them, {@link #inputsReused} whenever inputs were served without being
 * sent; and {@link #runFinished} once, after every batch has ended. Batch callbacks come from the
 * embedder's worker threads, concurrently, so implementations must be thread-safe and quick. Every
 * method has a no-op default.
 *
 * <p>An exception thrown by a listener is logged and otherwise ignored: a broken listener never
 * breaks a run. Callbacks never carry an API key.
 */
public interface EmbedListener {

  /** A listener that does nothing. */
  EmbedListener NONE = new EmbedListener() {};

  /**
   * A run starts.
   *
   * @param runId the run's id
   * @param plan its texts, batches, and the tokens and dollars the tokenizer and price list expect;
   *     for a streamed run, only its {@linkplain EmbeddingStream#expectedSize expected size} (or
   *     -1) and zero batches, tokens and dollars, since its input has not been read yet
   */
  default void runStarted(String runId, CostEstimate plan) {}

  /** A batch's vectors were received and placed; its tokens and cost are final. */
  default void batchSucceeded(BatchOutcome batch) {}

  /** A batch failed for good (non-retryable error, attempts used up, or the run was stopped). */
  default void batchFailed(BatchOutcome batch) {}

  /**
   * An attempt failed with a retryable error and the batch will be sent again after a delay.
   *
   * @param runId the run's id
   * @param model the model id, {@code provider:name}
   * @param batchId the batch
   * @param attempt the attempt that failed, from 1
   * @param delay how long until the next attempt
   * @param reason the failure
   */
  default void retryScheduled(
      String runId,
      String model,
      int batchId,
      int attempt,
      Duration delay,
      Embed4jException reason) {}

  /**
   * Sending waits for a rate limit.
   *
   * @param runId the run's id
   * @param model the model id
   * @param delay how long sending pauses
   * @param serverRejected true for a 429 from the server (the whole pool pauses), false for a wait
   *     on the client's own requests- or tokens-per-minute budget
   */
  default void rateLimitWait(String runId, String model, Duration delay, boolean serverRejected) {}

  /**
   * Inputs were served without being sent: found in the cache, or identical to an input sent in the
   * same run, whose batch just succeeded. The run's {@link EmbeddingRun#cacheHits()}, {@link
   * EmbeddingRun#duplicates()}, {@link EmbeddingRun#savedTokens()} and {@link
   * EmbeddingRun#savedCost()} are the sums of these calls.
   *
   * @param runId the run's id
   * @param model the model id, {@code provider:name}
   * @param cacheHits inputs found in the cache
   * @param duplicates inputs that got the vector of an identical input
   * @param savedTokens the tokens of those inputs, not billed
   * @param savedCost US dollars for {@code savedTokens} at the model's registry price
   */
  default void inputsReused(
      String runId,
      String model,
      int cacheHits,
      int duplicates,
      long savedTokens,
      BigDecimal savedCost) {}

  /** The run is over; {@code run} holds every outcome and the totals. */
  default void runFinished(EmbeddingRun run) {}
}
