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
}
