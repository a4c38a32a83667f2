package dev.embed4j.internal.cache;

import static org.assertj.core.api.Assertions.assertThat;

import dev.embed4j.Embedder;
import dev.embed4j.EmbeddingRun;
import dev.embed4j.emulator.EmbeddingEmulator;
import dev.embed4j.spi.EmbeddingCache;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Each real store behind the engine: a run over 400 texts of which a random half were embedded by
 * an earlier run (through a store closed and opened again, for disk and Redis) sends only the rest,
 * and every vector, hit or miss, is the emulator's vector of the text at that index.
 */
class StoresThroughTheEngineTest {
  private static final String MODEL = "text-embedding-3-small";
  private static EmbeddingEmulator emulator;
  private static EmbeddedRedis redis;

  @TempDir Path dir;

  @BeforeAll
  static void start() {
    emulator = EmbeddingEmulator.builder().start();
    redis = new EmbeddedRedis(null);
  }

  @AfterAll
  static void stop() throws Exception {
    emulator.close();
    redis.close();
  }

  private static Embedder embedder(EmbeddingCache cache) {
    return Embedder.builder()
        .model(MODEL)
        .apiKey("sk-emulator")
        .baseUrl(emulator.baseUrl())
        .batchSize(32)
        .maxConcurrentRequests(8)
        .cache(cache)
        .build();
  }

  private void partialHitsLandAtTheirOwnIndex(Supplier<EmbeddingCache> open) {
    List<String> all = new ArrayList<>();
    List<String> earlier = new ArrayList<>();
    Random r = new Random(11);
    for (int i = 0; i < 400; i++) {
      String text = "text number " + i + " with some words " + r.nextInt(1000);
      all.add(text);
      if (r.nextBoolean()) {
        earlier.add(text);
      }
    }
    try (EmbeddingCache cache = open.get();
        Embedder embedder = embedder(cache)) {
      embedder.embed(earlier).vectors();
    }
    long before = emulator.stats().tokensBilled();
    EmbeddingRun run;
    try (EmbeddingCache cache = open.get();
        Embedder embedder = embedder(cache)) {
      run = embedder.embed(all);
    }
    long missesTokens =
        all.stream()
            .filter(t -> !earlier.contains(t))
            .mapToLong(EmbeddingEmulator::expectedTokens)
            .sum();
    assertThat(emulator.stats().tokensBilled() - before).isEqualTo(missesTokens);
    assertThat(run.cacheHits()).isEqualTo(earlier.size());
    List<float[]> vectors = run.vectors();
    for (int i = 0; i < all.size(); i++) {
      StoreContract.assertVector(
          vectors.get(i), EmbeddingEmulator.expectedVector(MODEL, null, all.get(i)), "index " + i);
    }
  }

  @Test
  void disk() {
    partialHitsLandAtTheirOwnIndex(() -> EmbeddingCache.onDisk(dir));
  }

  @Test
  void redis() {
    partialHitsLandAtTheirOwnIndex(() -> EmbeddingCache.redis(redis.uri(null, 5), "e2e:", null));
  }

  @Test
  void memory() {
    EmbeddingCache shared = EmbeddingCache.inMemory(64L << 20);
    EmbeddingCache notClosed =
        new EmbeddingCache() { // the same heap cache for both runs: close() would empty it
          @Override
          public float[][] get(List<String> keys) {
            return shared.get(keys);
          }

          @Override
          public void put(List<String> keys, List<float[]> vectors) {
            shared.put(keys, vectors);
          }
        };
    partialHitsLandAtTheirOwnIndex(() -> notClosed);
  }
}
