package dev.embed4j.internal;

import dev.embed4j.BatchOutcome;
import dev.embed4j.Embed4jException;
import dev.embed4j.EmbeddingRun;
import dev.embed4j.ModelSpec;
import java.math.BigDecimal;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * What a Batch API run has to show for each batch: the jobs it went into (its attempts), its one
 * outcome (told to the listeners once), and its vectors placed at their inputs' indices.
 */
final class BatchLedger {
  private final String runId;
  private final ModelSpec model;
  private final Listeners listeners;
  private final ResultSink.InMemory sink;
  private final Map<Integer, BatchOutcome> outcomes = new HashMap<>();
  private final Map<Integer, Integer> sends = new HashMap<>();
  private final long startNanos = System.nanoTime();

  BatchLedger(String runId, ModelSpec model, Listeners listeners, int inputs, EmbeddingRun kept) {
    this.runId = runId;
    this.model = model;
    this.listeners = listeners;
    this.sink = new ResultSink.InMemory(inputs);
    for (int i = 0; kept != null && i < inputs; i++) {
      if (kept.isEmbedded(i)) {
        sink.keep(i, kept.vector(i));
      }
    }
  }

  /** Counts {@code delta} more jobs for each batch (-1 for a job refused before it ran). */
  void sent(List<Batch> batches, int delta) {
    batches.forEach(b -> sends.merge(b.id(), delta, Integer::sum));
  }

  void sent(Map<Integer, Integer> saved) {
    sends.putAll(saved);
  }

  boolean wasSent(Batch b) {
    return sends.containsKey(b.id());
  }

  /** The jobs {@code b} went into, at least 1. */
  int attempts(Batch b) {
    return Math.max(1, sends.getOrDefault(b.id(), 1));
  }

  boolean ended(Batch b) {
    return outcomes.containsKey(b.id());
  }

  void succeeded(Batch b, List<float[]> vectors, long tokens, BigDecimal cost) {
    sink.accept(b, vectors);
    end(BatchResult.succeeded(runId, model.id(), b, vectors, tokens, cost, counts(b), since()));
  }

  void failed(Batch b, Embed4jException error) {
    end(BatchResult.failed(runId, model.id(), b, counts(b), since(), error));
  }

  /** The outcomes in the order of {@code batches}. */
  List<BatchOutcome> outcomes(List<Batch> batches) {
    List<BatchOutcome> out = new ArrayList<>(batches.size());
    batches.forEach(b -> out.add(outcomes.get(b.id())));
    return out;
  }

  float[][] vectors() {
    return sink.vectors();
  }

  Duration since() {
    return Duration.ofNanos(System.nanoTime() - startNanos);
  }

  private BatchResult.Attempts counts(Batch b) {
    int n = attempts(b);
    return new BatchResult.Attempts(n, n - 1, 0);
  }

  private void end(BatchOutcome outcome) {
    if (outcomes.putIfAbsent(outcome.id(), outcome) != null) {
      return;
    }
    if (outcome.succeeded()) {
      listeners.batchSucceeded(outcome);
    } else {
      listeners.batchFailed(outcome);
    }
  }
}
