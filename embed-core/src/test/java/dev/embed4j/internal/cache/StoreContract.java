package dev.embed4j.internal.cache;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.embed4j.spi.EmbeddingCache;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** What every store promises the engine; each store's test runs it against a real store. */
abstract class StoreContract {
  static final int DIMENSIONS = 1536;
  EmbeddingCache cache;

  abstract EmbeddingCache open() throws Exception;

  @BeforeEach
  void openCache() throws Exception {
    cache = open();
  }

  @AfterEach
  void closeCache() {
    cache.close();
  }

  /** A vector that only this key has, so a vector at the wrong index cannot pass. */
  static float[] vectorOf(String key) {
    Random r = new Random(key.hashCode());
    float[] v = new float[DIMENSIONS];
    for (int i = 0; i < v.length; i++) {
      v[i] = r.nextFloat() * 2 - 1;
    }
    return v;
  }

  static String key(int i) {
    return "k" + Integer.toHexString(i * 0x9E3779B1) + "-" + i;
  }

  /** Exactly {@code expected}, checked without AssertJ's per-element cost (thousands of these). */
  static void assertVector(float[] actual, float[] expected, String where) {
    if (!Arrays.equals(actual, expected)) {
      throw new AssertionError(
          where
              + ": expected the vector starting "
              + expected[0]
              + ", got "
              + (actual == null ? "null" : "one starting " + actual[0] + " of " + actual.length));
    }
  }

  @Test
  void aMissIsNullAtItsIndex() {
    float[][] got = cache.get(List.of(key(1), key(2), key(3)));
    assertThat((Object[]) got).hasSize(3).containsOnlyNulls();
    assertThat(cache.get(List.of())).isEmpty();
  }

  @Test
  void hitsAndMissesAtRandomPositions_eachVectorAtItsOwnIndex() {
    Random r = new Random(7);
    List<String> stored = new ArrayList<>();
    List<float[]> vectors = new ArrayList<>();
    for (int i = 0; i < 600; i++) {
      if (r.nextBoolean()) {
        stored.add(key(i));
        vectors.add(vectorOf(key(i)));
      }
    }
    for (int from = 0; from < stored.size(); from += 128) {
      int to = Math.min(stored.size(), from + 128);
      cache.put(stored.subList(from, to), vectors.subList(from, to));
    }
    List<String> asked = new ArrayList<>();
    for (int i = 0; i < 600; i++) {
      asked.add(key(i));
    }
    float[][] got = cache.get(asked);
    assertThat((Object[]) got).hasSize(600);
    for (int i = 0; i < 600; i++) {
      if (stored.contains(key(i))) {
        assertVector(got[i], vectorOf(key(i)), "index " + i);
      } else {
        assertThat(got[i]).as("index %d", i).isNull();
      }
    }
  }

  @Test
  void aPutReplacesWhatWasThere() {
    cache.put(List.of("a"), List.of(vectorOf("x")));
    cache.put(List.of("a"), List.of(vectorOf("a")));
    assertThat(cache.get(List.of("a"))[0]).containsExactly(vectorOf("a"));
  }

  @Test
  void vectorsOfAnyLengthComeBackAsStored() {
    float[] small = {0f, -0f, Float.MIN_VALUE, Float.MAX_VALUE, 1.5f};
    cache.put(List.of("small", "one"), List.of(small, new float[] {3f}));
    float[][] got = cache.get(List.of("one", "small"));
    assertThat(got[0]).containsExactly(3f);
    assertThat(Arrays.equals(got[1], small)).isTrue();
  }

  @Test
  void keysAndVectorsOfDifferentCounts_areRejected() {
    assertThatThrownBy(() -> cache.put(List.of("a", "b"), List.of(vectorOf("a"))))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("2 keys but 1 vectors");
  }

  @Test
  void concurrentWriters_overlappingKeys_everyEntryWholeAndRight() throws Exception {
    int writers = 8;
    int keysEach = 256;
    ExecutorService pool = Executors.newFixedThreadPool(writers);
    try {
      List<Future<?>> done = new ArrayList<>();
      for (int w = 0; w < writers; w++) {
        int first = w * keysEach / 2; // each writer shares half its keys with the next one
        done.add(
            pool.submit(
                () -> {
                  for (int from = first; from < first + keysEach; from += 64) {
                    List<String> keys = new ArrayList<>();
                    List<float[]> vectors = new ArrayList<>();
                    for (int i = from; i < from + 64; i++) {
                      keys.add(key(i));
                      vectors.add(vectorOf(key(i)));
                    }
                    cache.put(keys, vectors);
                    float[][] back = cache.get(keys);
                    for (int i = 0; i < keys.size(); i++) {
                      assertVector(back[i], vectors.get(i), keys.get(i));
                    }
                  }
                  return null;
                }));
      }
      for (Future<?> f : done) {
        f.get(2, TimeUnit.MINUTES);
      }
    } finally {
      pool.shutdownNow();
    }
    int total = (writers + 1) * keysEach / 2;
    List<String> all = new ArrayList<>();
    for (int i = 0; i < total; i++) {
      all.add(key(i));
    }
    float[][] got = cache.get(all);
    for (int i = 0; i < total; i++) {
      assertVector(got[i], vectorOf(key(i)), "key " + i);
    }
  }
}
