package dev.embed4j.internal;

import dev.embed4j.BatchOutcome;
import dev.embed4j.Embed4jException;
import dev.embed4j.EmbeddingRun;
import dev.embed4j.IncompleteRunException;
import dev.embed4j.ModelSpec;
import dev.embed4j.StopReason;
import java.math.BigDecimal;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Optional;

/**
 * An {@link EmbeddingRun}, assembled by the dispatch when its last input is done: with every vector
 * by input index for a list run, with totals and the failed positions only for a stream.
 */
final class Run implements EmbeddingRun {
  private final String id;
  private final ModelSpec model;
  private final int dimensions;
  private final int size;
  private final List<String> texts; // null when streamed
  private final float[][] vectors; // null when streamed
  private final Embed4jException[] errors; // null when streamed
  private final int[] failedPositions; // ascending
  private final List<BatchOutcome> batches;
  private final Tally.Totals totals;
  private final Duration duration;
  private final StopReason stopReason;

  private Run(
      String id,
      Settings settings,
      int size,
      List<String> texts,
      float[][] vectors,
      Embed4jException[] errors,
      int[] failedPositions,
      List<BatchOutcome> batches,
      Tally.Totals totals,
      Duration duration,
      StopReason stopReason) {
    this.id = id;
    this.model = settings.model;
    this.dimensions = settings.dims;
    this.size = size;
    this.texts = texts;
    this.vectors = vectors;
    this.errors = errors;
    this.failedPositions = failedPositions;
    this.batches = List.copyOf(batches);
    this.totals = totals;
    this.duration = duration;
    this.stopReason = stopReason;
  }

  /**
   * The run over a list: with {@code previous} (a run being retried), its successful batches and
   * its figures come first.
   */
  static Run ofList(
      String id,
      Settings settings,
      List<String> texts,
      ResultSink.InMemory sink,
      EmbeddingRun previous,
      Tally tally,
      Duration duration,
      StopReason stopReason) {
    List<BatchOutcome> all = new ArrayList<>();
    Tally.Totals t = tally.totals();
    if (previous != null) {
      previous.batches().stream().filter(BatchOutcome::succeeded).forEach(all::add);
      t =
          new Tally.Totals(
              t.tokens() + previous.tokens(),
              t.tokensEstimated() || previous.tokensEstimated(),
              t.cost().add(previous.cost()),
              t.requests() + previous.requests(),
              t.retries() + previous.retries(),
              t.rateLimited() + previous.rateLimited(),
              t.batches(),
              t.failedBatches(),
              t.cacheHits() + previous.cacheHits(),
              t.duplicates() + previous.duplicates(),
              t.savedTokens() + previous.savedTokens(),
              t.savedCost().add(previous.savedCost()));
    }
    all.addAll(tally.outcomes());
    int failed = 0;
    for (float[] v : sink.vectors) {
      failed += v == null ? 1 : 0;
    }
    int[] positions = new int[failed];
    for (int i = 0, j = 0; i < sink.vectors.length; i++) {
      if (sink.vectors[i] == null) {
        positions[j++] = i;
      }
    }
    return new Run(
        id,
        settings,
        texts.size(),
        texts,
        sink.vectors,
        sink.errors,
        positions,
        all,
        t,
        duration,
        stopReason);
  }

  /** The run of a stream: totals, failed batches and positions. */
  static Run ofStream(
      String id,
      Settings settings,
      int read,
      ResultSink.Streamed sink,
      Tally tally,
      Duration duration,
      StopReason stopReason) {
    return new Run(
        id,
        settings,
        read,
        null,
        null,
        null,
        sink.failedPositions(),
        tally.outcomes(),
        tally.totals(),
        duration,
        stopReason);
  }

  boolean streamed() {
    return vectors == null;
  }

  private void notStreamed(String what) {
    if (vectors == null) {
      throw new UnsupportedOperationException(
          "Run "
              + id
              + " was streamed: its "
              + what
              + " went to its sink, and it keeps only its totals and failed batches");
    }
  }

  @Override
  public String id() {
    return id;
  }

  @Override
  public ModelSpec model() {
    return model;
  }

  @Override
  public int dimensions() {
    return dimensions;
  }

  @Override
  public int size() {
    return size;
  }

  @Override
  public List<String> texts() {
    notStreamed("texts");
    return texts;
  }

  @Override
  public boolean isComplete() {
    return failedPositions.length == 0 && batches.stream().allMatch(BatchOutcome::succeeded);
  }

  @Override
  public List<float[]> vectors() {
    notStreamed("vectors");
    if (!isComplete()) {
      throw new IncompleteRunException(this);
    }
    return Collections.unmodifiableList(Arrays.asList(vectors));
  }

  @Override
  public boolean isEmbedded(int index) {
    notStreamed("vectors");
    return vectors[index] != null;
  }

  @Override
  public float[] vector(int index) {
    notStreamed("vectors");
    float[] v = vectors[index];
    if (v == null) {
      Embed4jException error = errors[index];
      String why =
          batches.stream()
              .filter(b -> !b.succeeded() && b.inputIndices().contains(index))
              .findFirst()
              .map(b -> "batch " + b.id() + " failed: ")
              .orElse("the batch of an identical input failed: ");
      throw new Embed4jException(
          "Input "
              + index
              + " was not embedded: "
              + why
              + (error == null ? "unknown error" : error.getMessage()),
          error);
    }
    return v;
  }

  @Override
  public List<BatchOutcome> batches() {
    return batches;
  }

  @Override
  public List<BatchOutcome> failedBatches() {
    List<BatchOutcome> failed = new ArrayList<>();
    for (BatchOutcome b : batches) {
      if (!b.succeeded()) {
        failed.add(b);
      }
    }
    return failed;
  }

  @Override
  public List<Integer> failedIndices() {
    List<Integer> list = new ArrayList<>(failedPositions.length);
    for (int p : failedPositions) {
      list.add(p);
    }
    return list;
  }

  @Override
  public long tokens() {
    return totals.tokens();
  }

  @Override
  public boolean tokensEstimated() {
    return totals.tokensEstimated();
  }

  @Override
  public BigDecimal cost() {
    return totals.cost();
  }

  @Override
  public int duplicates() {
    return totals.duplicates();
  }

  @Override
  public int cacheHits() {
    return totals.cacheHits();
  }

  @Override
  public long savedTokens() {
    return totals.savedTokens();
  }

  @Override
  public BigDecimal savedCost() {
    return totals.savedCost();
  }

  @Override
  public Duration duration() {
    return duration;
  }

  @Override
  public int requests() {
    return totals.requests();
  }

  @Override
  public int retries() {
    return totals.retries();
  }

  @Override
  public int rateLimited() {
    return totals.rateLimited();
  }

  @Override
  public Optional<StopReason> stopReason() {
    return Optional.ofNullable(stopReason);
  }

  @Override
  public String summary() {
    int embedded = size - failedPositions.length;
    int batchCount = vectors == null ? totals.batches() : batches.size();
    StringBuilder sb =
        new StringBuilder("Embedded ")
            .append(embedded)
            .append(embedded == 1 ? " text in " : " texts in ")
            .append(batchCount)
            .append(batchCount == 1 ? " batch" : " batches")
            .append(" | ")
            .append(totals.tokens())
            .append(totals.tokensEstimated() ? " tokens (estimated) | " : " tokens | ")
            .append(EmbeddingRun.formatDollars(totals.cost()));
    if (totals.cacheHits() > 0 || totals.duplicates() > 0) {
      sb.append(" | ");
      if (totals.cacheHits() > 0) {
        sb.append(totals.cacheHits()).append(" cached");
      }
      if (totals.duplicates() > 0) {
        sb.append(totals.cacheHits() > 0 ? ", " : "")
            .append(totals.duplicates())
            .append(totals.duplicates() == 1 ? " duplicate" : " duplicates");
      }
      sb.append(", saved ")
          .append(totals.savedTokens())
          .append(" tokens ")
          .append(EmbeddingRun.formatDollars(totals.savedCost()));
    }
    List<BatchOutcome> failed = failedBatches();
    if (!failed.isEmpty() || failedPositions.length > 0) {
      sb.append(" | ")
          .append(failed.size())
          .append(" batches failed (")
          .append(failedPositions.length)
          .append(" texts)");
    }
    if (totals.retries() > 0) {
      sb.append(" | ")
          .append(totals.retries())
          .append(totals.retries() == 1 ? " retry" : " retries");
    }
    return sb.append(" | ").append(duration.toMillis()).append(" ms").toString();
  }

  @Override
  public String toString() {
    return "EmbeddingRun{" + id + ", " + model.id() + ", " + summary() + "}";
  }
}
