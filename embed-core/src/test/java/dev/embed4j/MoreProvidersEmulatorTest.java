package dev.embed4j;

import static org.assertj.core.api.Assertions.assertThat;

import dev.embed4j.emulator.EmbeddingEmulator;
import java.time.Duration;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Each provider added after OpenAI and Cohere against its emulated API: every vector checked (so
 * the input type, the dimensions and the order reached the server as meant), tokens and cost as
 * billed; a rejected key stops the run with an {@link AuthenticationException}; an input the server
 * rejects fails its batch with the provider's own message, once, without a retry.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class MoreProvidersEmulatorTest {
  private EmbeddingEmulator emulator;

  @BeforeAll
  void start() {
    emulator = EmbeddingEmulator.builder().apiKeys("good-key").start();
  }

  @AfterAll
  void stop() {
    emulator.close();
  }

  private Embedder.Builder builder(String model, String key) {
    String provider = model.substring(0, model.indexOf(':'));
    return Embedder.builder()
        .model(model)
        .apiKey(key)
        .baseUrl(emulator.baseUrl(provider))
        .batchSize(7)
        .maxConcurrentRequests(4)
        .learnRateLimits(false)
        .initialBackoff(Duration.ofMillis(1))
        .maxBackoff(Duration.ofMillis(5));
  }

  static List<String> texts(int n) {
    return IntStream.range(0, n).mapToObj(i -> "Passage " + i + " on subject " + i % 7).toList();
  }

  /** model, dimensions (0: native), input type (or NONE), the wire input type the vector is of. */
  @ParameterizedTest(name = "{0} {1} {2}")
  @CsvSource({
    "azure:text-embedding-3-small, 0, NONE, ",
    "azure:text-embedding-3-large, 256, NONE, ",
    "voyage:voyage-4, 0, NONE, document",
    "voyage:voyage-3.5-lite, 512, SEARCH_QUERY, query",
    "voyage:voyage-4-large, 2048, CLUSTERING, ",
    "mistral:mistral-embed, 0, NONE, ",
    "mistral:codestral-embed, 768, NONE, ",
    "jina:jina-embeddings-v3, 0, NONE, retrieval.passage",
    "jina:jina-embeddings-v3, 64, SEARCH_QUERY, retrieval.query",
    "jina:jina-embeddings-v3, 0, CLUSTERING, separation",
    "gemini:gemini-embedding-001, 0, NONE, RETRIEVAL_DOCUMENT",
    "gemini:gemini-embedding-001, 768, CLASSIFICATION, CLASSIFICATION",
    "ollama:nomic-embed-text, 0, NONE, ",
    "tei:BAAI/bge-base-en-v1.5, 0, NONE, "
  })
  void everyVectorIsTheOneTheServerComputedForItsText(
      String model, int dims, String type, String wireType) {
    Embedder.Builder b = builder(model, "good-key");
    if (dims > 0) {
      b.dimensions(dims);
    }
    if (!type.equals("NONE")) {
      b.inputType(InputType.valueOf(type));
    }
    long before = emulator.stats().tokensBilled();
    List<String> texts = texts(40);
    try (Embedder embedder = b.build()) {
      EmbeddingRun run = embedder.embed(texts);

      String name = model.substring(model.indexOf(':') + 1);
      int size = dims > 0 ? dims : embedder.model().dimensions();
      List<float[]> vectors = run.vectors();
      assertThat(vectors).hasSize(texts.size());
      for (int i = 0; i < texts.size(); i++) {
        assertThat(vectors.get(i))
            .as("vector of input %d", i)
            .containsExactly(EmbeddingEmulator.expectedVector(name, wireType, texts.get(i), size));
      }
      long expected = texts.stream().mapToLong(EmbeddingEmulator::expectedTokens).sum();
      assertThat(run.tokens()).isEqualTo(expected);
      assertThat(emulator.stats().tokensBilled() - before).isEqualTo(expected);
      assertThat(run.cost()).isEqualByComparingTo(embedder.model().cost(expected));
    }
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource({
    "azure:text-embedding-3-small",
    "voyage:voyage-4",
    "mistral:mistral-embed",
    "jina:jina-embeddings-v3",
    "gemini:gemini-embedding-001",
    "ollama:nomic-embed-text",
    "tei:BAAI/bge-base-en-v1.5"
  })
  void aRejectedKeyStopsTheRunAsAnAuthenticationFailure(String model) {
    long requests = emulator.stats().requests();
    try (Embedder embedder = builder(model, "wrong-key").maxConcurrentRequests(1).build()) {
      EmbeddingRun run = embedder.embed(texts(20));

      assertThat(run.stopReason()).contains(StopReason.KEY_REJECTED);
      assertThat(run.batches().get(0).error().orElseThrow())
          .isInstanceOf(AuthenticationException.class)
          .hasMessageNotContaining("wrong-key");
      assertThat(emulator.stats().requests() - requests)
          .as("one rejected request, then nothing more sent")
          .isEqualTo(1);
    }
  }

  /**
   * The registry is told the model takes longer texts than the server does, so the text reaches the
   * server and its own bad-input answer comes back: a refusal of size, so the pair is split and
   * only the long input fails, naming its index, with the provider's words as its cause.
   */
  @ParameterizedTest(name = "{0}")
  @CsvSource({
    "azure:text-embedding-3-small, maximum context length",
    "voyage:voyage-4, over the context length of 32000",
    "mistral:mistral-embed, 'tokens, more than the'",
    "jina:jina-embeddings-v3, exceeds the maximum of",
    "ollama:nomic-embed-text, exceeds the context length",
    "gemini:gemini-embedding-001, exceeds the maximum number of tokens allowed (2048)",
    "tei:BAAI/bge-base-en-v1.5, must have less than 512 tokens"
  })
  void anInputTheServerRejectsFailsAloneWithTheProvidersMessageAndNoRetry(
      String model, String message) {
    ModelSpec spec = ModelRegistry.defaults().get(model);
    ModelSpec looser =
        spec.toBuilder().maxTokensPerInput(40_000).maxTokensPerRequest(40_000).build();
    String longText = "word ".repeat(spec.maxTokensPerInput() + 10);
    long requests = emulator.stats().requests();
    try (Embedder embedder =
        builder(model, "good-key").model(looser).maxConcurrentRequests(1).build()) {
      EmbeddingRun run = embedder.embed(List.of("short", longText));

      assertThat(run.isEmbedded(0))
          .as("split off the refused batch, the short text passes")
          .isTrue();
      assertThat(run.failedIndices()).containsExactly(1);
      BatchOutcome batch = run.failedBatches().get(0);
      assertThat(batch.retries()).as("a refusal of size is not retried").isZero();
      assertThat(batch.error().orElseThrow())
          .isInstanceOf(InvalidInputException.class)
          .hasMessageStartingWith("Input 1 is too long for " + spec.id())
          .hasMessageContaining(message)
          .hasCauseInstanceOf(ProviderException.class);
      assertThat(emulator.stats().requests() - requests)
          .as("the pair refused, then each alone")
          .isEqualTo(3);
    }
  }
}
