package dev.embed4j;

import static org.assertj.core.api.Assertions.assertThat;

import dev.embed4j.emulator.EmbeddingEmulator;
import dev.embed4j.emulator.Faults;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import okhttp3.mockwebserver.MockResponse;
import okhttp3.mockwebserver.MockWebServer;
import org.junit.jupiter.api.Test;

/** The key reaches the provider's base URL and nothing else: no log, message, toString or event. */
class KeyHygieneTest {
  private static final String KEY = "sk-proj-TOPSECRET-abcdef0123456789";

  @Test
  void theKeyAppearsInNoLogLineExceptionMessageToStringOrEvent() {
    List<Object> events = new CopyOnWriteArrayList<>();
    ByteArrayOutputStream captured = new ByteArrayOutputStream();
    PrintStream originalErr = System.err;
    PrintStream originalOut = System.out;
    PrintStream capture = new PrintStream(captured, true, StandardCharsets.UTF_8);
    StringBuilder messages = new StringBuilder();
    System.setErr(capture);
    System.setOut(capture);
    try (EmbeddingEmulator emulator =
        EmbeddingEmulator.builder()
            .apiKeys("another-key")
            .faults(Faults.builder().serverErrorRate(0.3).seed(1).build())
            .start()) {
      EmbedListener recorder =
          new EmbedListener() {
            @Override
            public void runStarted(String runId, CostEstimate plan) {
              events.add(new Events.RunStarted(runId, plan));
            }

            @Override
            public void batchFailed(BatchOutcome batch) {
              events.add(batch);
            }

            @Override
            public void retryScheduled(
                String runId,
                String model,
                int batchId,
                int attempt,
                Duration delay,
                Embed4jException reason) {
              events.add(new Events.RetryScheduled(runId, model, batchId, attempt, delay, reason));
            }

            @Override
            public void runFinished(EmbeddingRun run) {
              events.add(run);
            }
          };
      // A rejected key (401) and server faults, with progress logging on.
      try (Embedder embedder =
          Embedder.builder()
              .apiKey(KEY)
              .baseUrl(emulator.baseUrl())
              .showProgress(true)
              .batchSize(5)
              .listener(recorder)
              .build()) {
        EmbeddingRun run = embedder.embed(EmulatorEndToEndTest.texts(40));
        messages.append(embedder).append('\n');
        for (BatchOutcome b : run.batches()) {
          Throwable t = b.error().orElse(null);
          while (t != null) {
            messages.append(t).append('\n');
            t = t.getCause();
          }
        }
        try {
          run.vectors();
        } catch (IncompleteRunException e) {
          messages.append(e.getMessage());
        }
      }
      try {
        Embedder.builder().apiKey(KEY).baseUrl("http://example.com").build();
      } catch (IllegalStateException e) {
        messages.append(e.getMessage());
      }
    } finally {
      System.setErr(originalErr);
      System.setOut(originalOut);
    }
    String log = captured.toString(StandardCharsets.UTF_8);
    assertThat(log).as("progress and failures were logged").contains("Embedded 0 texts");
    assertThat(messages).contains("HTTP 401");
    assertThat(log).doesNotContain(KEY).doesNotContain("TOPSECRET");
    assertThat(messages.toString()).doesNotContain("TOPSECRET");
    assertThat(events)
        .isNotEmpty()
        .allSatisfy(e -> assertThat(String.valueOf(e)).doesNotContain("TOPSECRET"));
  }

  @Test
  void aRedirectIsNotFollowedSoTheKeyNeverReachesAnotherHost() throws Exception {
    try (MockWebServer provider = new MockWebServer();
        MockWebServer elsewhere = new MockWebServer()) {
      elsewhere.start();
      provider.enqueue(
          new MockResponse().setResponseCode(307).setHeader("Location", elsewhere.url("/steal")));
      try (Embedder embedder =
          Embedder.builder()
              .apiKey(KEY)
              .baseUrl(provider.url("/").toString())
              .initialBackoff(Duration.ofMillis(1))
              .maxBackoff(Duration.ofMillis(1))
              .build()) {
        EmbeddingRun run = embedder.embed(List.of("x"));
        assertThat(run.isComplete()).isFalse();
      }
      assertThat(elsewhere.getRequestCount()).isZero();
    }
  }
}
