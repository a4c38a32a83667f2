package dev.embed4j.batch;

import dev.embed4j.EmbeddingRun;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import org.springframework.batch.core.ExitStatus;
import org.springframework.batch.core.scope.context.StepContext;
import org.springframework.batch.core.scope.context.StepSynchronizationManager;
import org.springframework.batch.core.step.StepExecution;
import org.springframework.batch.infrastructure.item.ExecutionContext;

/**
 * The writers' bookkeeping in the step execution they write for: the one Spring Batch registered on
 * the writing thread (every chunk thread of a multi-threaded step, every partition's worker), else
 * the one the writer saw in {@code beforeStep}.
 */
final class StepFigures {
  private volatile StepExecution lastSeen;

  void beforeStep(StepExecution step) {
    lastSeen = step;
  }

  private StepExecution current() {
    StepContext context = StepSynchronizationManager.getContext();
    return context != null ? context.getStepExecution() : lastSeen;
  }

  /** Adds a run's billed tokens and dollars, and the texts written, to the current step. */
  void add(EmbeddingRun run, int written) {
    StepExecution step = current();
    if (step == null || run == null && written == 0) {
      return;
    }
    ExecutionContext c = step.getExecutionContext();
    synchronized (c) {
      if (run != null) {
        c.putLong(Embed4jBatch.TOKENS, c.getLong(Embed4jBatch.TOKENS, 0) + run.tokens());
        BigDecimal cost = new BigDecimal(c.getString(Embed4jBatch.COST, "0")).add(run.cost());
        c.putString(Embed4jBatch.COST, cost.toPlainString());
      }
      c.putLong(Embed4jBatch.TEXTS, c.getLong(Embed4jBatch.TEXTS, 0) + written);
    }
  }

  /** Records the id of an item Spring Batch skipped in write. */
  void skipped(String id) {
    StepExecution step = current();
    if (step == null) {
      return;
    }
    ExecutionContext c = step.getExecutionContext();
    synchronized (c) {
      Set<String> ids = new LinkedHashSet<>(skipped(c));
      ids.add(id);
      c.put(Embed4jBatch.SKIPPED_IDS, new ArrayList<>(ids));
    }
  }

  ExitStatus afterStep(StepExecution step) {
    ExecutionContext c = step.getExecutionContext();
    String summary =
        summary(
            c.getLong(Embed4jBatch.TEXTS, 0),
            c.getLong(Embed4jBatch.TOKENS, 0),
            new BigDecimal(c.getString(Embed4jBatch.COST, "0")),
            skipped(c));
    return step.getExitStatus().addExitDescription(summary);
  }

  @SuppressWarnings("unchecked")
  static List<String> skipped(ExecutionContext c) {
    Object ids = c.get(Embed4jBatch.SKIPPED_IDS);
    return ids instanceof List<?> list ? (List<String>) list : List.of();
  }

  static String summary(long texts, long tokens, BigDecimal cost, List<String> skipped) {
    return "embedded "
        + texts
        + " texts | "
        + tokens
        + " tokens | $"
        + cost.setScale(6, RoundingMode.HALF_UP).toPlainString()
        + (skipped.isEmpty() ? "" : " | skipped ids: " + String.join(", ", skipped));
  }
}
