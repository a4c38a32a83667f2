package dev.embed4j.internal;

import dev.embed4j.BatchOutcome;
import dev.embed4j.Embed4jException;
import java.math.BigDecimal;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * A {@link BatchOutcome}, made by the dispatch when a batch ends.
 *
 * @param counts what the batch's attempts came to
 * @param failure why it failed, or null if it succeeded
 */
record BatchResult(
    String runId,
    String model,
    Batch batch,
    List<float[]> vectors,
    long tokens,
    BigDecimal cost,
    Attempts counts,
    Duration duration,
    Embed4jException failure,
    boolean tokensEstimated)
    implements BatchOutcome {

  /** What the attempts of one batch came to: how many were sent, retried, answered 429. */
  record Attempts(int sent, int retries, int rateLimited) {
    static final Attempts NONE = new Attempts(0, 0, 0);
  }

  static BatchResult succeeded(
      String runId,
      String model,
      Batch batch,
      List<float[]> vectors,
      long tokens,
      BigDecimal cost,
      Attempts counts,
      Duration duration) {
    return succeeded(runId, model, batch, vectors, tokens, cost, counts, duration, false);
  }

  /** As the other, saying whether the tokens are the estimate (the provider reported none). */
  static BatchResult succeeded(
      String runId,
      String model,
      Batch batch,
      List<float[]> vectors,
      long tokens,
      BigDecimal cost,
      Attempts counts,
      Duration duration,
      boolean tokensEstimated) {
    return new BatchResult(
        runId,
        model,
        batch,
        List.copyOf(vectors),
        tokens,
        cost,
        counts,
        duration,
        null,
        tokensEstimated);
  }

  static BatchResult failed(
      String runId,
      String model,
      Batch batch,
      Attempts counts,
      Duration duration,
      Embed4jException failure) {
    return new BatchResult(
        runId, model, batch, List.of(), 0, BigDecimal.ZERO, counts, duration, failure, false);
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
    return batch.size();
  }

  @Override
  public int attempts() {
    return counts.sent();
  }

  @Override
  public int retries() {
    return counts.retries();
  }

  @Override
  public int rateLimited() {
    return counts.rateLimited();
  }

  @Override
  public boolean succeeded() {
    return failure == null;
  }

  @Override
  public Optional<Embed4jException> error() {
    return Optional.ofNullable(failure);
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
            ? tokens
                + (tokensEstimated ? " tokens (estimated), $" : " tokens, $")
                + cost.toPlainString()
            : "failed: " + failure.getMessage())
        + ", "
        + counts.sent()
        + " attempts}";
  }
}
