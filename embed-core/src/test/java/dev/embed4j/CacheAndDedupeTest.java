package dev.embed4j;

import static org.assertj.core.api.Assertions.assertThat;

import dev.embed4j.emulator.EmbeddingEmulator;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Cache hits and misses at random positions, dedupe billed once, and a cache that cannot be trusted
 * (throws, wrong lengths): every vector checked against the emulator's vector for its text.
 */
class CacheAndDedupeTest {
  private static final String MODEL = "text-embedding-3-small";
  private EmbeddingEmulator emulator;

  @BeforeEach
  void start() {
    emulator = EmbeddingEmulator.builder().shuffleOrder(true).start();
  }

  @AfterEach
  void stop() {
    emulator.close();
  }

  private Embedder.Builder builder() {
    return Embedder.builder()
        .model(MODEL)
        .apiKey("sk-emulator")
        .baseUrl(emulator.baseUrl())
        .batchSize(50)
        .maxConcurrentRequests(8);
  }

  private static List<String> texts(int n) {
    return IntStream.range(0, n).mapToObj(i -> "Passage " + i + " on subject " + i % 89).toList();
  }

  private static float[] expected(String text) {
    return EmbeddingEmulator.expectedVector(MODEL, null, text, 1536);
  }

  private static long tokens(List<String> texts) {
    return texts.stream().mapToLong(EmbeddingEmulator::expectedTokens).sum();
  }

  @Test
  void randomHitsAndMissesAtRandomPositionsEachLandAtTheirOwnIndex() {
    List<String> texts = texts(4_000);
    Random random = new Random(42);
    MapCache cache = new MapCache();
    List<String> cached = new ArrayList<>();
    List<String> sent = new ArrayList<>();
    try (Embedder embedder = builder().cache(cache).build()) {
      // Fill the cache through the engine with a random third of the texts, at random positions.
      for (String t : texts) {
        (random.nextInt(3) == 0 ? cached : sent).add(t);
      }
      embedder.embed(cached);
      emulator.stats().reset();

      EmbeddingRun run = embedder.embed(texts);

      for (int i = 0; i < texts.size(); i++) {
        assertThat(run.vector(i)).as("vector %d", i).containsExactly(expected(texts.get(i)));
      }
      assertThat(run.cacheHits()).isEqualTo(cached.size());
      assertThat(emulator.stats().inputsEmbedded()).isEqualTo(sent.size());
      assertThat(run.tokens()).isEqualTo(emulator.stats().tokensBilled()).isEqualTo(tokens(sent));
      assertThat(run.savedTokens()).as("hits counted exactly").isEqualTo(tokens(cached));
      assertThat(run.savedCost()).isEqualByComparingTo(embedder.model().cost(tokens(cached)));
      assertThat(run.batches())
          .as("a batch carries only misses, and only at their own positions")
          .allSatisfy(
              b -> assertThat(b.inputIndices()).noneMatch(i -> cached.contains(texts.get(i))));
      assertThat(cache.entries).hasSize(texts.size());
    }
  }

  @Test
  void aStreamWithHitsAndMissesDeliversEveryItemOnceWithItsOwnVector() {
    List<String> texts = texts(3_000);
    MapCache cache = new MapCache();
    Random random = new Random(7);
    try (Embedder embedder = builder().cache(cache).build()) {
      embedder.embed(texts.stream().filter(t -> random.nextBoolean()).toList());
      int hitsBefore = cache.entries.size();
      List<EmbeddedItem<String>> got = new ArrayList<>();

      EmbeddingRun run = embedder.stream(texts.iterator()).to(got::addAll);

      assertThat(got).hasSize(texts.size());
      Set<Integer> positions = new HashSet<>();
      for (EmbeddedItem<String> e : got) {
        assertThat(positions.add(e.position())).isTrue();
        assertThat(e.item()).isEqualTo(texts.get(e.position()));
        assertThat(e.vector()).containsExactly(expected(e.item()));
      }
      assertThat(got.stream().filter(EmbeddedItem::cached).count()).isEqualTo(hitsBefore);
      assertThat(run.cacheHits()).isEqualTo(hitsBefore);
      assertThat(run.size()).isEqualTo(texts.size());
      assertThat(run.isComplete()).isTrue();
    }
  }

  @Test
  void identicalTextsAreSentOnceBilledOncePlacedEverywhereAndCounted() {
    List<String> unique = texts(300);
    List<String> texts = new ArrayList<>();
    Random random = new Random(3);
    for (int i = 0; i < 2_000; i++) {
      texts.add(unique.get(random.nextInt(unique.size())));
    }
    long distinct = texts.stream().distinct().count();
    List<String> distinctTexts = texts.stream().distinct().toList();
    try (Embedder embedder = builder().build()) {
      EmbeddingRun run = embedder.embed(texts);

      for (int i = 0; i < texts.size(); i++) {
        assertThat(run.vector(i)).as("vector %d", i).containsExactly(expected(texts.get(i)));
      }
      assertThat(emulator.stats().inputsEmbedded()).isEqualTo(distinct);
      assertThat(emulator.stats().tokensBilled()).isEqualTo(tokens(distinctTexts));
      assertThat(run.tokens()).isEqualTo(tokens(distinctTexts));
      assertThat(run.duplicates()).isEqualTo(texts.size() - (int) distinct);
      assertThat(run.savedTokens()).isEqualTo(tokens(texts) - tokens(distinctTexts));
      assertThat(run.summary()).contains((texts.size() - distinct) + " duplicates");
    }
  }

  @Test
  void withoutDedupeEveryTextIsSent() {
    List<String> texts = List.of("same", "same", "same", "other");
    try (Embedder embedder = builder().dedupe(false).build()) {
      EmbeddingRun run = embedder.embed(texts);
      assertThat(emulator.stats().inputsEmbedded()).isEqualTo(4);
      assertThat(run.duplicates()).isZero();
    }
  }

  @Test
  void aStreamMergesDuplicatesInFlightAndDeliversEachOccurrence() {
    List<String> texts = new ArrayList<>();
    for (int i = 0; i < 1_000; i++) {
      texts.add("text " + (i % 10)); // each text ten times, close together
    }
    try (Embedder embedder = builder().batchSize(20).maxConcurrentRequests(2).build()) {
      List<EmbeddedItem<String>> got = new ArrayList<>();
      EmbeddingRun run = embedder.stream(texts.iterator()).ordered(true).to(got::addAll);

      assertThat(got).extracting(EmbeddedItem::position).containsExactlyElementsOf(range(1_000));
      assertThat(got).allSatisfy(e -> assertThat(e.vector()).containsExactly(expected(e.item())));
      assertThat(emulator.stats().inputsEmbedded()).isLessThan(1_000);
      assertThat(run.duplicates()).isEqualTo(1_000 - (int) emulator.stats().inputsEmbedded());
      assertThat(run.tokens()).isEqualTo(emulator.stats().tokensBilled());
    }
  }

  @Test
  void aCacheThatThrowsDegradesToMissesWithOneWarningAndNeverFailsTheRun() {
    AtomicInteger calls = new AtomicInteger();
    MapCache broken =
        new MapCache() {
          @Override
          public float[][] get(List<String> keys) {
            calls.incrementAndGet();
            throw new IllegalStateException("disk on fire");
          }

          @Override
          public void put(List<String> keys, List<float[]> vectors) {
            calls.incrementAndGet();
            throw new IllegalStateException("disk on fire");
          }
        };
    List<String> texts = texts(500);
    PrintStream err = System.err;
    ByteArrayOutputStream captured = new ByteArrayOutputStream();
    EmbeddingRun run;
    try (Embedder embedder = builder().cache(broken).build()) {
      System.setErr(new PrintStream(captured, true, StandardCharsets.UTF_8));
      try {
        run = embedder.embed(texts);
      } finally {
        System.setErr(err);
      }
    }
    assertThat(run.isComplete()).isTrue();
    for (int i = 0; i < texts.size(); i++) {
      assertThat(run.vector(i)).containsExactly(expected(texts.get(i)));
    }
    assertThat(calls).as("given up after its first failure").hasValue(1);
    String log = captured.toString(StandardCharsets.UTF_8);
    assertThat(log.split("Embedding cache map cache failed", -1)).hasSize(2);
    assertThat(log).contains("goes on without it");
  }

  @Test
  void aVectorOfTheWrongLengthIsAMissAndIsOverwritten() {
    MapCache cache = new MapCache();
    List<String> texts = texts(10);
    try (Embedder embedder = builder().cache(cache).build()) {
      embedder.embed(texts);
      String key = cache.entries.keySet().iterator().next();
      cache.entries.put(key, new float[] {1f, 2f, 3f}); // truncated entry
      emulator.stats().reset();

      EmbeddingRun run = embedder.embed(texts);

      assertThat(run.cacheHits()).isEqualTo(9);
      assertThat(emulator.stats().inputsEmbedded()).isEqualTo(1);
      for (int i = 0; i < texts.size(); i++) {
        assertThat(run.vector(i)).containsExactly(expected(texts.get(i)));
      }
      assertThat(cache.entries.get(key)).hasSize(1536);
    }
  }

  @Test
  void keysDependOnModelDimensionsAndTextNeverOnTheApiKey() {
    MapCache cache = new MapCache();
    try (Embedder a = builder().apiKey("sk-one").cache(cache).build();
        Embedder b = builder().apiKey("sk-two").cache(cache).build();
        Embedder reduced = builder().dimensions(256).cache(cache).build()) {
      a.embed(List.of("hello"));
      EmbeddingRun sameModelOtherKey = b.embed(List.of("hello"));
      EmbeddingRun otherDimensions = reduced.embed(List.of("hello"));

      assertThat(sameModelOtherKey.cacheHits()).isEqualTo(1);
      assertThat(otherDimensions.cacheHits()).isZero();
      assertThat(otherDimensions.vector(0)).hasSize(256);
      assertThat(cache.entries).hasSize(2);
      assertThat(cache.entries.keySet())
          .allSatisfy(
              k -> {
                assertThat(k).matches("v1\\.[A-Za-z0-9_-]{43}");
                assertThat(k).doesNotContain("sk-one").doesNotContain("hello");
              });
    }
  }

  @Test
  void savingsReachTheListener() {
    MapCache cache = new MapCache();
    List<long[]> reused = new ArrayList<>();
    EmbedListener listener =
        new EmbedListener() {
          @Override
          public synchronized void inputsReused(
              String runId, String model, int hits, int dups, long saved, BigDecimal dollars) {
            reused.add(new long[] {hits, dups, saved});
          }
        };
    try (Embedder embedder = builder().cache(cache).listener(listener).build()) {
      embedder.embed(List.of("alpha", "beta"));
      reused.clear();
      EmbeddingRun run = embedder.embed(List.of("alpha", "beta", "gamma", "gamma"));

      assertThat(reused.stream().mapToLong(r -> r[0]).sum()).isEqualTo(2);
      assertThat(reused.stream().mapToLong(r -> r[1]).sum()).isEqualTo(1);
      assertThat(reused.stream().mapToLong(r -> r[2]).sum()).isEqualTo(run.savedTokens());
      assertThat(run.savedTokens()).isEqualTo(tokens(List.of("alpha", "beta", "gamma")));
    }
  }

  static List<Integer> range(int n) {
    return IntStream.range(0, n).boxed().toList();
  }
}
