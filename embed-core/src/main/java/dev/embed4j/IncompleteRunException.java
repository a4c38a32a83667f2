package dev.embed4j;

import java.util.List;

/**
 * Thrown by {@link EmbeddingRun#vectors()} when some batches of the run failed. The message names
 * each failed batch, its input indices and its error; {@link #run()} still holds every vector that
 * was embedded, and {@link Embedder#retryFailed(EmbeddingRun)} embeds only the rest.
 */
public final class IncompleteRunException extends Embed4jException {
  private static final long serialVersionUID = 1L;

  private final transient EmbeddingRun run;

  public IncompleteRunException(EmbeddingRun run) {
    super(run.stopReason().orElse(null), describe(run), firstError(run));
    this.run = run;
  }

  /** The run, with its successful vectors and the outcome of every batch. */
  public EmbeddingRun run() {
    return run;
  }

  private static Throwable firstError(EmbeddingRun run) {
    return run.failedBatches().stream()
        .map(b -> b.error().orElse(null))
        .filter(e -> e != null)
        .findFirst()
        .orElse(null);
  }

  private static String describe(EmbeddingRun run) {
    List<BatchOutcome> failed = run.failedBatches();
    StringBuilder sb = new StringBuilder();
    sb.append(failed.size())
        .append(" of ")
        .append(run.batches().size())
        .append(" batches (")
        .append(run.failedIndices().size())
        .append(" of ")
        .append(run.size())
        .append(" texts) of run ")
        .append(run.id())
        .append(" on ")
        .append(run.model().id())
        .append(" failed: ");
    int shown = 0;
    for (BatchOutcome b : failed) {
      if (shown++ == 5) {
        sb.append("; and ").append(failed.size() - 5).append(" more");
        break;
      }
      if (shown > 1) {
        sb.append("; ");
      }
      sb.append("batch ")
          .append(b.id())
          .append(" (inputs ")
          .append(b.describeInputs())
          .append(", ")
          .append(b.attempts())
          .append(b.attempts() == 1 ? " attempt" : " attempts")
          .append("): ")
          .append(b.error().map(Throwable::getMessage).orElse("unknown error"));
    }
    sb.append(
        ". The embedded vectors are kept in run(); Embedder.retryFailed(run) embeds only the"
            + " failed texts.");
    return sb.toString();
  }
}
