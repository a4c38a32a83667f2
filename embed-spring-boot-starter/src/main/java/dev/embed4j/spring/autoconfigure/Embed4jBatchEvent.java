package dev.embed4j.spring.autoconfigure;

import dev.embed4j.BatchOutcome;
import dev.embed4j.Embed4jException;
import java.math.BigDecimal;
import java.time.Duration;
import org.jspecify.annotations.Nullable;

/**
 * Published as a Spring application event when a batch of an embedding run of the auto-configured
 * {@code Embedder} has ended, successfully or not. Take it with {@code @EventListener}:
 *
 * <pre>{@code
 * @EventListener
 * void onBatch(Embed4jBatchEvent batch) {
 *   if (!batch.succeeded()) {
 *     log.warn("Batch {} of run {} failed: {}", batch.batchId(), batch.runId(), batch.error().getMessage());
 *   }
 * }
 * }</pre>
 *
 * <p>Events are published synchronously on the embedder's worker threads, concurrently: keep
 * listeners quick and thread-safe, or make them {@code @Async}. An exception a listener throws is
 * logged and does not affect the run. Events carry figures, never texts, vectors or the API key.
 *
 * @param runId the run the batch belongs to, as in {@link Embed4jRunEvent#runId()}
 * @param model the model id, {@code provider:name}, e.g. {@code openai:text-embedding-3-small}
 * @param batchId the batch number within its run, from 0
 * @param texts how many texts the batch carried
 * @param tokens the tokens the provider billed for the batch; 0 if it failed
 * @param cost US dollars for {@code tokens} at the model's registry price; 0 if it failed
 * @param attempts requests sent for the batch, the successful one included; 0 if never sent
 * @param retries attempts that failed with a retryable error and were sent again
 * @param rateLimited attempts the provider answered as rate limited (HTTP 429, not an exhausted
 *     quota), retried or not
 * @param duration from the first attempt to the outcome, waits included
 * @param error why the batch failed, or null if it succeeded
 */
public record Embed4jBatchEvent(
    String runId,
    String model,
    int batchId,
    int texts,
    long tokens,
    BigDecimal cost,
    int attempts,
    int retries,
    int rateLimited,
    Duration duration,
    @Nullable Embed4jException error) {

  /** Whether the batch's vectors were received. */
  public boolean succeeded() {
    return error == null;
  }

  static Embed4jBatchEvent of(BatchOutcome batch) {
    return new Embed4jBatchEvent(
        batch.runId(),
        batch.model(),
        batch.id(),
        batch.size(),
        batch.tokens(),
        batch.cost(),
        batch.attempts(),
        batch.retries(),
        batch.rateLimited(),
        batch.duration(),
        batch.error().orElse(null));
  }
}
