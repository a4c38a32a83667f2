package dev.embed4j.internal;

import dev.embed4j.ModelSpec;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import java.util.function.LongFunction;

/**
 * What happens when inputs of a run are done, whichever worker finished them: a batch's vectors (or
 * its error) go to its inputs and to those deduplicated onto them, its vectors into the cache; the
 * outcome is counted and told to the listeners; what was reused without a request is counted with
 * exact tokens; and everything goes to the {@link ResultSink}.
 */
final class Completion {
  private final String runId;
  private final ModelSpec model;
  private final Listeners listeners;
  private final Tally tally;
  private final ResultSink sink;
  private final Dedupe dedupe;
  private final CacheAccess cache;
  private final LongFunction<BigDecimal> price;

  /**
   * @param dedupe null without dedupe
   * @param cache null without a cache
   */
  Completion(
      String runId,
      ModelSpec model,
      Listeners listeners,
      Tally tally,
      ResultSink sink,
      Dedupe dedupe,
      CacheAccess cache) {
    this(runId, model, listeners, tally, sink, dedupe, cache, model::cost);
  }

  /** As the other, pricing what reuse saved with {@code price} (the Batch API's price, say). */
  Completion(
      String runId,
      ModelSpec model,
      Listeners listeners,
      Tally tally,
      ResultSink sink,
      Dedupe dedupe,
      CacheAccess cache,
      LongFunction<BigDecimal> price) {
    this.price = price;
    this.runId = runId;
    this.model = model;
    this.listeners = listeners;
    this.tally = tally;
    this.sink = sink;
    this.dedupe = dedupe;
    this.cache = cache;
  }

  /** A batch succeeded: place, cache, count, tell, deliver with its followers. */
  void succeeded(BatchResult outcome) {
    Input[] inputs = outcome.batch().inputs();
    List<float[]> vectors = outcome.vectors();
    for (int i = 0; i < inputs.length; i++) {
      inputs[i].vector = vectors.get(i);
      inputs[i].error = null; // an earlier attempt's (a Batch API line retried in a new job)
    }
    List<Input> all = new ArrayList<>(List.of(inputs));
    if (cache != null) {
      cache.put(all);
    }
    tally.ended(outcome);
    listeners.batchSucceeded(outcome);
    List<Input> followers = followers(inputs);
    if (followers.isEmpty()) {
      sink.deliver(all);
    } else {
      reused(followers, all);
    }
  }

  /** A batch failed for good: its inputs and their followers carry its error. */
  void failed(BatchResult outcome) {
    Input[] inputs = outcome.batch().inputs();
    List<Input> all = new ArrayList<>(inputs.length);
    for (Input in : inputs) {
      in.error = outcome.failure();
      all.add(in);
    }
    all.addAll(followers(inputs));
    tally.ended(outcome);
    listeners.batchFailed(outcome);
    sink.deliver(all);
  }

  /** Counts what {@code done} saved, tells the listeners, and delivers it after {@code before}. */
  void reused(List<Input> done, List<Input> before) {
    int hits = 0;
    int dups = 0;
    long saved = 0;
    for (Input in : done) {
      if (in.vector != null) {
        hits += in.cached ? 1 : 0;
        dups += in.cached ? 0 : 1;
        saved += in.exact ? in.tokens : Tokenizers.count(in.sendText);
      }
    }
    if (hits + dups > 0) {
      BigDecimal dollars = price.apply(saved);
      tally.reused(hits, dups, saved, dollars);
      listeners.inputsReused(runId, model.id(), hits, dups, saved, dollars);
    }
    before.addAll(done);
    sink.deliver(before);
  }

  private List<Input> followers(Input[] leaders) {
    if (dedupe == null) {
      return List.of();
    }
    List<Input> followers = new ArrayList<>();
    for (Input in : leaders) {
      followers.addAll(dedupe.done(in));
    }
    return followers;
  }
}
