package dev.embed4j;

import java.math.BigDecimal;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * What happened to one batch of a run: which inputs it carried, whether it succeeded, the
 * tokens the server billed for it and their cost, how many attempts it took, and the error if
 * it failed. Immutable.
 *
 * <p>Tokens and cost are those of the one successful attempt, as the server reported them:
 * failed attempts are not billed by the providers and are not counted here. A failed batch has
 * zero tokens and cost and no vectors.
 */
public final class BatchOutcome {
  private final String runId;
  private final String model;
  private final int id;
  private final List<Integer> inputIndices;
  private final List<float[]> vectors;
  private final long tokens;
  private final BigDecimal cost;
  private final int attempts;
  private final Duration duration;
  private final Embed4jException error;

  public BatchOutcome(String runId, String model, int id, List<Integer> inputIndices, List<float[]> vectors,
      long tokens, BigDecimal cost, int attempts, Duration duration, Embed4jException error) {
    this.runId = runId;
    this.model = model;
    this.id = id;
    this.inputIndices = List.copyOf(inputIndices);
    this.vectors = vectors == null ? List.of() : List.copyOf(vectors);
    this.tokens = tokens;
    this.cost = cost;
    this.attempts = attempts;
    this.duration = duration;
    this.error = error;
  }

  /** The id of the run this batch belongs to. */
  public String runId() {
    return runId;
  }

  /** The model id, {@code provider:name}. */
  public String model() {
    return model;
  }

  /** The batch number within its run, from 0. */
  public int id() {
    return id;
  }

  /** The positions, in the run's input list, of the texts this batch carried, ascending. */
  public List<Integer> inputIndices() {
    return inputIndices;
  }

  /** How many texts the batch carried. */
  public int size() {
    return inputIndices.size();
  }

  /** The vectors, in the order of {@link #inputIndices()}; empty if the batch failed. */
  public List<float[]> vectors() {
    return vectors;
  }

  /** Tokens billed for the batch, as the server reported them; 0 if it failed. */
  public long tokens() {
    return tokens;
  }

  /** US dollars for {@link #tokens()} at the model's registry price; 0 if it failed. */
  public BigDecimal cost() {
    return cost;
  }

  /** Requests sent for this batch, including the successful one; 0 if it was never sent. */
  public int attempts() {
    return attempts;
  }

  /** From the first attempt to the final outcome, including waits. */
  public Duration duration() {
    return duration;
  }

  public boolean succeeded() {
    return error == null;
  }

  /** Why the batch failed; empty if it succeeded. */
  public Optional<Embed4jException> error() {
    return Optional.ofNullable(error);
  }

  @Override
  public String toString() {
    return "BatchOutcome{run " + runId + ", batch " + id + ", inputs " + describeIndices(inputIndices) + ", "
        + (succeeded() ? tokens + " tokens, $" + cost.toPlainString() : "failed: " + error.getMessage())
        + ", " + attempts + " attempts}";
  }

  /** Compact form of ascending indices: {@code 0-63} or {@code 3,7,9}. */
  static String describeIndices(List<Integer> indices) {
    if (indices.isEmpty()) {
      return "none";
    }
    int first = indices.get(0);
    int last = indices.get(indices.size() - 1);
    if (last - first + 1 == indices.size()) {
      return first == last ? String.valueOf(first) : first + "-" + last;
    }
    StringBuilder sb = new StringBuilder();
    for (int i = 0; i < indices.size() && i < 20; i++) {
      sb.append(i == 0 ? "" : ",").append(indices.get(i));
    }
    return indices.size() > 20 ? sb.append(",...").toString() : sb.toString();
  }
}
