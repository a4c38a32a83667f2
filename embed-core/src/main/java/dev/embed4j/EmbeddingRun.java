package dev.embed4j;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * The result of embedding a list of texts: one vector per input, at the input's index, the outcome
 * of every batch, the tokens and cost the run was billed, and what the cache and dedupe saved.
 *
 * <p>A run in which some batches failed is still a result: {@link #vectors()} then throws an {@link
 * IncompleteRunException} that names the failed batches, while {@link #vector(int)}, {@link
 * #isEmbedded(int)} and {@link #failedIndices()} give access to what succeeded, and {@link
 * Embedder#retryFailed(EmbeddingRun)} embeds only what did not. Immutable and thread-safe; the
 * float arrays are shared, not copied, so do not modify them.
 *
 * <p><b>Streamed runs.</b> The run of an {@link EmbeddingStream} keeps totals, not data: its
 * vectors went to the sink. {@link #size()} is the number of inputs read, {@link #failedIndices()}
 * the positions of the inputs delivered with an error, {@link #batches()} only the failed batches;
 * {@link #texts()}, {@link #vectors()}, {@link #isEmbedded(int)} and {@link #vector(int)} throw
 * {@link UnsupportedOperationException}, and it cannot be {@linkplain Embedder#retryFailed
 * retried}: run the failed items again from your own records.
 */
public interface EmbeddingRun {

  /** The run's id, as in listener events and log lines. */
  String id();

  /** The model the run embedded with. */
  ModelSpec model();

  /** The dimensions of the vectors. */
  int dimensions();

  /** The number of input texts. */
  int size();

  /** The input texts, in their order. */
  List<String> texts();

  /** Whether every batch succeeded. */
  boolean isComplete();

  /**
   * All vectors, in input order.
   *
   * @throws IncompleteRunException if any batch failed; it names the failed batches and holds this
   *     run
   */
  List<float[]> vectors();

  /** Whether input {@code index} was embedded. */
  boolean isEmbedded(int index);

  /**
   * The vector of input {@code index}.
   *
   * @throws IndexOutOfBoundsException if there is no such input
   * @throws Embed4jException if its batch failed, with the batch's error as the cause
   */
  float[] vector(int index);

  /** The outcome of every batch, by batch id. */
  List<BatchOutcome> batches();

  /** The batches that failed. */
  List<BatchOutcome> failedBatches();

  /** The indices of the inputs that were not embedded, ascending. */
  List<Integer> failedIndices();

  /** Tokens billed, summed over the successful batches as the server reported them. */
  long tokens();

  /**
   * Whether some of {@link #tokens()} (and so of {@link #cost()}) are estimates: a batch whose
   * provider reported no usage ({@link BatchOutcome#tokensEstimated()}).
   */
  default boolean tokensEstimated() {
    return batches().stream().anyMatch(BatchOutcome::tokensEstimated);
  }

  /** US dollars for {@link #tokens()} at the model's registry price. */
  BigDecimal cost();

  /**
   * Inputs not sent because an identical text of the same run was: each got that text's vector. For
   * a streamed run, identical texts are merged while the first is still in flight.
   */
  int duplicates();

  /** Inputs whose vector came from the {@linkplain Embedder.Builder#cache cache}, not sent. */
  int cacheHits();

  /**
   * Tokens not billed thanks to {@link #cacheHits()} and {@link #duplicates()}, counted with the
   * model's tokenizer (an estimate for models without an exact one).
   */
  long savedTokens();

  /** US dollars for {@link #savedTokens()} at the model's registry price. */
  BigDecimal savedCost();

  /** Wall time of the run. */
  Duration duration();

  /** Requests sent, over all batches and attempts. */
  int requests();

  /** Attempts that failed with a retryable error and were retried. */
  int retries();

  /**
   * Attempts answered as rate limited (429), over all batches; see {@link
   * BatchOutcome#rateLimited()}.
   */
  int rateLimited();

  /**
   * Why the run stopped sending before every batch was embedded, if it did: cancelled, deadline
   * passed, over budget, embedder closed, key rejected or quota exhausted.
   */
  Optional<StopReason> stopReason();

  /**
   * The one-line summary the progress reporter prints, e.g. {@code Embedded 20 texts in 4 batches |
   * 160 tokens | $0.000003 | 212 ms}, with the cache hits, duplicates and savings when there are
   * some.
   */
  String summary();

  /** Dollars with six decimals, the resolution at which embedding prices matter. */
  static String formatDollars(BigDecimal dollars) {
    return "$" + dollars.setScale(6, RoundingMode.HALF_UP).toPlainString();
  }
}
