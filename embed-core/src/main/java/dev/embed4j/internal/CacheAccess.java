package dev.embed4j.internal;

import dev.embed4j.spi.EmbeddingCache;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A run's use of the {@link EmbeddingCache}: never trusted, never fatal. A vector of the wrong
 * length is a miss (the vector received for it overwrites it); a store that throws, or answers with
 * an array of the wrong size, is given up for the rest of the run with one warning, and the run
 * goes on as if it had no cache.
 */
final class CacheAccess {
  private static final Logger log = LoggerFactory.getLogger(CacheAccess.class);

  private final EmbeddingCache cache;
  private final int dimensions;
  private final String runId;
  private final AtomicBoolean broken = new AtomicBoolean();

  CacheAccess(EmbeddingCache cache, int dimensions, String runId) {
    this.cache = cache;
    this.dimensions = dimensions;
    this.runId = runId;
  }

  /** The vectors found for {@code inputs}' keys, null for misses; all null once broken. */
  float[][] get(List<Input> inputs) {
    float[][] found = new float[inputs.size()][];
    if (broken.get() || inputs.isEmpty()) {
      return found;
    }
    List<String> keys = new ArrayList<>(inputs.size());
    for (Input in : inputs) {
      keys.add(in.key);
    }
    float[][] got;
    try {
      got = cache.get(keys);
    } catch (RuntimeException | LinkageError e) {
      giveUp("get", e.toString(), e);
      return found;
    }
    if (got == null || got.length != keys.size()) {
      giveUp(
          "get",
          "it returned "
              + (got == null ? "null" : got.length + " entries")
              + " for "
              + keys.size()
              + " keys",
          null);
      return found;
    }
    for (int i = 0; i < got.length; i++) {
      if (got[i] != null && got[i].length == dimensions) {
        found[i] = got[i];
      }
    }
    return found;
  }

  /** Stores the vectors received for {@code inputs}. */
  void put(List<Input> inputs) {
    if (broken.get() || inputs.isEmpty()) {
      return;
    }
    List<String> keys = new ArrayList<>(inputs.size());
    List<float[]> vectors = new ArrayList<>(inputs.size());
    for (Input in : inputs) {
      keys.add(in.key);
      vectors.add(in.vector);
    }
    try {
      cache.put(keys, vectors);
    } catch (RuntimeException | LinkageError e) {
      giveUp("put", e.toString(), e);
    }
  }

  private void giveUp(String operation, String problem, Throwable cause) {
    if (broken.compareAndSet(false, true)) {
      log.warn(
          "Embedding cache {} failed on {} ({}): run {} goes on without it, sending what it would"
              + " have found there",
          cache.describe(),
          operation,
          problem,
          runId,
          cause);
    }
  }
}
