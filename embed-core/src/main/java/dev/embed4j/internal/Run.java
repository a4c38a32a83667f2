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

/** An {@link EmbeddingRun}, assembled by the dispatch when its last batch has ended. */
final class Run implements EmbeddingRun {
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
  private final StopReason stopReason;

  /** What the dispatch knows at the end of a run, besides the settings. */
  record Totals(Duration duration, int retries, int rateLimited, StopReason stopReason) {}

  Run(
      String id,
      Settings settings,
      List<String> texts,
      float[][] vectors,
      List<BatchOutcome> batches,
      Totals totals) {
    this.id = id;
    this.model = settings.model;
    this.dimensions = settings.dims;
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
    this.duration = totals.duration();
    this.retries = totals.retries();
    this.rateLimited = totals.rateLimited();
    this.stopReason = totals.stopReason();
  }

  /**
   * The run over {@code texts}: the successful batches of {@code previous} (a run being retried),
   * then this run's outcomes; retries and rate-limited attempts of both.
   */
  static Run assemble(
      String id,
      Settings settings,
      List<String> texts,
      float[][] vectors,
      EmbeddingRun previous,
      List<BatchOutcome> outcomes,
      Duration duration,
      StopReason stopReason) {
    List<BatchOutcome> all = new ArrayList<>();
    int retries = previous == null ? 0 : previous.retries();
    int rateLimited = previous == null ? 0 : previous.rateLimited();
    if (previous != null) {
      previous.batches().stream().filter(BatchOutcome::succeeded).forEach(all::add);
    }
    for (BatchOutcome b : outcomes) {
      all.add(b);
      retries += b.retries();
      rateLimited += b.rateLimited();
    }
    return new Run(
        id, settings, texts, vectors, all, new Totals(duration, retries, rateLimited, stopReason));
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
    return texts.size();
  }

  @Override
  public List<String> texts() {
    return texts;
  }

  @Override
  public boolean isComplete() {
    return batches.stream().allMatch(BatchOutcome::succeeded);
  }

  @Override
  public List<float[]> vectors() {
    if (!isComplete()) {
      throw new IncompleteRunException(this);
    }
    return Collections.unmodifiableList(Arrays.asList(vectors));
  }

  @Override
  public boolean isEmbedded(int index) {
    return vectors[index] != null;
  }

  @Override
  public float[] vector(int index) {
    float[] v = vectors[index];
    if (v == null) {
      BatchOutcome failed =
          batches.stream()
              .filter(b -> !b.succeeded() && b.inputIndices().contains(index))
              .findFirst()
              .orElseThrow();
      throw new Embed4jException(
          "Input "
              + index
              + " was not embedded: batch "
              + failed.id()
              + " failed: "
              + failed.error().map(Throwable::getMessage).orElse("unknown error"),
          failed.error().orElse(null));
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
    List<Integer> failed = new ArrayList<>();
    for (int i = 0; i < vectors.length; i++) {
      if (vectors[i] == null) {
        failed.add(i);
      }
    }
    return failed;
  }

  @Override
  public long tokens() {
    return tokens;
  }

  @Override
  public BigDecimal cost() {
    return cost;
  }

  @Override
  public Duration duration() {
    return duration;
  }

  @Override
  public int requests() {
    return batches.stream().mapToInt(BatchOutcome::attempts).sum();
  }

  @Override
  public int retries() {
    return retries;
  }

  @Override
  public int rateLimited() {
    return rateLimited;
  }

  @Override
  public Optional<StopReason> stopReason() {
    return Optional.ofNullable(stopReason);
  }

  @Override
  public String summary() {
    int embedded = size() - failedIndices().size();
    StringBuilder sb =
        new StringBuilder("Embedded ")
            .append(embedded)
            .append(embedded == 1 ? " text in " : " texts in ")
            .append(batches.size())
            .append(batches.size() == 1 ? " batch" : " batches")
            .append(" | ")
            .append(tokens)
            .append(tokensEstimated() ? " tokens (estimated) | " : " tokens | ") // providers hook
            .append(EmbeddingRun.formatDollars(cost));
    List<BatchOutcome> failed = failedBatches();
    if (!failed.isEmpty()) {
      sb.append(" | ")
          .append(failed.size())
          .append(" batches failed (")
          .append(failedIndices().size())
          .append(" texts)");
    }
    if (retries > 0) {
      sb.append(" | ").append(retries).append(retries == 1 ? " retry" : " retries");
    }
    return sb.append(" | ").append(duration.toMillis()).append(" ms").toString();
  }

  @Override
  public String toString() {
    return "EmbeddingRun{" + id + ", " + model.id() + ", " + summary() + "}";
  }
}
