package dev.embed4j.samples.springai;

import dev.embed4j.EmbeddingRun;
import dev.embed4j.spring.autoconfigure.Embed4jBatchEvent;
import dev.embed4j.spring.autoconfigure.Embed4jRunEvent;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.event.EventListener;
import org.springframework.stereotype.Component;

/**
 * Logs Embed4j's cost events: a line per run, a warning per failed batch, batch details at debug
 * level.
 */
@Component
class CostLog {
  private static final Logger log = LoggerFactory.getLogger(CostLog.class);

  @EventListener
  void onRun(Embed4jRunEvent run) {
    log.info(
        "Run {} on {}: {} texts in {} {}, {} tokens, {}, {} ms{}",
        run.runId(),
        run.model(),
        run.texts(),
        run.batches(),
        run.batches() == 1 ? "batch" : "batches",
        run.tokens(),
        EmbeddingRun.formatDollars(run.cost()),
        run.duration().toMillis(),
        run.complete() ? "" : ", " + run.failedBatches() + " batches failed");
  }

  @EventListener
  void onBatch(Embed4jBatchEvent batch) {
    if (!batch.succeeded()) {
      log.warn(
          "Batch {} of run {} failed after {} attempts: {}",
          batch.batchId(),
          batch.runId(),
          batch.attempts(),
          batch.error().getMessage());
    } else if (log.isDebugEnabled()) {
      log.debug(
          "Batch {} of run {}: {} texts, {} tokens, {}",
          batch.batchId(),
          batch.runId(),
          batch.texts(),
          batch.tokens(),
          EmbeddingRun.formatDollars(batch.cost()));
    }
  }
}
