package dev.embed4j.internal.cache;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.github.benmanes.caffeine.cache.Ticker;
import dev.embed4j.spi.EmbeddingCache;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class MemoryCacheTest extends StoreContract {
  private final AtomicLong nanos = new AtomicLong();
  private final Ticker ticker = nanos::get;

  @Override
  EmbeddingCache open() {
    return EmbeddingCache.inMemory(64L << 20);
  }

  @Test
  void boundedByBytes_notByCount() {
    long oneEntry = MemoryCache.weight(key(0), new float[DIMENSIONS]);
    MemoryCache small = new MemoryCache(10 * oneEntry, null, ticker);
    for (int i = 0; i < 50; i++) {
      small.put(List.of(key(i)), List.of(vectorOf(key(i))));
    }
    assertThat(small.size()).isBetween(1L, 10L);
    // the same budget holds 16 times as many vectors of 96 dimensions
    MemoryCache sameBudget = new MemoryCache(10 * oneEntry, null, ticker);
    List<String> keys = new ArrayList<>();
    List<float[]> vectors = new ArrayList<>();
    for (int i = 0; i < 100; i++) {
      keys.add(key(i));
      vectors.add(new float[96]);
    }
    sameBudget.put(keys, vectors);
    assertThat(sameBudget.size()).isGreaterThan(50L);
  }

  @Test
  void entriesExpireTheirTimeToLiveAfterTheyWereWritten() {
    MemoryCache cache = new MemoryCache(1 << 20, Duration.ofMinutes(10), ticker);
    cache.put(List.of("a"), List.of(new float[] {1f}));
    nanos.addAndGet(Duration.ofMinutes(9).toNanos());
    cache.put(List.of("b"), List.of(new float[] {2f}));
    assertThat((Object[]) cache.get(List.of("a", "b"))).doesNotContainNull();
    nanos.addAndGet(Duration.ofMinutes(2).toNanos());
    float[][] got = cache.get(List.of("a", "b"));
    assertThat(got[0]).isNull();
    assertThat(got[1]).containsExactly(2f);
  }

  @Test
  void theCallerOwnsWhatItGetsAndWhatItPut() {
    float[] put = {1f, 2f};
    cache.put(List.of("a"), List.of(put));
    put[0] = 99f;
    cache.get(List.of("a"))[0][1] = 99f;
    assertThat(cache.get(List.of("a"))[0]).containsExactly(1f, 2f);
  }

  @Test
  void maxBytes_mustBePositive() {
    assertThatThrownBy(() -> EmbeddingCache.inMemory(0))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("maxBytes must be positive, was 0");
    assertThatThrownBy(() -> EmbeddingCache.inMemory(1, Duration.ZERO))
        .hasMessage("timeToLive must be positive, or null for none, was PT0S");
  }

  @Test
  void closeEmptiesIt_andDescribeSaysWhatItIs() {
    cache.put(List.of("a"), List.of(new float[] {1f}));
    assertThat(cache.describe()).isEqualTo("memory cache (67108864 bytes)");
    cache.close();
    assertThat(cache.get(List.of("a"))[0]).isNull();
  }
}
