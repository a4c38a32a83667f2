package dev.embed4j.spring.autoconfigure;

import dev.embed4j.BatchOutcome;
import dev.embed4j.Embed4jException;
import dev.embed4j.EmbeddingRun;
import java.math.BigDecimal;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * Published as a Spring application event when an embedding run of the auto-configured {@code
 * Embedder} is over: one per {@code Embedder.embed} call, and so one per call of the Spring AI or
 * LangChain4j embedding model. Take it with {@code @EventListener}:
 *
 * <pre>{@code
 * @EventListener
 * void onRun(Embed4jRunEvent run) {
 *   log.info("{}: {} texts, {} tokens, ${}", run.model(), run.texts(), run.tokens(), run.cost());
 * }
 * }</pre>
 *
 * <p>The run's tokens and cost are the sums over its successful batches, as the provider billed
 * them; each batch has its own {@link Embed4jBatchEvent}, published before this one. What the cache
 * and dedupe saved (texts not sent, and their tokens and dollars) is on this event. Published
 * synchronously on the thread that ended the run; an exception a listener throws is logged and
 * ignored. Events carry figures, never texts, vectors or the API key.
 *
 * @param runId the run's id, as in its batch events and the log
 * @param model the model id, {@code provider:name}
 * @param texts how many texts the run embedded or tried to
 * @param batches how many batches the run had
 * @param failedBatches how many of them failed; 0 for a complete run
 * @param failedTexts how many texts were not embedded
 * @param tokens the tokens billed, summed over the successful batches
 * @param cost US dollars for {@code tokens} at the model's registry price
 * @param retries attempts that failed with a retryable error and were retried
 * @param rateLimited attempts the provider answered as rate limited (HTTP 429, not an exhausted
 *     quota), over all batches
 * @param duration wall time of the run
 * @param error the error of the first failed batch, or null if the run is complete
 * @param cacheHits texts whose vector came from the embedder's cache, not sent
 * @param duplicates texts not sent because an identical text of the run was
 * @param savedTokens the tokens of {@code cacheHits} and {@code duplicates}, not billed
 * @param savedCost US dollars for {@code savedTokens} at the model's registry price
 */
public record Embed4jRunEvent(
    String runId,
    String model,
    int texts,
    int batches,
    int failedBatches,
    int failedTexts,
    long tokens,
    BigDecimal cost,
    int retries,
    int rateLimited,
    Duration duration,
    @Nullable Embed4jException error,
    int cacheHits,
    int duplicates,
    long savedTokens,
    BigDecimal savedCost) {

  /** Whether every batch succeeded. */
  public boolean complete() {
    return failedBatches == 0;
  }

  static Embed4jRunEvent of(EmbeddingRun run) {
    List<BatchOutcome> failed = run.failedBatches();
    Embed4jException first =
        failed.stream().map(BatchOutcome::error).flatMap(Optional::stream).findFirst().orElse(null);
    return new Embed4jRunEvent(
        run.id(),
        run.model().id(),
        run.size(),
        run.batches().size(),
        failed.size(),
        run.failedIndices().size(),
        run.tokens(),
        run.cost(),
        run.retries(),
        run.rateLimited(),
        run.duration(),
        first,
        run.cacheHits(),
        run.duplicates(),
        run.savedTokens(),
        run.savedCost());
  }
}
