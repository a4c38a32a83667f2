package dev.embed4j;

import static org.assertj.core.api.Assertions.assertThat;

import dev.embed4j.emulator.EmbeddingEmulator;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The README's core snippets that are not in a sample, compiled and run against the emulator. */
class ReadmeSnippetsTest {

  @Test
  void whenABatchFails() {
    try (EmbeddingEmulator emulator = EmbeddingEmulator.builder().start();
        Embedder embedder =
            Embedder.builder()
                .apiKey("k")
                .baseUrl(emulator.baseUrl())
                .maxAttempts(1)
                .maxConcurrentRequests(1)
                .initialBackoff(Duration.ofMillis(1))
                .maxBackoff(Duration.ofMillis(1))
                .build()) {
      emulator.failNext(
          1, 500, "{\"error\":{\"message\":\"boom\",\"type\":\"server_error\",\"code\":null}}");
      List<String> texts = EmulatorEndToEndTest.texts(256);
      // README: When a batch fails
      EmbeddingRun run = embedder.embed(texts);
      if (!run.isComplete()) {
        run.failedIndices(); // e.g. [128, 129, ..., 191]
        run = embedder.retryFailed(run); // embeds only those, keeps the rest
      }
      // end
      assertThat(run.isComplete()).isTrue();
      EmulatorEndToEndTest.assertEveryVector(run, "text-embedding-3-small", null, 1536);
    }
  }

  @Test
  void images() {
    try (EmbeddingEmulator emulator = EmbeddingEmulator.builder().start();
        Embedder embedder =
            Embedder.builder()
                .model("embed-v4.0")
                .apiKey("k")
                .baseUrl(emulator.baseUrl())
                .inputType(InputType.SEARCH_DOCUMENT)
                .build()) {
      byte[] png = ImagesEndToEndTest.png(1);
      // README: Images
      // png: the bytes of a PNG file, e.g. Files.readAllBytes(path)
      EmbeddingRun run =
          embedder.embedInputs(
              List.of(
                  Input.image(png, "image/png"),
                  Input.of(
                      new Input.Text("Figure 3: throughput by batch size"),
                      Input.Image.of(png, "image/png")),
                  Input.text("a plain passage")));
      run.cost(); // text tokens at $0.12, image tokens at $0.47 per 1M
      // end
      assertThat(run.isComplete()).isTrue();
      assertThat(emulator.stats().imageTokensBilled()).isPositive();
      assertThat(run.tokens())
          .isEqualTo(emulator.stats().tokensBilled() + emulator.stats().imageTokensBilled());
    }
  }
}
