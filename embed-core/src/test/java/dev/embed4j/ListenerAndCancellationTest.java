package dev.embed4j;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import okhttp3.mockwebserver.Dispatcher;
import okhttp3.mockwebserver.MockResponse;
import okhttp3.mockwebserver.MockWebServer;
import okhttp3.mockwebserver.RecordedRequest;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Listener events in order, a broken listener, cancellation, run deadline, budget and close. */
class ListenerAndCancellationTest {
  private static final ObjectMapper JSON = new ObjectMapper();

  private final MockWebServer server = new MockWebServer();
  private Embedder embedder;

  @BeforeEach
  void start() throws IOException {
    server.start();
  }

  @AfterEach
  void stop() throws IOException {
    if (embedder != null) {
      embedder.close();
    }
    server.shutdown();
  }

  private Embedder.Builder builder() {
    return Embedder.builder()
        .model("text-embedding-3-small")
        .apiKey("sk-test")
        .baseUrl(server.url("/").toString())
        .initialBackoff(Duration.ofMillis(1))
        .maxBackoff(Duration.ofMillis(2))
        .learnRateLimits(false)
        .requestTimeout(Duration.ofSeconds(10));
  }

  /** Answers each request with one vector per input; the marker of input "tN" is N. */
  private static Dispatcher echo(long delayMs) {
    return new Dispatcher() {
      @Override
      public MockResponse dispatch(RecordedRequest request) {
        try {
          JsonNode input = JSON.readTree(request.getBody().readUtf8()).get("input");
          int n = input.size();
          int first = Integer.parseInt(input.get(0).asText().substring(1));
          return Replies.openAiInOrder(n, first, 1536, n * 2)
              .setHeadersDelay(delayMs, TimeUnit.MILLISECONDS);
        } catch (IOException | RuntimeException e) {
          return Replies.openAiError(400, "test_dispatcher", String.valueOf(e));
        }
      }
    };
  }

  private static List<String> texts(int n) {
    return java.util.stream.IntStream.range(0, n).mapToObj(i -> "t" + i).toList();
  }

  @Test
  void listenersSeeEveryBatchAndOneRunFinished_andABrokenListenerBreaksNothing() {
    server.setDispatcher(echo(0));
    List<String> events = new CopyOnWriteArrayList<>();
    EmbedListener recorder =
        new EmbedListener() {
          @Override
          public void runStarted(String runId, CostEstimate plan) {
            events.add("started " + plan.texts() + " texts " + plan.batches() + " batches");
          }

          @Override
          public void batchSucceeded(BatchOutcome batch) {
            events.add("batch " + batch.id() + " " + batch.tokens());
          }

          @Override
          public void runFinished(EmbeddingRun run) {
            events.add("finished " + run.tokens());
          }
        };
    EmbedListener broken =
        new EmbedListener() {
          @Override
          public void batchSucceeded(BatchOutcome batch) {
            throw new IllegalStateException("listener bug");
          }
        };
    embedder =
        builder()
            .batchSize(10)
            .maxConcurrentRequests(4)
            .listener(broken)
            .listener(recorder)
            .build();

    EmbeddingRun run = embedder.embed(texts(35));

    assertThat(run.isComplete()).isTrue();
    assertThat(run.vectors())
        .extracting(v -> (int) v[0])
        .containsExactlyElementsOf(java.util.stream.IntStream.range(0, 35).boxed().toList());
    assertThat(events.get(0)).isEqualTo("started 35 texts 4 batches");
    assertThat(events.subList(1, 5))
        .containsExactlyInAnyOrder("batch 0 20", "batch 1 20", "batch 2 20", "batch 3 10");
    assertThat(events.get(5)).isEqualTo("finished 70");
  }

  @Test
  void cancellingTheFutureCancelsCallsUnderWayAndSendsNothingMore() throws Exception {
    CountDownLatch firstArrived = new CountDownLatch(1);
    server.setDispatcher(
        new Dispatcher() {
          @Override
          public MockResponse dispatch(RecordedRequest request) {
            firstArrived.countDown();
            return Replies.openAiInOrder(1, 0, 1536, 1).setHeadersDelay(3, TimeUnit.SECONDS);
          }
        });
    CompletableFuture<EmbeddingRun> finished = new CompletableFuture<>();
    embedder =
        builder()
            .batchSize(1)
            .maxConcurrentRequests(2)
            .listener(
                new EmbedListener() {
                  @Override
                  public void runFinished(EmbeddingRun run) {
                    finished.complete(run);
                  }
                })
            .build();

    CompletableFuture<EmbeddingRun> future = embedder.embedAsync(texts(10));
    assertThat(firstArrived.await(10, TimeUnit.SECONDS)).isTrue();
    assertThat(future.cancel(true)).isTrue();

    EmbeddingRun run = finished.get(10, TimeUnit.SECONDS);
    assertThat(future).isCancelled();
    assertThat(run.failedIndices()).hasSize(10);
    assertThat(run.batches().get(9).error().orElseThrow()).hasMessageContaining("was cancelled");
    assertThat(server.getRequestCount())
        .as("only calls already under way (at most 2 in flight) were sent")
        .isBetween(1, 2);
    org.assertj.core.api.Assertions.assertThatThrownBy(future::join)
        .isInstanceOf(CancellationException.class);
  }

  @Test
  void theRunTimeoutCancelsWhatIsNotDone() {
    server.setDispatcher(
        new Dispatcher() {
          @Override
          public MockResponse dispatch(RecordedRequest request) {
            return Replies.openAiInOrder(1, 0, 1536, 1).setHeadersDelay(3, TimeUnit.SECONDS);
          }
        });
    embedder = builder().runTimeout(Duration.ofMillis(300)).build();

    EmbeddingRun run = embedder.embed(texts(1));

    assertThat(run.isComplete()).isFalse();
    assertThat(run.batches().get(0).error().orElseThrow()).hasMessageContaining("runTimeout");
  }

  @Test
  void maxCostStopsSendingBeforeTheBudgetIsExceededAndSaysWhichInputsWereNotEmbedded() {
    server.setDispatcher(echo(0));
    // "tN" is 2 tokens; at $0.02/1M a batch of 10 is estimated at $0.0000004. Allow two batches.
    embedder =
        builder()
            .batchSize(10)
            .maxConcurrentRequests(1)
            .maxCost(new java.math.BigDecimal("0.0000009"))
            .build();

    EmbeddingRun run = embedder.embed(texts(40));

    assertThat(server.getRequestCount()).isEqualTo(2);
    assertThat(run.failedIndices()).hasSize(20).startsWith(20).endsWith(39);
    assertThat(run.failedBatches().get(0).error().orElseThrow())
        .hasMessageContaining("over its maxCost of $0.000001")
        .hasMessageContaining("Raise maxCost");
    assertThat(run.failedBatches()).allSatisfy(b -> assertThat(b.attempts()).isZero());
    assertThat(run.cost()).isLessThanOrEqualTo(new java.math.BigDecimal("0.0000009"));
  }

  @Test
  void closingTheEmbedderCancelsRunsAndRefusesNewOnes() throws Exception {
    server.setDispatcher(echo(3_000));
    embedder = builder().batchSize(1).build();
    CompletableFuture<EmbeddingRun> future = embedder.embedAsync(texts(3));
    Thread.sleep(100);

    embedder.close();

    EmbeddingRun run = future.get(10, TimeUnit.SECONDS);
    assertThat(run.isComplete()).isFalse();
    assertThat(run.failedBatches().get(0).error().orElseThrow()).hasMessageContaining("closed");
    org.assertj.core.api.Assertions.assertThatThrownBy(() -> embedder.embed(texts(1)))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("closed");
  }

  @Test
  void aDerivedEmbedderSharesConnectionsAndHasItsOwnSettings() {
    server.setDispatcher(echo(0));
    embedder = builder().build();
    try (Embedder reduced = embedder.newBuilder().dimensions(256).build()) {
      assertThat(reduced.dimensions()).isEqualTo(256);
      assertThat(reduced.model()).isEqualTo(embedder.model());
    }
    assertThat(embedder.embed(texts(2)).isComplete())
        .as("closing a derived embedder leaves the root usable")
        .isTrue();
  }

  @Test
  void aDerivedEmbedderForAnotherModelGetsThatModelsNativeDimensions() {
    embedder = builder().build();
    try (Embedder large = embedder.newBuilder().model("text-embedding-3-large").build();
        Embedder reduced = embedder.newBuilder().dimensions(256).build();
        Embedder reducedLarge = reduced.newBuilder().model("text-embedding-3-large").build()) {
      assertThat(large.dimensions()).isEqualTo(3072);
      assertThat(reducedLarge.dimensions()).as("explicit dimensions are kept").isEqualTo(256);
      assertThat(large.registry()).isSameAs(embedder.registry());
    }
  }
}
