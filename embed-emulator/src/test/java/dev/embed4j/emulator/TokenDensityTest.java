package dev.embed4j.emulator;

import static dev.embed4j.emulator.Http.cohere;
import static dev.embed4j.emulator.Http.cohereError;
import static dev.embed4j.emulator.Http.openAi;
import static dev.embed4j.emulator.Http.openAiError;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The emulator counting tokens more densely than cl100k, as Cohere's and Voyage's tokenizers do.
 */
class TokenDensityTest {
  private static final String DOC =
      ",\"input_type\":\"search_document\",\"embedding_types\":[\"float\"]";

  @Test
  void billsEveryTextAtItsDenserCount() throws IOException {
    List<String> texts = List.of("a short text", "another, somewhat longer text of a few words");
    try (EmbeddingEmulator emu = EmbeddingEmulator.builder().tokenDensity(2.5).start()) {
      Http.Reply r =
          openAi(
              emu,
              "{\"model\":\"text-embedding-3-small\",\"input\":"
                  + Http.JSON.writeValueAsString(texts)
                  + "}");

      long expected = 0;
      for (String t : texts) {
        int dense = EmbeddingEmulator.expectedTokens(t, 2.5);
        assertThat(dense).isEqualTo((int) Math.ceil(EmbeddingEmulator.expectedTokens(t) * 2.5));
        expected += dense;
      }
      assertThat(r.status()).isEqualTo(200);
      assertThat(r.json().get("usage").get("prompt_tokens").asLong()).isEqualTo(expected);
      assertThat(emu.stats().tokensBilled("text-embedding-3-small")).isEqualTo(expected);
    }
  }

  @Test
  void openAi_refusesARequestOverTheCapByItsOwnCount() throws IOException {
    String text = "word ".repeat(1999) + "end"; // 2000 cl100k tokens, 8000 at density 4
    int n = 40; // 80,000 cl100k tokens: within the cap by cl100k, 320,000 by the emulator
    try (EmbeddingEmulator emu = EmbeddingEmulator.builder().tokenDensity(4).start()) {
      Http.Reply r =
          openAi(
              emu, "{\"model\":\"text-embedding-3-small\",\"input\":" + Http.array(n, text) + "}");

      assertThat(r.status()).isEqualTo(400);
      assertThat(r.json())
          .isEqualTo(
              openAiError(
                  "Requested "
                      + n * EmbeddingEmulator.expectedTokens(text, 4)
                      + " tokens, max 300000 tokens per request",
                  "max_tokens_per_request",
                  null,
                  "max_tokens_per_request"));
      assertThat(emu.stats().tokensBilled()).isZero();
    }
  }

  @Test
  void openAi_refusesAnInputOverTheModelsContextByItsOwnCount() throws IOException {
    String text = "word ".repeat(4999) + "end"; // 5000 cl100k tokens: 10,000 at density 2
    try (EmbeddingEmulator emu = EmbeddingEmulator.builder().tokenDensity(2).start()) {
      Http.Reply r =
          openAi(
              emu,
              "{\"model\":\"text-embedding-3-small\",\"input\":[\"ok\"," + Http.quote(text) + "]}");

      assertThat(r.status()).isEqualTo(400);
      assertThat(r.json().get("error").get("message").asText())
          .startsWith("This model's maximum context length is 8192 tokens, however you requested")
          .contains("10000 tokens");
    }
  }

  @Test
  void cohere_refusesAnInputOverItsLimitUntruncated_andTruncatesAtTheDenserCount()
      throws IOException {
    String text = "word ".repeat(399) + "end"; // 400 cl100k tokens: 600 at density 1.5
    try (EmbeddingEmulator emu = EmbeddingEmulator.builder().tokenDensity(1.5).start()) {
      String texts = "[\"fine\"," + Http.quote(text) + "]";
      Http.Reply refused =
          cohere(
              emu,
              "{\"model\":\"embed-english-v3.0\",\"texts\":"
                  + texts
                  + DOC
                  + ",\"truncate\":\"NONE\"}");

      assertThat(refused.status()).isEqualTo(400);
      assertThat(refused.json())
          .isEqualTo(
              cohereError(
                  "invalid request: text at index 1 has 600 tokens, which exceeds the maximum of"
                      + " 512 tokens for embed-english-v3.0; shorten it or set truncate to START or"
                      + " END"));

      Http.Reply cut =
          cohere(
              emu,
              "{\"model\":\"embed-english-v3.0\",\"texts\":"
                  + texts
                  + DOC
                  + ",\"truncate\":\"END\"}");
      assertThat(cut.status()).isEqualTo(200);
      assertThat(cut.json().get("meta").get("billed_units").get("input_tokens").asLong())
          .isEqualTo(EmbeddingEmulator.expectedTokens("fine", 1.5) + 512);
    }
  }

  @Test
  void tokenDensity_outOfRange() {
    assertThatThrownBy(() -> EmbeddingEmulator.builder().tokenDensity(0.5))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("tokenDensity must be in 1..16: 0.5");
    assertThatThrownBy(() -> EmbeddingEmulator.builder().tokenDensity(Double.NaN))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
