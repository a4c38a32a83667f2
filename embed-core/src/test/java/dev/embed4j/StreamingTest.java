package dev.embed4j;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Flow;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import okhttp3.mockwebserver.Dispatcher;
import okhttp3.mockwebserver.MockResponse;
import okhttp3.mockwebserver.MockWebServer;
import okhttp3.mockwebserver.RecordedRequest;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Streams of items with ids through scripted replies: failed batches reported with their ids while
 * the stream goes on, ordered delivery, stops, invalid texts, failing iterators and sinks, and the
 * {@link Flow} adapter. Input "tN" gets a vector whose component 0 is N.
 */
class StreamingTest {
  private static final ObjectMapper JSON = new ObjectMapper();

  record Doc(String id, String text) {}

  private final MockWebServer server = new MockWebServer();
  private final AtomicInteger inputsSent = new AtomicInteger();
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
        .batchSize(4)
        .maxConcurrentRequests(4)
        .maxAttempts(1)
        .learnRateLimits(false)
        .initialBackoff(Duration.ofMillis(1))
        .maxBackoff(Duration.ofMillis(2));
  }

  /** Echoes markers; answers {@code failStatus} to any batch holding {@code failOn}. */
  private Dispatcher echo(String failOn, int failStatus, String code) {
    return new Dispatcher() {
      @Override
      public MockResponse dispatch(RecordedRequest request) {
        try {
          JsonNode input = JSON.readTree(request.getBody().readUtf8()).get("input");
          int n = input.size();
          int[] order = IntStream.range(0, n).toArray();
          float[] markers = new float[n];
          for (int i = 0; i < n; i++) {
            String text = input.get(i).asText();
            if (text.equals(failOn)) {
              return Replies.openAiError(failStatus, code, "scripted failure");
            }
            markers[i] = Float.parseFloat(text.substring(1));
          }
          inputsSent.addAndGet(n);
          return Replies.openAi(order, markers, 1536, n * 2, true);
        } catch (IOException | RuntimeException e) {
          return Replies.openAiError(500, "test_dispatcher", String.valueOf(e));
        }
      }
    };
  }

  private static List<Doc> docs(int n) {
    return IntStream.range(0, n).mapToObj(i -> new Doc("id-" + i, "t" + i)).toList();
  }

  @Test
  void aBatchAnswered400IsReportedWithItsIdsAndTheStreamGoesOn() {
    server.setDispatcher(echo("t9", 400, "invalid_request_error"));
    embedder = builder().build();
    List<EmbeddedItem<Doc>> got = new CopyOnWriteArrayList<>();

    EmbeddingRun run = embedder.stream(docs(40).iterator(), Doc::text).to(got::addAll);

    assertThat(got).hasSize(40);
    List<String> failed =
        got.stream().filter(e -> !e.isEmbedded()).map(e -> e.item().id()).sorted().toList();
    assertThat(failed).containsExactly("id-10", "id-11", "id-8", "id-9"); // batch 8-11
    assertThat(got)
        .filteredOn(EmbeddedItem::isEmbedded)
        .allSatisfy(e -> assertThat(e.vector()[0]).isEqualTo(e.position()));
    assertThat(got)
        .filteredOn(e -> !e.isEmbedded())
        .allSatisfy(
            e ->
                assertThat(e.error().orElseThrow())
                    .isInstanceOf(ProviderException.class)
                    .hasMessageContaining("scripted failure"));
    assertThat(run.isComplete()).isFalse();
    assertThat(run.failedIndices()).containsExactly(8, 9, 10, 11);
    assertThat(run.failedBatches()).hasSize(1);
    assertThat(run.size()).isEqualTo(40);
    assertThat(inputsSent).hasValue(36);
    assertThatThrownBy(run::vectors).isInstanceOf(UnsupportedOperationException.class);
  }

  @Test
  void orderedDeliveryIsInInputOrderEvenWhenLaterBatchesFinishFirst() {
    server.setDispatcher(
        new Dispatcher() {
          private final Dispatcher echo = echo(null, 0, null);

          @Override
          public MockResponse dispatch(RecordedRequest request) throws InterruptedException {
            MockResponse reply = echo.dispatch(request);
            // Early batches are slow: completion order is roughly the reverse of input order.
            long delay = Math.max(0, 200 - request.getSequenceNumber() * 10);
            return reply.setHeadersDelay(delay, TimeUnit.MILLISECONDS);
          }
        });
    embedder = builder().maxConcurrentRequests(8).build();
    List<Integer> positions = new ArrayList<>();
    List<Integer> callSizes = new ArrayList<>();

    EmbeddingRun run =
        embedder.stream(docs(200).iterator(), Doc::text)
            .ordered(true)
            .to(
                items -> {
                  callSizes.add(items.size());
                  for (EmbeddedItem<Doc> e : items) {
                    positions.add(e.position());
                    assertThat(e.item().id()).isEqualTo("id-" + e.position());
                    assertThat(e.vector()[0]).isEqualTo(e.position());
                  }
                });

    assertThat(positions).containsExactlyElementsOf(CacheAndDedupeTest.range(200));
    assertThat(run.isComplete()).isTrue();
    assertThat(callSizes).as("delivered in groups as they became ready").hasSizeLessThan(200);
  }

  @Test
  void aRejectedKeyStopsReadingAndReportsWhatWasReadAsNotEmbedded() {
    server.setDispatcher(echo("t0", 401, "invalid_api_key"));
    embedder = builder().maxConcurrentRequests(1).build();
    AtomicInteger read = new AtomicInteger();
    Iterator<Doc> endless =
        new Iterator<>() {
          @Override
          public boolean hasNext() {
            return true;
          }

          @Override
          public Doc next() {
            int i = read.getAndIncrement();
            return new Doc("id-" + i, "t" + i);
          }
        };
    List<EmbeddedItem<Doc>> got = new ArrayList<>();

    EmbeddingRun run = embedder.stream(endless, Doc::text).to(got::addAll);

    assertThat(run.stopReason()).contains(StopReason.KEY_REJECTED);
    assertThat(read.get()).as("reading stopped").isLessThan(100);
    assertThat(got).hasSize(read.get());
    assertThat(got).noneMatch(EmbeddedItem::isEmbedded);
    assertThat(got)
        .filteredOn(e -> e.position() < 4)
        .allSatisfy(
            e -> assertThat(e.error().orElseThrow()).isInstanceOf(AuthenticationException.class));
    assertThat(got)
        .filteredOn(e -> e.position() >= 4)
        .allSatisfy(
            e ->
                assertThat(e.error().orElseThrow().stopReason()).contains(StopReason.KEY_REJECTED));
    assertThat(server.getRequestCount()).isEqualTo(1);
  }

  @Test
  void anInvalidTextFailsAloneAndTheStreamGoesOn() {
    server.setDispatcher(echo(null, 0, null));
    embedder = builder().build();
    List<Doc> docs = new ArrayList<>(docs(10));
    docs.set(3, new Doc("blank", "  "));
    docs.set(6, new Doc("null", null));
    List<EmbeddedItem<Doc>> got = new ArrayList<>();

    EmbeddingRun run = embedder.stream(docs.iterator(), Doc::text).ordered(true).to(got::addAll);

    assertThat(got).hasSize(10);
    assertThat(got.get(3).error().orElseThrow())
        .isInstanceOfSatisfying(
            InvalidInputException.class, e -> assertThat(e.index()).isEqualTo(3))
        .hasMessageContaining("Input 3 is blank")
        .hasMessageContaining("the stream went on");
    assertThat(got.get(6).error().orElseThrow()).hasMessageContaining("Input 6 is null");
    assertThat(run.failedIndices()).containsExactly(3, 6);
    assertThat(inputsSent).hasValue(8);
  }

  @Test
  void anIteratorThatThrowsStopsTheRunAndIsThrownWithEverythingReadDelivered() {
    server.setDispatcher(echo(null, 0, null));
    embedder = builder().build();
    Iterator<Doc> ok = docs(10).iterator();
    Iterator<Doc> failing =
        new Iterator<>() {
          @Override
          public boolean hasNext() {
            return true;
          }

          @Override
          public Doc next() {
            if (ok.hasNext()) {
              return ok.next();
            }
            throw new UncheckedIOException(new IOException("disk read error"));
          }
        };
    List<EmbeddedItem<Doc>> got = new CopyOnWriteArrayList<>();

    assertThatThrownBy(() -> embedder.stream(failing, Doc::text).to(got::addAll))
        .isInstanceOf(Embed4jException.class)
        .hasMessageContaining("Reading input 10 of the stream failed")
        .hasRootCauseMessage("disk read error");
    assertThat(got).hasSize(10);
    assertThat(got).as("the requests under way finished").allMatch(EmbeddedItem::isEmbedded);
  }

  @Test
  void aSinkThatThrowsStopsTheRunAndIsThrown() {
    server.setDispatcher(echo(null, 0, null));
    embedder = builder().build();
    AtomicInteger calls = new AtomicInteger();

    assertThatThrownBy(
            () ->
                embedder.stream(docs(1000).iterator(), Doc::text)
                    .to(
                        items -> {
                          calls.incrementAndGet();
                          throw new IOException("output disk full");
                        }))
        .isInstanceOf(Embed4jException.class)
        .hasMessageContaining("sink")
        .hasRootCauseMessage("output disk full");
    assertThat(calls).as("never called again after it threw").hasValue(1);
    assertThat(inputsSent.get()).isLessThan(1000);
  }

  @Test
  void aJavaStreamIsClosedAtTheEnd() {
    server.setDispatcher(echo(null, 0, null));
    embedder = builder().build();
    AtomicBoolean closed = new AtomicBoolean();
    List<EmbeddedItem<Doc>> got = new ArrayList<>();

    EmbeddingRun run =
        embedder.stream(docs(9).stream().onClose(() -> closed.set(true)), Doc::text)
            .to(got::addAll);

    assertThat(closed).isTrue();
    assertThat(run.isComplete()).isTrue();
    assertThat(got).hasSize(9);
  }

  @Test
  void aStreamRunsOnce() {
    server.setDispatcher(echo(null, 0, null));
    embedder = builder().build();
    EmbeddingStream<String> stream = embedder.stream(List.of("t1").iterator());
    stream.to(items -> {});
    assertThatThrownBy(() -> stream.to(items -> {}))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("already started");
  }

  @Test
  void theFlowPublisherHonoursDemandAndCompletes() throws Exception {
    server.setDispatcher(echo(null, 0, null));
    embedder = builder().build();
    List<EmbeddedItem<String>> got = new CopyOnWriteArrayList<>();
    CountDownLatch firstFive = new CountDownLatch(5);
    CountDownLatch completed = new CountDownLatch(1);
    Flow.Subscription[] subscription = new Flow.Subscription[1];
    List<String> texts = IntStream.range(0, 300).mapToObj(i -> "t" + i).toList();

    embedder.stream(texts.iterator())
        .publisher()
        .subscribe(
            new Flow.Subscriber<>() {
              @Override
              public void onSubscribe(Flow.Subscription s) {
                subscription[0] = s;
                s.request(5);
              }

              @Override
              public void onNext(EmbeddedItem<String> item) {
                got.add(item);
                firstFive.countDown();
              }

              @Override
              public void onError(Throwable t) {}

              @Override
              public void onComplete() {
                completed.countDown();
              }
            });

    assertThat(firstFive.await(10, TimeUnit.SECONDS)).isTrue();
    Thread.sleep(200);
    assertThat(got).as("no more than requested").hasSize(5);
    assertThat(inputsSent.get()).as("reading waits for demand").isLessThan(300);
    subscription[0].request(Long.MAX_VALUE);
    assertThat(completed.await(10, TimeUnit.SECONDS)).isTrue();
    assertThat(got).hasSize(300);
    List<Integer> positions = new ArrayList<>(got.stream().map(EmbeddedItem::position).toList());
    Collections.sort(positions);
    assertThat(positions).containsExactlyElementsOf(CacheAndDedupeTest.range(300));
  }

  @Test
  void listRunsAndStreamsShareOneEngine_andAStreamedRunCannotBeRetried() {
    server.setDispatcher(echo(null, 0, null));
    embedder = builder().build();
    EmbeddingRun streamed = embedder.stream(Stream.of("t1", "t2"), s -> s).to(items -> {});
    assertThat(embedder.totalTokens()).isEqualTo(streamed.tokens()).isEqualTo(4);
    assertThatThrownBy(() -> embedder.retryFailed(streamed))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("streamed");
  }
}
