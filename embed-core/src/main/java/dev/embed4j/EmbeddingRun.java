package dev.embed4j;

import java.math.BigDecimal;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;

/**
 * The result of embedding a list of texts: one vector per input, at the input's index, the
 * outcome of every batch, and the tokens and cost the run was billed.
 *
 * <p>A run in which some batches failed is still a result: {@link #vectors()} then throws an
 * {@link IncompleteRunException} that names the failed batches, while {@link #vector(int)},
 * {@link #isEmbedded(int)} and {@link #failedIndices()} give access to what succeeded, and
 * {@link Embedder#retryFailed(EmbeddingRun)} embeds only what did not. Immutable and
 * thread-safe; the float arrays are shared, not copied, so do not modify them.
 */
public final class EmbeddingRun {
  private final String id;
  private final ModelSpec model;
  private final int dimensions;
  private final List<String> texts;
  private final float[][] vectors;
  private final List<BatchOutcome> batches;
  private final long tokens;
  private final BigDecimal cost;
  private final Duration duration;
  private final int retries;
  private final int rateLimited;

  /**
   * Assembles a run; called by the engine. {@code vectors[i]} is the vector of
   * {@code texts.get(i)}, or null if its batch failed.
   */
  public EmbeddingRun(String id, ModelSpec model, int dimensions, List<String> texts, float[][] vectors,
      List<BatchOutcome> batches, Duration duration, int retries, int rateLimited) {
    if (vectors.length != texts.size()) {
      throw new IllegalArgumentException("vectors.length " + vectors.length + " != texts " + texts.size());
    }
    this.id = id;
    this.model = model;
    this.dimensions = dimensions;
    this.texts = texts;
    this.vectors = vectors;
    this.batches = List.copyOf(batches);
    long t = 0;
    BigDecimal c = BigDecimal.ZERO;
    for (BatchOutcome b : this.batches) {
      t += b.tokens();
      c = c.add(b.cost());
    }
    this.tokens = t;
    this.cost = c;
    this.duration = duration;
    this.retries = retries;
    this.rateLimited = rateLimited;
  }

  /** The run's id, as in listener events and log lines. */
  public String id() {
    return id;
  }

  public ModelSpec model() {
    return model;
  }

  /** The dimensions of the vectors. */
  public int dimensions() {
    return dimensions;
  }

  /** The number of input texts. */
  public int size() {
    return texts.size();
  }

  /** The input texts, in their order. */
  public List<String> texts() {
    return texts;
  }

  /** Whether every batch succeeded. */
  public boolean isComplete() {
    return batches.stream().allMatch(BatchOutcome::succeeded);
  }

  /**
   * All vectors, in input order.
   *
   * @throws IncompleteRunException if any batch failed; it names the failed batches and holds
   *     this run
   */
  public List<float[]> vectors() {
    if (!isComplete()) {
      throw new IncompleteRunException(this);
    }
    return Collections.unmodifiableList(Arrays.asList(vectors));
  }

  /** Whether input {@code index} was embedded. */
  public boolean isEmbedded(int index) {
    return vectors[index] != null;
  }

  /**
   * The vector of input {@code index}.
   *
   * @throws IndexOutOfBoundsException if there is no such input
   * @throws Embed4jException if its batch failed, with the batch's error as the cause
   */
  public float[] vector(int index) {
    float[] v = vectors[index];
    if (v == null) {
      BatchOutcome failed = batches.stream().filter(b -> b.inputIndices().contains(index)).findFirst().orElseThrow();
      throw new Embed4jException("Input " + index + " was not embedded: batch " + failed.id() + " failed: "
          + failed.error().map(Throwable::getMessage).orElse("unknown error"), failed.error().orElse(null));
    }
    return v;
  }

  /** The outcome of every batch, by batch id. */
  public List<BatchOutcome> batches() {
    return batches;
  }

  /** The batches that failed. */
  public List<BatchOutcome> failedBatches() {
    List<BatchOutcome> failed = new ArrayList<>();
    for (BatchOutcome b : batches) {
      if (!b.succeeded()) {
        failed.add(b);
      }
    }
    return failed;
  }

  /** The indices of the inputs that were not embedded, ascending. */
  public List<Integer> failedIndices() {
    List<Integer> failed = new ArrayList<>();
    for (int i = 0; i < vectors.length; i++) {
      if (vectors[i] == null) {
        failed.add(i);
      }
    }
    return failed;
  }

  /** Tokens billed, summed over the successful batches as the server reported them. */
  public long tokens() {
    return tokens;
  }

  /** US dollars for {@link #tokens()} at the model's registry price. */
  public BigDecimal cost() {
    return cost;
  }

  /** Wall time of the run. */
  public Duration duration() {
    return duration;
  }

  /** Requests sent, over all batches and attempts. */
  public int requests() {
    return batches.stream().mapToInt(BatchOutcome::attempts).sum();
  }

  /** Attempts that failed with a retryable error and were retried. */
  public int retries() {
    return retries;
  }

  /** Replies with status 429 (rate limited) during the run. */
  public int rateLimited() {
    return rateLimited;
  }

  /** The one-line summary the progress reporter prints, e.g. {@code Embedded 20 texts in 4 batches | 160 tokens | $0.000003}. */
  public String summary() {
    int embedded = size() - failedIndices().size();
    StringBuilder sb = new StringBuilder("Embedded ").append(embedded).append(embedded == 1 ? " text in " : " texts in ")
        .append(batches.size()).append(batches.size() == 1 ? " batch" : " batches").append(" | ").append(tokens)
        .append(" tokens | ").append(formatDollars(cost));
    List<BatchOutcome> failed = failedBatches();
    if (!failed.isEmpty()) {
      sb.append(" | ").append(failed.size()).append(" batches failed (").append(failedIndices().size())
          .append(" texts)");
    }
    if (retries > 0) {
      sb.append(" | ").append(retries).append(retries == 1 ? " retry" : " retries");
    }
    return sb.append(" | ").append(duration.toMillis()).append(" ms").toString();
  }

  /** Dollars with six decimals, the resolution at which embedding prices matter. */
  public static String formatDollars(BigDecimal dollars) {
    return "$" + dollars.setScale(6, java.math.RoundingMode.HALF_UP).toPlainString();
  }

  @Override
  public String toString() {
    return "EmbeddingRun{" + id + ", " + model.id() + ", " + summary() + "}";
  }
}
