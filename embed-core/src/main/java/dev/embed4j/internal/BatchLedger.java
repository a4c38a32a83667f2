package dev.embed4j.internal;

import dev.embed4j.Embed4jException;
import dev.embed4j.ModelSpec;
import java.math.BigDecimal;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * What a Batch API run has to show for each batch: the jobs it went into (its attempts), its one
 * outcome (told to the listeners once, added to the run's {@link Tally}), and its inputs delivered
 * to the run's {@link ResultSink} with their vectors or error, with the inputs deduplicated onto
 * them; received vectors go into the cache. Inputs done without a job (cache hits, remembered
 * duplicates) are counted as savings, as the realtime dispatch counts them.
 */
final class BatchLedger {
  private final String runId;
  private final ModelSpec model;
  private final Completion completion;
  private final Set<Integer> ended = new HashSet<>();
  private final Map<Integer, Integer> sends = new HashMap<>();
  private final long startNanos = System.nanoTime();

  /**
   * @param dedupe null without dedupe
   * @param cache null without a cache
   */
  BatchLedger(
      String runId,
      ModelSpec model,
      Listeners listeners,
      Tally tally,
      ResultSink sink,
      Dedupe dedupe,
      CacheAccess cache) {
    this.runId = runId;
    this.model = model;
    this.completion =
        new Completion(runId, model, listeners, tally, sink, dedupe, cache, model::batchCost);
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
    return ended.contains(b.id());
  }

  void succeeded(Batch b, List<float[]> vectors, long tokens, BigDecimal cost) {
    if (ended.add(b.id())) {
      completion.succeeded(
          BatchResult.succeeded(runId, model.id(), b, vectors, tokens, cost, counts(b), since()));
    }
  }

  void failed(Batch b, Embed4jException error) {
    if (ended.add(b.id())) {
      completion.failed(BatchResult.failed(runId, model.id(), b, counts(b), since(), error));
    }
  }

  /** Inputs done without a job: counts what they saved, tells the listeners, delivers them. */
  void reused(List<Input> done) {
    completion.reused(done, new ArrayList<>());
  }

  Duration since() {
    return Duration.ofNanos(System.nanoTime() - startNanos);
  }

  private BatchResult.Attempts counts(Batch b) {
    int n = attempts(b);
    return new BatchResult.Attempts(n, n - 1, 0);
  }
}
