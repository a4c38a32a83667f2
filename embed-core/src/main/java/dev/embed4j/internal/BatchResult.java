package dev.embed4j.internal;

import dev.embed4j.BatchOutcome;
import dev.embed4j.Embed4jException;
import java.math.BigDecimal;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/** A {@link BatchOutcome}, made by the dispatch when a batch ends. */
final class BatchResult implements BatchOutcome {
  private final String runId;
  private final String model;
  private final Batch batch;
  private final List<float[]> vectors;
  private final long tokens;
  private final BigDecimal cost;
  private final Attempts attempts;
  private final Duration duration;
  private final Embed4jException error;

  /** What the attempts of one batch came to: how many were sent, retried, answered 429. */
  record Attempts(int sent, int retries, int rateLimited) {
    static final Attempts NONE = new Attempts(0, 0, 0);
  }

  private BatchResult(
      String runId,
      String model,
      Batch batch,
      List<float[]> vectors,
      long tokens,
      BigDecimal cost,
      Attempts attempts,
      Duration duration,
      Embed4jException error) {
    this.runId = runId;
    this.model = model;
    this.batch = batch;
    this.vectors = vectors;
    this.tokens = tokens;
    this.cost = cost;
    this.attempts = attempts;
    this.duration = duration;
    this.error = error;
  }

  static BatchResult succeeded(
      String runId,
      String model,
      Batch batch,
      List<float[]> vectors,
      long tokens,
      BigDecimal cost,
      Attempts attempts,
      Duration duration) {
    return new BatchResult(
        runId, model, batch, List.copyOf(vectors), tokens, cost, attempts, duration, null);
  }

  static BatchResult failed(
      String runId,
      String model,
      Batch batch,
      Attempts attempts,
      Duration duration,
      Embed4jException error) {
    return new BatchResult(
        runId, model, batch, List.of(), 0, BigDecimal.ZERO, attempts, duration, error);
  }

  @Override
  public String runId() {
    return runId;
  }

  @Override
  public String model() {
    return model;
  }

  @Override
  public int id() {
    return batch.id();
  }

  @Override
  public List<Integer> inputIndices() {
    return batch.indexList();
  }

  @Override
  public String describeInputs() {
    return batch.describeIndices();
  }

  @Override
  public int size() {
    return batch.indices().length;
  }

  @Override
  public List<float[]> vectors() {
    return vectors;
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
  public int attempts() {
    return attempts.sent();
  }

  @Override
  public int retries() {
    return attempts.retries();
  }

  @Override
  public int rateLimited() {
    return attempts.rateLimited();
  }

  @Override
  public Duration duration() {
    return duration;
  }

  @Override
  public boolean succeeded() {
    return error == null;
  }

  @Override
  public Optional<Embed4jException> error() {
    return Optional.ofNullable(error);
  }

  @Override
  public String toString() {
    return "BatchOutcome{run "
        + runId
        + ", batch "
        + id()
        + ", inputs "
        + describeInputs()
        + ", "
        + (succeeded()
            ? tokens + " tokens, $" + cost.toPlainString()
            : "failed: " + error.getMessage())
        + ", "
        + attempts.sent()
        + " attempts}";
  }
}
