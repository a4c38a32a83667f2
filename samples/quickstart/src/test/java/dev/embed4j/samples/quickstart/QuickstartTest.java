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
      Map<String, String> env = Map.of("OPENAI_API_KEY", "sk-sample", "OPENAI_BASE_URL", emulator.baseUrl());
      ByteArrayOutputStream out = new ByteArrayOutputStream();

      int code = Quickstart.run(env::get, new PrintStream(out, true, StandardCharsets.UTF_8));

      long tokens = Quickstart.SENTENCES.stream().mapToLong(EmbeddingEmulator::expectedTokens).sum();
      assertThat(code).isZero();
      assertThat(out.toString(StandardCharsets.UTF_8))
          .contains("3 vectors of 1536 dimensions from openai:text-embedding-3-small")
          .contains(tokens + " tokens, $0.00000")
          .contains("Embedded 3 texts in 1 batch");
    }
  }
}
