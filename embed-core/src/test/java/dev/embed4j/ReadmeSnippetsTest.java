package dev.embed4j;

import static org.assertj.core.api.Assertions.assertThat;

import dev.embed4j.emulator.EmbeddingEmulator;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

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
  void batchApiMode(@TempDir Path dir) {
    try (EmbeddingEmulator emulator =
        EmbeddingEmulator.builder()
            .batchTimes(Duration.ofMinutes(1), Duration.ofMinutes(30), Duration.ofMinutes(1))
            .batchTimeScale(36_000)
            .start()) {
      List<String> chunks = EmulatorEndToEndTest.texts(100);
      Path stateDirectory = dir;
      Embedder embedder =
          Embedder.builder()
              .model("text-embedding-3-small")
              .apiKey("k")
              .baseUrl(emulator.baseUrl())
              .batchPollInterval(Duration.ofMillis(10))
              .batchMaxPollInterval(Duration.ofMillis(20))
              .build();
      // README: Batch API mode
      // embedder: your realtime Embedder for text-embedding-3-small
      Embedder backfill =
          embedder
              .newBuilder()
              .mode(RunMode.BATCH_API) // half price, results within 24 hours
              .batchStateDirectory(stateDirectory) // the same call resumes after a restart
              .build();
      EmbeddingRun run = backfill.embed(chunks); // blocks until the jobs have ended
      // end
      embedder.close();
      backfill.close();
      EmulatorEndToEndTest.assertEveryVector(run, "text-embedding-3-small", null, 1536);
      assertThat(run.cost()).isEqualByComparingTo(emulator.stats().batchDollarsBilled());
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
                  EmbedInput.image(png, "image/png"),
                  EmbedInput.of(
                      new EmbedInput.Text("Figure 3: throughput by batch size"),
                      EmbedInput.Image.of(png, "image/png")),
                  EmbedInput.text("a plain passage")));
      run.cost(); // text tokens at $0.12, image tokens at $0.47 per 1M
      // end
      assertThat(run.isComplete()).isTrue();
      assertThat(emulator.stats().imageTokensBilled()).isPositive();
      assertThat(run.tokens())
          .isEqualTo(emulator.stats().tokensBilled() + emulator.stats().imageTokensBilled());
    }
  }

  record Chunk(String id, String text) {}

  @Test
  void millionsOfTextsStreaming() {
    try (EmbeddingEmulator emulator = EmbeddingEmulator.builder().start();
        Embedder embedder = Embedder.builder().apiKey("k").baseUrl(emulator.baseUrl()).build()) {
      List<Chunk> all = new ArrayList<>();
      for (String t : EmulatorEndToEndTest.texts(300)) {
        all.add(new Chunk("doc-" + all.size(), t));
      }
      all.add(new Chunk("empty", " "));
      Iterator<Chunk> chunks = all.iterator();
      Map<String, float[]> store = new ConcurrentHashMap<>();
      List<String> failed = new ArrayList<>();
      // README: Millions of texts: streaming
      EmbeddingRun run =
          embedder.stream(chunks, Chunk::text) // an Iterator<Chunk> or a Stream<Chunk>
              .ordered(true) // in input order (a bounded reorder window)
              .to(
                  items -> { // never called concurrently: write without locks
                    for (EmbeddedItem<Chunk> e : items) {
                      if (e.isEmbedded()) {
                        store.put(e.item().id(), e.vector());
                      } else {
                        failed.add(
                            e.item().id()); // a failed batch or an invalid text; the rest goes on
                      }
                    }
                  });
      // end
      assertThat(store).hasSize(300);
      assertThat(failed).containsExactly("empty");
      assertThat(store.get("doc-7"))
          .containsExactly(
              EmbeddingEmulator.expectedVector(
                  "text-embedding-3-small", null, all.get(7).text(), 1536));
      assertThat(run.failedIndices()).containsExactly(300);
    }
  }
}
