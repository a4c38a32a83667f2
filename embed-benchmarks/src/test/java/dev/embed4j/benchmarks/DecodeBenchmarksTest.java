package dev.embed4j.benchmarks;

import static org.assertj.core.api.Assertions.assertThat;

import dev.embed4j.emulator.EmbeddingEmulator;
import dev.embed4j.spi.EmbeddingProvider;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The decode benchmarks measure what they say: the provider's path returns the emulator's vector
 * for every text, in order, with the billed tokens, and the baseline reads every vector.
 */
class DecodeBenchmarksTest {
  private static final int INPUTS = 100;

  @ParameterizedTest
  @EnumSource(OpenAiDecodeBenchmark.Encoding.class)
  void openAiProviderDecodesTheCannedReply(OpenAiDecodeBenchmark.Encoding encoding)
      throws Exception {
    OpenAiDecodeBenchmark benchmark = new OpenAiDecodeBenchmark();
    benchmark.inputs = INPUTS;
    benchmark.dimensions = 1536;
    benchmark.setup();
    OpenAiDecodeBenchmark.ProviderPath path = new OpenAiDecodeBenchmark.ProviderPath();
    path.encoding = encoding;
    path.setup(benchmark);
    try {
      EmbeddingProvider.Result result = benchmark.provider(path);

      assertVectors(result, "text-embedding-3-small", null, 1536);
      assertThat(result.limits().isKnown()).as("rate-limit headers read").isTrue();
      assertThat(benchmark.jacksonListDouble().data())
          .hasSize(INPUTS)
          .allSatisfy(e -> assertThat(e.embedding()).hasSize(1536));
    } finally {
      path.tearDown();
    }
  }

  @Test
  void cohereProviderDecodesTheCannedReply() throws Exception {
    CohereDecodeBenchmark benchmark = new CohereDecodeBenchmark();
    benchmark.inputs = INPUTS;
    benchmark.dimensions = 1024;
    benchmark.setup();
    try {
      assertVectors(benchmark.provider(), "embed-english-v3.0", "search_document", 1024);
      assertThat(benchmark.jacksonListDouble().embeddings().floats())
          .hasSize(INPUTS)
          .allSatisfy(v -> assertThat(v).hasSize(1024));
    } finally {
      benchmark.tearDown();
    }
  }

  private static void assertVectors(
      EmbeddingProvider.Result result, String model, String inputType, int dimensions) {
    List<String> texts = Texts.chunks(INPUTS);
    assertThat(result.vectors()).hasSize(INPUTS);
    for (int i = 0; i < INPUTS; i++) {
      assertThat(result.vectors().get(i))
          .as("vector %d", i)
          .containsExactly(
              EmbeddingEmulator.expectedVector(model, inputType, texts.get(i), dimensions));
    }
    assertThat(result.tokens())
        .isEqualTo(texts.stream().mapToLong(EmbeddingEmulator::expectedTokens).sum());
  }
}
