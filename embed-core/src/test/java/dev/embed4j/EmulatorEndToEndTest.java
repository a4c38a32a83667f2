package dev.embed4j;

import static org.assertj.core.api.Assertions.assertThat;

import dev.embed4j.emulator.EmbeddingEmulator;
import java.math.BigDecimal;
import java.time.Duration;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Whole runs against the local emulator of both APIs: every vector checked, every token accounted.
 */
class EmulatorEndToEndTest {
  private EmbeddingEmulator emulator;
  private Embedder embedder;

  @AfterEach
  void stop() {
    if (embedder != null) {
      embedder.close();
    }
    if (emulator != null) {
      emulator.close();
    }
  }

  static List<String> texts(int n) {
    return IntStream.range(0, n)
        .mapToObj(i -> "Document " + i + " about topic " + (i % 97) + ".")
        .toList();
  }

  static void assertEveryVector(EmbeddingRun run, String model, String inputType, int dims) {
    List<float[]> vectors = run.vectors();
    for (int i = 0; i < vectors.size(); i++) {
      float[] expected =
          EmbeddingEmulator.expectedVector(model, inputType, run.texts().get(i), dims);
      assertThat(vectors.get(i)).as("vector of input %d", i).containsExactly(expected);
    }
  }

  @Test
  void thousandsOfTextsInParallelBatchesLandAtTheirIndexWithExactTokensAndCost() {
    emulator = EmbeddingEmulator.builder().shuffleOrder(true).latency(Duration.ofMillis(5)).start();
    embedder =
        Embedder.builder()
            .model("text-embedding-3-small")
            .apiKey("sk-emulator")
            .baseUrl(emulator.baseUrl())
            .batchSize(64)
            .maxConcurrentRequests(16)
            .build();
    List<String> texts = texts(5_000);

    EmbeddingRun run = embedder.embed(texts);

    assertEveryVector(run, "text-embedding-3-small", null, 1536);
    assertThat(run.batches()).hasSize(79);
    assertThat(emulator.stats().batchSizes())
        .allSatisfy(size -> assertThat(size).isLessThanOrEqualTo(64));
    assertThat(emulator.stats().maxInFlight())
        .as("batches really run in parallel")
        .isGreaterThan(1);
    long billed = emulator.stats().tokensBilled();
    assertThat(run.tokens()).isEqualTo(billed);
    assertThat(run.tokens())
        .isEqualTo(texts.stream().mapToLong(EmbeddingEmulator::expectedTokens).sum());
    assertThat(run.cost())
        .isEqualByComparingTo(
            new BigDecimal("0.02")
                .multiply(BigDecimal.valueOf(billed))
                .divide(BigDecimal.valueOf(1_000_000)));
    assertThat(embedder.estimate(texts).tokens())
        .as("the dry run predicts the bill")
        .isEqualTo(billed);
  }

  @Test
  void batchesAreBoundedByTheThreeHundredThousandTokenCapNotOnlyByCount() {
    emulator = EmbeddingEmulator.builder().start();
    embedder =
        Embedder.builder()
            .model("text-embedding-3-large")
            .apiKey("sk-emulator")
            .baseUrl(emulator.baseUrl())
            .batchSize(2048)
            .maxConcurrentRequests(4)
            .build();
    // 80 texts of about 8,000 tokens: 640,000 tokens, which one count-only batch of 80 would send
    // at once.
    List<String> texts =
        IntStream.range(0, 80).mapToObj(i -> ("chunk" + i + " ").repeat(4000)).toList();
    long tokens = texts.stream().mapToLong(EmbeddingEmulator::expectedTokens).sum();
    assertThat(tokens).isGreaterThan(300_000);

    EmbeddingRun run = embedder.embed(texts);

    assertThat(run.isComplete()).isTrue();
    assertThat(emulator.stats().requests(400))
        .as("the emulator enforces the cap; nothing was refused")
        .isZero();
    assertThat(run.batches()).allSatisfy(b -> assertThat(b.tokens()).isLessThanOrEqualTo(300_000));
    assertThat(run.batches()).hasSize((int) Math.ceil(tokens / 300_000.0));
    assertThat(run.tokens()).isEqualTo(tokens);
    assertEveryVector(run, "text-embedding-3-large", null, 3072);
  }

  @Test
  void batchesArePackedByExactCountsWhenTheCheapBoundWouldCloseThemEarly() {
    emulator = EmbeddingEmulator.builder().start();
    embedder =
        Embedder.builder()
            .model("text-embedding-3-small")
            .apiKey("sk-emulator")
            .baseUrl(emulator.baseUrl())
            .batchSize(2048)
            .maxConcurrentRequests(2)
            .build();
    // About 2,000 tokens but 9,000 bytes each: by bytes only 33 fit under 300,000 tokens.
    List<String> texts =
        IntStream.range(0, 300).mapToObj(i -> ("w" + i + " ").repeat(1000)).toList();
    int expected = 0;
    long sum = 0;
    for (String t : texts) {
      int n = EmbeddingEmulator.expectedTokens(t);
      if (expected == 0 || sum + n > 300_000) {
        expected++;
        sum = 0;
      }
      sum += n;
    }

    EmbeddingRun run = embedder.embed(texts);

    assertThat(run.isComplete()).isTrue();
    assertThat(run.batches()).hasSize(expected);
    assertThat(emulator.stats().requests(400)).isZero();
  }

  @Test
  void floatRepliesFromServersThatIgnoreBase64DecodeToTheSameVectors() {
    emulator = EmbeddingEmulator.builder().ignoreEncodingFormat(true).start();
    embedder =
        Embedder.builder()
            .model("text-embedding-3-small")
            .apiKey("k")
            .baseUrl(emulator.baseUrl())
            .dimensions(512)
            .build();

    EmbeddingRun run = embedder.embed(texts(300));

    assertEveryVector(run, "text-embedding-3-small", null, 512);
  }

  @Test
  void cohereQueriesAndDocumentsAreEmbeddedWithTheirInputType() {
    emulator = EmbeddingEmulator.builder().start();
    embedder =
        Embedder.builder()
            .model("cohere:embed-english-v3.0")
            .apiKey("co-k")
            .baseUrl(emulator.baseUrl())
            .maxConcurrentRequests(8)
            .build();
    List<String> texts = texts(500);

    EmbeddingRun documents = embedder.embed(texts);
    EmbeddingRun queries;
    try (Embedder forQueries = embedder.newBuilder().inputType(InputType.SEARCH_QUERY).build()) {
      queries = forQueries.embed(texts);
    }

    assertEveryVector(documents, "embed-english-v3.0", "search_document", 1024);
    assertEveryVector(queries, "embed-english-v3.0", "search_query", 1024);
    assertThat(documents.batches()).as("default batch size 64").hasSize(8);
    assertThat(documents.tokens() + queries.tokens()).isEqualTo(emulator.stats().tokensBilled());
  }

  @Test
  void embedV4WithAReducedOutputDimension() {
    emulator = EmbeddingEmulator.builder().start();
    embedder =
        Embedder.builder()
            .model("cohere:embed-v4.0")
            .apiKey("co-k")
            .baseUrl(emulator.baseUrl())
            .dimensions(256)
            .build();

    EmbeddingRun run = embedder.embed(texts(200));

    assertEveryVector(run, "embed-v4.0", "search_document", 256);
    assertThat(run.cost())
        .isEqualByComparingTo(
            new BigDecimal("0.12")
                .multiply(BigDecimal.valueOf(run.tokens()))
                .divide(BigDecimal.valueOf(1_000_000)));
  }

  @Test
  void embedAsyncCompletesWithTheSameResult() throws Exception {
    emulator = EmbeddingEmulator.builder().start();
    embedder =
        Embedder.builder()
            .model("text-embedding-3-small")
            .apiKey("k")
            .baseUrl(emulator.baseUrl())
            .build();

    EmbeddingRun run = embedder.embedAsync(texts(1000)).get();

    assertEveryVector(run, "text-embedding-3-small", null, 1536);
  }
}
