package dev.embed4j;

import static org.assertj.core.api.Assertions.assertThat;

import dev.embed4j.emulator.EmbeddingEmulator;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Runs against an emulator that counts tokens more densely than the local cl100k estimate: a batch
 * the provider finds too large is split, never failed, and every vector still lands at its index,
 * billed once.
 */
class SplitEndToEndTest {
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

  @Test
  void batchesOverTheCapByTheProvidersCount_areSplit_andEveryVectorLandsAtItsIndexBilledOnce() {
    double density = 4; // Voyage's tokenizer counts a reported 3-4 times more than cl100k
    emulator = EmbeddingEmulator.builder().tokenDensity(density).start();
    embedder =
        Embedder.builder()
            .model("text-embedding-3-small")
            .apiKey("sk-emulator")
            .baseUrl(emulator.baseUrl())
            .batchSize(2048)
            .maxConcurrentRequests(2)
            .build();
    // ~2,000 cl100k tokens each: planned as batches of ~150 (300,000 tokens), 4x that by the server
    List<String> texts =
        IntStream.range(0, 160)
            .mapToObj(i -> "Document " + i + ": " + "word ".repeat(1990))
            .toList();

    EmbeddingRun run = embedder.embed(texts);

    assertThat(run.isComplete()).isTrue();
    assertEveryVector(run, texts);
    assertThat(emulator.stats().requests(400)).as("the planned batch was refused").isPositive();
    assertThat(run.batches()).hasSizeGreaterThan(2).allSatisfy(b -> assertThat(b.succeeded()));
    List<Integer> carried = new ArrayList<>();
    run.batches().forEach(b -> carried.addAll(b.inputIndices()));
    assertThat(carried).as("each input in exactly one batch").hasSize(160).doesNotHaveDuplicates();
    assertThat(emulator.stats().inputsEmbedded()).as("each input embedded once").isEqualTo(160);
    long billed = texts.stream().mapToLong(t -> EmbeddingEmulator.expectedTokens(t, density)).sum();
    assertThat(emulator.stats().tokensBilled()).isEqualTo(billed);
    assertThat(run.tokens()).as("the run's tokens are the server's, once").isEqualTo(billed);
    assertThat(run.requests())
        .as("refused requests counted")
        .isEqualTo(emulator.stats().requests());
    assertThat(run.retries()).as("a split is not a retry").isZero();

    long refusedBefore = emulator.stats().requests(400);
    EmbeddingRun again = embedder.embed(texts);

    assertThat(again.isComplete()).isTrue();
    assertThat(emulator.stats().requests(400))
        .as("the next run is planned with the learned density")
        .isEqualTo(refusedBefore);
    assertThat(again.tokens()).isEqualTo(billed);
  }

  @Test
  void inAStream_aRefusedBatchIsSplit_everyItemDeliveredOnceInOrder_billedOnce() {
    double density = 4;
    emulator = EmbeddingEmulator.builder().tokenDensity(density).start();
    embedder =
        Embedder.builder()
            .model("text-embedding-3-small")
            .apiKey("sk-emulator")
            .baseUrl(emulator.baseUrl())
            .batchSize(50) // ~100,000 tokens planned, 400,000 by the server: refused, split
            .maxConcurrentRequests(2) // a window of 200 undelivered inputs: reading pauses
            .build();
    List<String> texts = new ArrayList<>();
    for (int i = 0; i < 300; i++) {
      // the last 25 repeat earlier ones: deduplicated while their leader is in flight, or sent
      texts.add(i < 275 ? "Document " + i + ": " + "word ".repeat(1990) : texts.get(i - 275 + 250));
    }
    List<Integer> positions = new ArrayList<>();

    EmbeddingRun run =
        embedder.stream(texts.iterator())
            .ordered(true)
            .to(
                items -> {
                  for (EmbeddedItem<String> e : items) {
                    positions.add(e.position());
                    assertThat(e.vector())
                        .as("vector of item %d", e.position())
                        .containsExactly(
                            EmbeddingEmulator.expectedVector(
                                "text-embedding-3-small", null, texts.get(e.position()), 1536));
                  }
                });

    assertThat(run.isComplete()).isTrue();
    assertThat(positions)
        .as("every item once, in input order")
        .containsExactlyElementsOf(IntStream.range(0, 300).boxed().toList());
    assertThat(emulator.stats().requests(400)).as("refused and split").isPositive();
    assertThat(emulator.stats().inputsEmbedded() + run.duplicates())
        .as("each input embedded once, or deduplicated onto one that was")
        .isEqualTo(300);
    long distinct = 0;
    long all = 0;
    for (int i = 0; i < 300; i++) {
      long t = EmbeddingEmulator.expectedTokens(texts.get(i), density);
      distinct += i < 275 ? t : 0;
      all += t;
    }
    assertThat(emulator.stats().tokensBilled())
        .as("each distinct text billed once, a repeat at most once more")
        .isBetween(distinct, all);
    assertThat(run.tokens())
        .as("the run's tokens are the server's")
        .isEqualTo(emulator.stats().tokensBilled());
    assertThat(run.requests()).isEqualTo(emulator.stats().requests());
    assertThat(run.retries()).as("a split is not a retry").isZero();
    assertThat(run.failedIndices()).isEmpty();
  }

  @Test
  void aSingleInputTooLongByTheProvidersCount_failsNamingItsIndex_theRestAreEmbedded() {
    double density = 1.5;
    emulator = EmbeddingEmulator.builder().tokenDensity(density).start();
    embedder =
        Embedder.builder()
            .model("embed-english-v3.0")
            .apiKey("co-emulator")
            .baseUrl(emulator.baseUrl())
            .inputType(InputType.SEARCH_DOCUMENT)
            .build();
    List<String> texts = new ArrayList<>();
    for (int i = 0; i < 20; i++) {
      // 400 cl100k tokens for input 13: under 512 here, 600 by the server
      texts.add("Passage " + i + ": " + "word ".repeat(i == 13 ? 396 : 60));
    }

    EmbeddingRun run = embedder.embed(texts);

    assertThat(run.failedIndices()).containsExactly(13);
    BatchOutcome failed = run.failedBatches().get(0);
    assertThat(run.failedBatches()).hasSize(1);
    assertThat(failed.inputIndices()).containsExactly(13);
    assertThat(failed.error().orElseThrow())
        .isInstanceOf(InvalidInputException.class)
        .hasMessageStartingWith("Input 13 is too long for cohere:embed-english-v3.0")
        .hasMessageContaining("exceeds the maximum of 512 tokens")
        .hasRootCauseInstanceOf(ProviderException.class);
    assertThat(((InvalidInputException) failed.error().orElseThrow()).index()).isEqualTo(13);
    assertThat(failed.retries()).as("a refusal of size is not retried").isZero();
    assertThat(emulator.stats().requests(400))
        .as("refused: the batch of 20, the half with input 13, input 13 alone")
        .isEqualTo(3);
    for (int i = 0; i < texts.size(); i++) {
      if (i != 13) {
        assertThat(run.vector(i))
            .as("vector of input %d", i)
            .containsExactly(
                EmbeddingEmulator.expectedVector(
                    "embed-english-v3.0", "search_document", texts.get(i)));
      }
    }
    long billed =
        IntStream.range(0, texts.size())
            .filter(i -> i != 13)
            .mapToLong(i -> EmbeddingEmulator.expectedTokens(texts.get(i), density))
            .sum();
    assertThat(emulator.stats().tokensBilled()).isEqualTo(billed);
    assertThat(run.tokens()).isEqualTo(billed);
    assertThat(emulator.stats().inputsEmbedded()).isEqualTo(19);
    assertThat(run.requests()).isEqualTo(emulator.stats().requests());
    assertThat(run.retries()).isZero();

    EmbeddingRun retried = embedder.retryFailed(run);
    assertThat(retried.failedIndices()).as("the retry sends only input 13").containsExactly(13);
    assertThat(retried.batches().stream().map(BatchOutcome::id).distinct().count())
        .as("batch ids stay unique after a split")
        .isEqualTo(retried.batches().size());
    assertThat(retried.tokens()).as("nothing billed twice").isEqualTo(billed);
  }

  private static void assertEveryVector(EmbeddingRun run, List<String> texts) {
    List<float[]> vectors = run.vectors();
    for (int i = 0; i < texts.size(); i++) {
      assertThat(vectors.get(i))
          .as("vector of input %d", i)
          .containsExactly(
              EmbeddingEmulator.expectedVector("text-embedding-3-small", null, texts.get(i)));
    }
  }
}
