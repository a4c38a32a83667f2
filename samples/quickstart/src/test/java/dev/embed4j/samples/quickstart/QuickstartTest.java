package dev.embed4j.samples.quickstart;

import static org.assertj.core.api.Assertions.assertThat;

import dev.embed4j.emulator.EmbeddingEmulator;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.junit.jupiter.api.Test;

class QuickstartTest {

  @Test
  void withoutAKeyItSaysWhichVariableToSet() {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    int code = Quickstart.run(name -> null, new PrintStream(out, true, StandardCharsets.UTF_8));
    assertThat(code).isEqualTo(2);
    assertThat(out.toString(StandardCharsets.UTF_8)).contains("Set OPENAI_API_KEY");
  }

  @Test
  void withAKeyItEmbedsTheSentencesAndPrintsTokensAndCost() {
    try (EmbeddingEmulator emulator = EmbeddingEmulator.builder().start()) {
      Map<String, String> env =
          Map.of("OPENAI_API_KEY", "sk-sample", "OPENAI_BASE_URL", emulator.baseUrl());
      ByteArrayOutputStream out = new ByteArrayOutputStream();

      int code = Quickstart.run(env::get, new PrintStream(out, true, StandardCharsets.UTF_8));

      long tokens =
          Quickstart.SENTENCES.stream().mapToLong(EmbeddingEmulator::expectedTokens).sum();
      assertThat(code).isZero();
      assertThat(out.toString(StandardCharsets.UTF_8))
          .contains("3 vectors of 1536 dimensions from openai:text-embedding-3-small")
          .contains(tokens + " tokens, $0.00000")
          .contains("Embedded 3 texts in 1 batch");
    }
  }

  @Test
  void withOnlyACohereKeyItEmbedsWithCohere() {
    try (EmbeddingEmulator emulator = EmbeddingEmulator.builder().start()) {
      Map<String, String> env =
          Map.of("COHERE_API_KEY", "co-sample", "COHERE_BASE_URL", emulator.baseUrl());
      ByteArrayOutputStream out = new ByteArrayOutputStream();

      int code = Quickstart.run(env::get, new PrintStream(out, true, StandardCharsets.UTF_8));

      assertThat(code).isZero();
      assertThat(out.toString(StandardCharsets.UTF_8))
          .contains("3 vectors of 1024 dimensions from cohere:embed-english-v3.0")
          .contains("Embedded 3 texts in 1 batch");
    }
  }

  @Test
  void aKeyInTheEmbed4jPropertyIsFoundToo() {
    try (EmbeddingEmulator emulator = EmbeddingEmulator.builder().start()) {
      Map<String, String> env =
          Map.of(
              "embed4j.openai.api-key", "sk-sample", "embed4j.openai.base-url", emulator.baseUrl());
      ByteArrayOutputStream out = new ByteArrayOutputStream();

      int code = Quickstart.run(env::get, new PrintStream(out, true, StandardCharsets.UTF_8));

      assertThat(code).isZero();
      assertThat(out.toString(StandardCharsets.UTF_8))
          .contains("3 vectors of 1536 dimensions from openai:text-embedding-3-small");
    }
  }
}
