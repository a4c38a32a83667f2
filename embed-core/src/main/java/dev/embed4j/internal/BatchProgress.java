package dev.embed4j.internal;

import dev.embed4j.BatchOutcome;
import dev.embed4j.CostEstimate;
import dev.embed4j.EmbedListener;
import dev.embed4j.EmbeddingRun;
import dev.embed4j.ModelSpec;
import java.math.BigDecimal;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code showProgress(true)} in Batch API mode: a progress line per change of a job's status or
 * request counts, with the run's spend at the Batch API price and what the same tokens would have
 * cost in realtime, and the saving at the end.
 */
final class BatchProgress implements EmbedListener {
  private static final Logger log = LoggerFactory.getLogger("dev.embed4j.progress");

  private final ModelSpec model;
  private final Map<String, AtomicLong> tokens = new ConcurrentHashMap<>();
  private final Map<String, AtomicLong> realtimeTokens = new ConcurrentHashMap<>();

  BatchProgress(ModelSpec model) {
    this.model = model;
  }

  @Override
  public void runStarted(String runId, CostEstimate plan) {
    tokens.put(runId, new AtomicLong());
    realtimeTokens.put(runId, new AtomicLong());
    log.info(
        "Run {} goes through the Batch API: about {} tokens, {} at the batch price ({} in"
            + " realtime); results within 24 hours",
        runId,
        plan.tokens(),
        EmbeddingRun.formatDollars(model.batchCost(plan.tokens())),
        EmbeddingRun.formatDollars(model.cost(plan.tokens())));
  }

  @Override
  public void batchSucceeded(BatchOutcome batch) {
    AtomicLong t = tokens.get(batch.runId());
    if (t == null) {
      return;
    }
    t.addAndGet(batch.tokens());
    if (batch.cost().compareTo(model.batchCost(batch.tokens())) != 0) {
      realtimeTokens.get(batch.runId()).addAndGet(batch.tokens()); // retried in realtime
    }
  }

  @Override
  public void batchJobUpdated(
      String runId, String jobId, String status, int completed, int failed, int total) {
    log.info(
        "Batch API job {} of run {}: {}{} | {}",
        jobId,
        runId,
        status.replace('_', ' '),
        total > 0
            ? " "
                + completed
                + "/"
                + total
                + " requests"
                + (failed > 0 ? ", " + failed + " failed" : "")
            : "",
        spend(runId));
  }

  @Override
  public void runFinished(EmbeddingRun run) {
    String spend = spend(run.id());
    tokens.remove(run.id());
    realtimeTokens.remove(run.id());
    log.info("Run {} through the Batch API: {}", run.id(), spend);
  }

  /** {@code $0.010000 spent ($0.020000 in realtime, $0.010000 saved)}. */
  private String spend(String runId) {
    AtomicLong t = tokens.get(runId);
    long all = t == null ? 0 : t.get();
    long realtime = realtimeTokens.getOrDefault(runId, new AtomicLong()).get();
    BigDecimal spent = model.batchCost(all - realtime).add(model.cost(realtime));
    BigDecimal wouldHave = model.cost(all);
    return EmbeddingRun.formatDollars(spent)
        + " spent on "
        + all
        + " tokens ("
        + EmbeddingRun.formatDollars(wouldHave)
        + " in realtime, "
        + EmbeddingRun.formatDollars(wouldHave.subtract(spent))
        + " saved)";
  }
}
