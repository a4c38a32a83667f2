package dev.embed4j.internal;

import dev.embed4j.BatchOutcome;
import dev.embed4j.CostEstimate;
import dev.embed4j.Embed4jException;
import dev.embed4j.EmbedListener;
import dev.embed4j.EmbeddingRun;
import java.math.BigDecimal;
import java.time.Duration;
import java.util.List;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Calls listeners in order; one that throws is logged and skipped, never breaking the run. */
final class Listeners implements EmbedListener {
  private static final Logger log = LoggerFactory.getLogger(Listeners.class);

  private final List<EmbedListener> listeners;

  Listeners(List<EmbedListener> listeners) {
    this.listeners = List.copyOf(listeners);
  }

  /** Whether there is anyone to tell, so that event arguments need not be computed. */
  boolean isEmpty() {
    return listeners.isEmpty();
  }

  private void each(String callback, Consumer<EmbedListener> call) {
    for (EmbedListener l : listeners) {
      try {
        call.accept(l);
      } catch (RuntimeException | LinkageError e) {
        log.warn(
            "Embed4j listener {} threw from {}; the run goes on",
            l.getClass().getName(),
            callback,
            e);
      }
    }
  }

  @Override
  public void runStarted(String runId, CostEstimate plan) {
    each("runStarted", l -> l.runStarted(runId, plan));
  }

  @Override
  public void batchSucceeded(BatchOutcome batch) {
    each("batchSucceeded", l -> l.batchSucceeded(batch));
  }

  @Override
  public void batchFailed(BatchOutcome batch) {
    each("batchFailed", l -> l.batchFailed(batch));
  }

  @Override
  public void retryScheduled(
      String runId,
      String model,
      int batchId,
      int attempt,
      Duration delay,
      Embed4jException reason) {
    each("retryScheduled", l -> l.retryScheduled(runId, model, batchId, attempt, delay, reason));
  }

  @Override
  public void rateLimitWait(String runId, String model, Duration delay, boolean serverRejected) {
    each("rateLimitWait", l -> l.rateLimitWait(runId, model, delay, serverRejected));
  }

  @Override
  public void inputsReused(
      String runId,
      String model,
      int cacheHits,
      int duplicates,
      long savedTokens,
      BigDecimal savedCost) {
    each(
        "inputsReused",
        l -> l.inputsReused(runId, model, cacheHits, duplicates, savedTokens, savedCost));
  }

  @Override
  public void runFinished(EmbeddingRun run) {
    each("runFinished", l -> l.runFinished(run));
  }
}
