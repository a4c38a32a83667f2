package dev.embed4j;

import dev.embed4j.spi.EmbeddingCache;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/** A test-only {@link EmbeddingCache} in a map, counting its calls; the real stores are modules. */
class MapCache implements EmbeddingCache {
  final Map<String, float[]> entries = new ConcurrentHashMap<>();
  final AtomicInteger gets = new AtomicInteger();
  final AtomicInteger puts = new AtomicInteger();

  @Override
  public float[][] get(List<String> keys) {
    gets.incrementAndGet();
    float[][] out = new float[keys.size()][];
    for (int i = 0; i < keys.size(); i++) {
      out[i] = entries.get(keys.get(i));
    }
    return out;
  }

  @Override
  public void put(List<String> keys, List<float[]> vectors) {
    puts.incrementAndGet();
    for (int i = 0; i < keys.size(); i++) {
      entries.put(keys.get(i), vectors.get(i));
    }
  }

  @Override
  public String describe() {
    return "map cache";
  }
}
