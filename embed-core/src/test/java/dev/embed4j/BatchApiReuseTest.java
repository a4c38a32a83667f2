package dev.embed4j;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.embed4j.emulator.EmbeddingEmulator;
import java.math.BigDecimal;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The Batch API mode on the engine's dedupe and cache: repeated and cached texts never go into a
 * job, the vectors a job brings back go into the cache, the plan is counted exactly; streams are
 * refused.
 */
class BatchApiReuseTest {
  private static final String MODEL = "text-embedding-3-small";
  private final List<CostEstimate> plans = Collections.synchronizedList(new ArrayList<>());
  private EmbeddingEmulator emu;
  private final MapCache cache = new MapCache();
  private Embedder embedder;

  @BeforeEach
  void start() {
    emu =
        EmbeddingEmulator.builder()
            .batchTimes(Duration.ofMinutes(1), Duration.ofMinutes(10), Duration.ofMinutes(1))
            .batchTimeScale(36_000)
            .start();
    embedder =
        Embedder.builder()
            .model(MODEL)
            .apiKey("sk-emulator")
            .baseUrl(emu.baseUrl())
            .mode(RunMode.BATCH_API)
            .batchSize(16)
            .batchPollInterval(Duration.ofMillis(10))
            .batchMaxPollInterval(Duration.ofMillis(40))
            .cache(cache)
            .listener(
                new EmbedListener() {
                  @Override
                  public void runStarted(String runId, CostEstimate plan) {
                    plans.add(plan);
                  }
                })
            .build();
  }

  @AfterEach
  void stop() {
    embedder.close();
    emu.close();
  }

  /**
   * 100 distinct texts (some non-ASCII: their UTF-8 bound is above their count), then 50 repeats.
   */
  private static List<String> texts(int distinct, int repeats, String tag) {
    List<String> out = new ArrayList<>();
    for (int i = 0; i < distinct; i++) {
      out.add("Chunk " + tag + i + (i % 3 == 0 ? " — Größe, naïve café" : " of the archive."));
    }
    for (int i = 0; i < repeats; i++) {
      out.add(out.get(i));
    }
    return out;
  }

  private static void assertVectorsOf(EmbeddingRun run) {
    assertThat(run.isComplete()).isTrue();
    for (int i = 0; i < run.size(); i++) {
      assertThat(run.vector(i))
          .as("vector of input %d", i)
          .containsExactly(EmbeddingEmulator.expectedVector(MODEL, null, run.texts().get(i)));
    }
  }

  private static long tokens(List<String> texts) {
    return texts.stream().mapToLong(EmbeddingEmulator::expectedTokens).sum();
  }

  @Test
  void repeatsAreSentOnceCachedTextsNotAtAllAndTheJobsVectorsGoIntoTheCache() {
    List<String> first = texts(100, 50, "a");

    EmbeddingRun run = embedder.embed(first);

    assertVectorsOf(run);
    assertThat(emu.stats().batchInputsEmbedded()).as("each text once in the job").isEqualTo(100);
    assertThat(run.duplicates()).isEqualTo(50);
    assertThat(run.cacheHits()).isZero();
    long repeated = tokens(first.subList(0, 50));
    assertThat(run.savedTokens()).isEqualTo(repeated);
    assertThat(run.savedCost())
        .as("saved at the batch price")
        .isEqualByComparingTo(
            new BigDecimal("0.01").multiply(BigDecimal.valueOf(repeated)).movePointLeft(6));
    assertThat(run.tokens()).isEqualTo(emu.stats().batchTokensBilled());
    assertThat(run.cost()).isEqualByComparingTo(emu.stats().batchDollarsBilled());
    assertThat(plans.get(0).tokens())
        .as("the plan is the tokenizer's count, not the UTF-8 bound")
        .isEqualTo(tokens(first.subList(0, 100)))
        .isEqualTo(run.tokens());
    assertThat(cache.entries).hasSize(100);

    List<String> second = new ArrayList<>(first);
    second.addAll(texts(20, 0, "b"));
    EmbeddingRun again = embedder.embed(second);

    assertVectorsOf(again);
    assertThat(emu.stats().batchInputsEmbedded()).as("only the 20 new texts").isEqualTo(120);
    assertThat(again.cacheHits()).isEqualTo(100);
    assertThat(again.duplicates()).as("repeats of a hit, as in realtime").isEqualTo(50);
    assertThat(again.tokens()).isEqualTo(tokens(second.subList(150, 170)));
    assertThat(emu.stats().batchesCreated()).isEqualTo(2);

    EmbeddingRun cached = embedder.embed(first);

    assertVectorsOf(cached);
    assertThat(cached.cacheHits() + cached.duplicates()).isEqualTo(150);
    assertThat(cached.tokens()).isZero();
    assertThat(emu.stats().batchesCreated()).as("nothing left to send: no job").isEqualTo(2);
    assertThat(emu.stats().filesUploaded()).isEqualTo(2);
    assertThat(emu.stats().tokensBilled()).as("nothing went to the realtime endpoint").isZero();
  }

  @Test
  void aStreamIsRefusedWithWhatToCallInstead() {
    assertThatThrownBy(() -> embedder.stream(List.of("a", "b").iterator()))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("RunMode.BATCH_API")
        .hasMessageContaining("embed(List)");
    boolean[] closed = {false};
    Stream<String> lines = Stream.of("a").onClose(() -> closed[0] = true);
    assertThatThrownBy(() -> embedder.stream(lines, t -> t))
        .isInstanceOf(IllegalStateException.class);
    assertThat(closed[0]).as("the caller's Stream is closed").isTrue();
    assertThat(emu.stats().filesUploaded()).isZero();
  }
}
