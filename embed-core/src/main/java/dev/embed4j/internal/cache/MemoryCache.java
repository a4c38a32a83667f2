package dev.embed4j.internal.cache;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.Ticker;
import dev.embed4j.spi.EmbeddingCache;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** Vectors in this JVM's heap, at most {@code maxBytes} of them, evicted least-recently-useful. */
final class MemoryCache implements EmbeddingCache {
  /** Heap per entry besides the floats: the node, the key string and the array header. */
  private static final int OVERHEAD = 96;

  private final Cache<String, float[]> cache;
  private final String description;

  MemoryCache(long maxBytes, Duration timeToLive) {
    this(maxBytes, timeToLive, Ticker.systemTicker());
  }

  MemoryCache(long maxBytes, Duration timeToLive, Ticker ticker) {
    Caffeine<Object, Object> builder =
        Caffeine.newBuilder()
            .maximumWeight(maxBytes)
            .ticker(ticker)
            .executor(Runnable::run); // evict on the caller's thread: no pool of its own
    if (timeToLive != null) {
      builder.expireAfterWrite(timeToLive);
    }
    this.cache = builder.<String, float[]>weigher(MemoryCache::weight).build();
    this.description =
        "memory cache ("
            + maxBytes
            + " bytes"
            + (timeToLive == null ? "" : ", ttl " + timeToLive)
            + ")";
  }

  static int weight(String key, float[] vector) {
    return (int) Math.min(Integer.MAX_VALUE, OVERHEAD + 2L * key.length() + 4L * vector.length);
  }

  @Override
  public float[][] get(List<String> keys) {
    Map<String, float[]> found = cache.getAllPresent(keys);
    float[][] vectors = new float[keys.size()][];
    for (int i = 0; i < vectors.length; i++) {
      float[] v = found.get(keys.get(i));
      vectors[i] = v == null ? null : v.clone(); // the caller owns what it gets
    }
    return vectors;
  }

  @Override
  public void put(List<String> keys, List<float[]> vectors) {
    Stores.checkAligned(keys, vectors);
    Map<String, float[]> entries = new HashMap<>(keys.size() * 2);
    for (int i = 0; i < keys.size(); i++) {
      entries.put(keys.get(i), vectors.get(i).clone());
    }
    cache.putAll(entries);
  }

  /** Entries held now (after pending evictions), for tests. */
  long size() {
    cache.cleanUp();
    return cache.estimatedSize();
  }

  @Override
  public String describe() {
    return description;
  }

  @Override
  public void close() {
    cache.invalidateAll();
  }
}
