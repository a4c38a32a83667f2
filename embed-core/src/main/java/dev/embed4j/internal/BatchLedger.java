package dev.embed4j.internal;

import dev.embed4j.BatchOutcome;
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
  private final Listeners listeners;
  private final Tally tally;
  private final ResultSink sink;
  private final Dedupe dedupe;
  private final CacheAccess cache;
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
    this.listeners = listeners;
    this.tally = tally;
    this.sink = sink;
    this.dedupe = dedupe;
    this.cache = cache;
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
    if (!ended.add(b.id())) {
      return;
    }
    Input[] inputs = b.inputs();
    for (int i = 0; i < inputs.length; i++) {
      inputs[i].vector = vectors.get(i);
      inputs[i].error = null;
    }
    List<Input> all = new ArrayList<>(List.of(inputs));
    if (cache != null) {
      cache.put(all);
    }
    BatchOutcome outcome =
        BatchResult.succeeded(runId, model.id(), b, vectors, tokens, cost, counts(b), since());
    tally.ended(outcome);
    listeners.batchSucceeded(outcome);
    List<Input> followers = followers(inputs);
    if (!followers.isEmpty()) {
      reused(followers);
    }
    sink.deliver(all);
  }

  void failed(Batch b, Embed4jException error) {
    if (!ended.add(b.id())) {
      return;
    }
    List<Input> all = new ArrayList<>(b.size());
    for (Input in : b.inputs()) {
      in.error = error;
      all.add(in);
    }
    all.addAll(followers(b.inputs()));
    BatchOutcome outcome = BatchResult.failed(runId, model.id(), b, counts(b), since(), error);
    tally.ended(outcome);
    listeners.batchFailed(outcome);
    sink.deliver(all);
  }

  /** Inputs done without a job: counts what they saved, tells the listeners, delivers them. */
  void reused(List<Input> done) {
    int hits = 0;
    int dups = 0;
    long saved = 0;
    for (Input in : done) {
      if (in.vector != null) {
        hits += in.cached ? 1 : 0;
        dups += in.cached ? 0 : 1;
        saved += Tokenizers.count(in.sendText);
      }
    }
    if (hits + dups > 0) {
      BigDecimal dollars = model.batchCost(saved);
      tally.reused(hits, dups, saved, dollars);
      listeners.inputsReused(runId, model.id(), hits, dups, saved, dollars);
    }
    sink.deliver(done);
  }

  Duration since() {
    return Duration.ofNanos(System.nanoTime() - startNanos);
  }

  private List<Input> followers(Input[] leaders) {
    if (dedupe == null) {
      return List.of();
    }
    List<Input> out = new ArrayList<>();
    for (Input in : leaders) {
      out.addAll(dedupe.done(in));
    }
    return out;
  }

  private BatchResult.Attempts counts(Batch b) {
    int n = attempts(b);
    return new BatchResult.Attempts(n, n - 1, 0);
  }
}
