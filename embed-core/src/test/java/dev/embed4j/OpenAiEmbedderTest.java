package dev.embed4j;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.math.BigDecimal;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;
import okhttp3.mockwebserver.MockResponse;
import okhttp3.mockwebserver.MockWebServer;
import okhttp3.mockwebserver.RecordedRequest;
import okhttp3.mockwebserver.SocketPolicy;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The OpenAI path against scripted replies: wire format, decoding, placement, retries, errors and
 * cost.
 */
class OpenAiEmbedderTest {
  private static final String KEY = "sk-test-SECRET-0123456789";
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
        .apiKey(KEY)
        .baseUrl(server.url("/").toString())
        .initialBackoff(Duration.ofMillis(1))
        .maxBackoff(Duration.ofMillis(5))
        .learnRateLimits(false)
        .maxConcurrentRequests(1)
        .requestTimeout(Duration.ofSeconds(10));
  }

  private JsonNode body(RecordedRequest request) throws IOException {
    return JSON.readTree(request.getBody().readUtf8());
  }

  @Test
  void sendsTheDocumentedRequestAndDecodesBase64() throws Exception {
    server.enqueue(Replies.openAiInOrder(3, 10, 1536, 12));
    embedder = builder().build();

    EmbeddingRun run = embedder.embed(List.of("alpha", "beta", "gamma"));

    RecordedRequest request = server.takeRequest();
    assertThat(request.getMethod()).isEqualTo("POST");
    assertThat(request.getPath()).isEqualTo("/v1/embeddings");
    assertThat(request.getHeader("Authorization")).isEqualTo("Bearer " + KEY);
    assertThat(request.getHeader("Content-Type")).startsWith("application/json");
    JsonNode body = body(request);
    assertThat(body.get("model").asText()).isEqualTo("text-embedding-3-small");
    assertThat(body.get("input")).hasSize(3);
    assertThat(body.get("input").get(1).asText()).isEqualTo("beta");
    assertThat(body.get("encoding_format").asText()).isEqualTo("base64");
    assertThat(body.has("dimensions")).as("native dimensions are not sent").isFalse();

    List<float[]> vectors = run.vectors();
    assertThat(vectors).hasSize(3);
    assertThat(vectors.get(0)).containsExactly(Replies.vector(10, 1536));
    assertThat(vectors.get(2)[0]).isEqualTo(12f);
    assertThat(run.tokens()).isEqualTo(12);
  }

  @Test
  void acceptsFloatArraysFromServersThatIgnoreBase64() {
    server.enqueue(Replies.openAi(new int[] {0, 1}, new float[] {1.5f, -2.25f}, 1536, 4, false));
    embedder = builder().build();

    List<float[]> vectors = embedder.embed(List.of("a", "b")).vectors();

    assertThat(vectors.get(0)).containsExactly(Replies.vector(1.5f, 1536));
    assertThat(vectors.get(1)[0]).isEqualTo(-2.25f);
  }

  @Test
  void placesVectorsByIndexWhenTheServerAnswersOutOfOrder() {
    server.enqueue(Replies.openAi(new int[] {2, 0, 1}, new float[] {102, 100, 101}, 1536, 6, true));
    embedder = builder().build();

    List<float[]> vectors = embedder.embed(List.of("zero", "one", "two")).vectors();

    assertThat(vectors.get(0)[0]).isEqualTo(100f);
    assertThat(vectors.get(1)[0]).isEqualTo(101f);
    assertThat(vectors.get(2)[0]).isEqualTo(102f);
  }

  @Test
  void sendsReducedDimensionsAndChecksTheReply() throws Exception {
    server.enqueue(Replies.openAiInOrder(1, 1, 256, 2));
    embedder = builder().dimensions(256).build();

    EmbeddingRun run = embedder.embed(List.of("short"));

    assertThat(body(server.takeRequest()).get("dimensions").asInt()).isEqualTo(256);
    assertThat(run.vectors().get(0)).hasSize(256);
    assertThat(run.dimensions()).isEqualTo(256);
  }

  @Test
  void aDuplicateIndexFailsTheBatchInsteadOfShiftingVectors() {
    embedder = builder().maxAttempts(2).build();
    server.enqueue(Replies.openAi(new int[] {0, 0}, new float[] {1, 2}, 1536, 4, true));
    server.enqueue(Replies.openAi(new int[] {1, 1}, new float[] {1, 2}, 1536, 4, true));

    EmbeddingRun run = embedder.embed(List.of("a", "b"));

    assertThat(run.isComplete()).isFalse();
    assertThat(run.failedIndices()).containsExactly(0, 1);
    assertThat(server.getRequestCount()).as("an unusable reply is retried").isEqualTo(2);
    assertThat(run.batches().get(0).error().orElseThrow()).hasMessageContaining("appears twice");
    assertThat(run.tokens()).as("nothing usable, nothing counted").isZero();
    assertThatThrownBy(run::vectors)
        .isInstanceOf(IncompleteRunException.class)
        .hasMessageContaining("batch 0 (inputs 0-1, 2 attempts)");
  }

  @Test
  void aReplyWithTooFewEmbeddingsIsRetried() {
    embedder = builder().build();
    server.enqueue(Replies.openAi(new int[] {0}, new float[] {1}, 1536, 4, true));
    server.enqueue(Replies.openAiInOrder(2, 7, 1536, 4));

    EmbeddingRun run = embedder.embed(List.of("a", "b"));

    assertThat(run.vectors().get(1)[0]).isEqualTo(8f);
    assertThat(run.retries()).isEqualTo(1);
    assertThat(run.batches().get(0).attempts()).isEqualTo(2);
  }

  @Test
  void retriesA429AfterTheServersRetryAfterMs() throws Exception {
    server.enqueue(
        Replies.openAiError(429, "rate_limit_exceeded", "Rate limit reached for requests")
            .setHeader("retry-after-ms", "20"));
    server.enqueue(Replies.openAiInOrder(1, 5, 1536, 3));
    List<Events.RetryScheduled> retries = new ArrayList<>();
    List<Events.RateLimitWait> waits = new ArrayList<>();
    embedder =
        builder()
            .initialBackoff(Duration.ofSeconds(20))
            .maxBackoff(Duration.ofSeconds(30))
            .listener(
                new EmbedListener() {
                  @Override
                  public void retryScheduled(
                      String runId,
                      String model,
                      int batchId,
                      int attempt,
                      Duration delay,
                      Embed4jException reason) {
                    retries.add(
                        new Events.RetryScheduled(runId, model, batchId, attempt, delay, reason));
                  }

                  @Override
                  public void rateLimitWait(
                      String runId, String model, Duration delay, boolean serverRejected) {
                    waits.add(new Events.RateLimitWait(runId, model, delay, serverRejected));
                  }
                })
            .build();

    EmbeddingRun run = embedder.embed(List.of("x"));

    assertThat(run.vectors().get(0)[0]).isEqualTo(5f);
    assertThat(server.getRequestCount()).isEqualTo(2);
    assertThat(run.rateLimited()).isEqualTo(1);
    assertThat(run.tokens()).as("only the successful attempt is billed").isEqualTo(3);
    assertThat(retries)
        .singleElement()
        .satisfies(
            r -> {
              assertThat(r.delay())
                  .as("the server's retry-after-ms wins over the 20 s back-off")
                  .isEqualTo(Duration.ofMillis(20));
              assertThat(r.reason()).isInstanceOf(RateLimitException.class);
            });
    assertThat(waits).singleElement().satisfies(w -> assertThat(w.serverRejected()).isTrue());
  }

  @Test
  void retriesA503ThenSucceeds() {
    server.enqueue(Replies.openAiError(503, "server_error", "overloaded"));
    server.enqueue(Replies.openAiInOrder(1, 1, 1536, 2));
    embedder = builder().build();

    EmbeddingRun run = embedder.embed(List.of("x"));

    assertThat(run.isComplete()).isTrue();
    assertThat(server.getRequestCount()).isEqualTo(2);
  }

  @Test
  void retriesAConnectionDroppedBeforeTheReply() {
    server.enqueue(new MockResponse().setSocketPolicy(SocketPolicy.DISCONNECT_AFTER_REQUEST));
    server.enqueue(Replies.openAiInOrder(1, 1, 1536, 2));
    embedder = builder().build();

    EmbeddingRun run = embedder.embed(List.of("x"));

    assertThat(run.isComplete()).isTrue();
    assertThat(run.retries()).isEqualTo(1);
  }

  @Test
  void retriesAfterARequestTimeout() {
    server.enqueue(new MockResponse().setSocketPolicy(SocketPolicy.NO_RESPONSE));
    server.enqueue(Replies.openAiInOrder(1, 1, 1536, 2));
    embedder = builder().requestTimeout(Duration.ofMillis(300)).build();

    EmbeddingRun run = embedder.embed(List.of("x"));

    assertThat(run.isComplete()).isTrue();
    assertThat(server.getRequestCount()).isEqualTo(2);
  }

  @Test
  void aMalformedBodyIsRetried() {
    server.enqueue(Replies.json(200, "{\"data\":[{\"index\":0,\"embedding\":[0.1, 0.2"));
    server.enqueue(Replies.openAiInOrder(1, 1, 1536, 2));
    embedder = builder().build();

    assertThat(embedder.embed(List.of("x")).isComplete()).isTrue();
    assertThat(server.getRequestCount()).isEqualTo(2);
  }

  @Test
  void aReplyCutShortOfItsContentLengthIsRetried() {
    server.enqueue(
        Replies.openAiInOrder(64, 1, 1536, 64)
            .setSocketPolicy(SocketPolicy.DISCONNECT_DURING_RESPONSE_BODY));
    server.enqueue(Replies.openAiInOrder(64, 1, 1536, 64));
    embedder = builder().build();
    List<String> texts = IntStream.range(0, 64).mapToObj(i -> "text " + i).toList();

    EmbeddingRun run = embedder.embed(texts);

    assertThat(run.isComplete()).isTrue();
    assertThat(server.getRequestCount()).isEqualTo(2);
    assertThat(run.vectors().get(63)).containsExactly(Replies.vector(64, 1536));
  }

  @Test
  void aChunkedReplyWithoutContentLengthDecodesAlike() {
    MockResponse whole = Replies.openAiInOrder(64, 1, 1536, 64);
    server.enqueue(
        new MockResponse()
            .setHeader("Content-Type", "application/json")
            .setChunkedBody(whole.getBody(), 5000));
    embedder = builder().build();
    List<String> texts = IntStream.range(0, 64).mapToObj(i -> "text " + i).toList();

    List<float[]> vectors = embedder.embed(texts).vectors();

    for (int i = 0; i < 64; i++) {
      assertThat(vectors.get(i)).containsExactly(Replies.vector(i + 1, 1536));
    }
  }

  @Test
  void anEmbeddingThatIsNotBase64FailsTheBatch() {
    embedder = builder().maxAttempts(2).build();
    String bad =
        "{\"data\":[{\"index\":0,\"embedding\":\"***not base64***\"}],\"usage\":{\"prompt_tokens\":1}}";
    server.enqueue(Replies.json(200, bad));
    server.enqueue(Replies.json(200, bad));

    EmbeddingRun run = embedder.embed(List.of("x"));

    assertThat(run.isComplete()).isFalse();
    assertThat(server.getRequestCount()).isEqualTo(2);
    assertThat(run.batches().get(0).error().orElseThrow()).hasMessageContaining("not valid base64");
  }

  @Test
  void doesNotRetryA400() {
    server.enqueue(Replies.openAiError(400, "invalid_value", "'$.input' is invalid"));
    embedder = builder().build();

    EmbeddingRun run = embedder.embed(List.of("x"));

    assertThat(server.getRequestCount()).isEqualTo(1);
    ProviderException error = (ProviderException) run.batches().get(0).error().orElseThrow();
    assertThat(error.statusCode()).isEqualTo(400);
    assertThat(error.isRetryable()).isFalse();
    assertThat(error).hasMessageContaining("'$.input' is invalid");
  }

  @Test
  void a401StopsTheWholeRunWithoutSendingTheOtherBatches() {
    server.enqueue(
        Replies.openAiError(401, "invalid_api_key", "Incorrect API key provided: sk-te*****6789"));
    embedder = builder().batchSize(1).build();

    EmbeddingRun run = embedder.embed(List.of("a", "b", "c", "d"));

    assertThat(server.getRequestCount()).isEqualTo(1);
    assertThat(run.failedIndices()).containsExactly(0, 1, 2, 3);
    assertThat(run.batches().get(0).error().orElseThrow())
        .isInstanceOf(AuthenticationException.class);
    assertThat(run.batches().get(3).error().orElseThrow())
        .hasMessageContaining("stopped after batch 0 failed");
    assertThatThrownBy(run::vectors).hasMessageNotContaining(KEY);
  }

  @Test
  void insufficientQuotaIsNotRetried() {
    server.enqueue(
        Replies.openAiError(429, "insufficient_quota", "You exceeded your current quota"));
    embedder = builder().build();

    EmbeddingRun run = embedder.embed(List.of("x"));

    assertThat(server.getRequestCount()).isEqualTo(1);
    ProviderException error = (ProviderException) run.batches().get(0).error().orElseThrow();
    assertThat(error.isRetryable()).isFalse();
    assertThat(error.errorCode()).contains("insufficient_quota");
  }

  @Test
  void aFailedBatchLeavesTheOthersIntact() {
    embedder = builder().batchSize(2).maxAttempts(1).build();
    server.enqueue(Replies.openAiInOrder(2, 0, 1536, 4));
    server.enqueue(Replies.openAiError(500, "server_error", "boom"));
    server.enqueue(Replies.openAiInOrder(2, 4, 1536, 6));

    EmbeddingRun run = embedder.embed(List.of("t0", "t1", "t2", "t3", "t4", "t5"));

    assertThat(run.isComplete()).isFalse();
    assertThat(run.failedIndices()).containsExactly(2, 3);
    assertThat(run.vector(0)[0]).isEqualTo(0f);
    assertThat(run.vector(5)[0]).isEqualTo(5f);
    assertThat(run.isEmbedded(2)).isFalse();
    assertThatThrownBy(() -> run.vector(2))
        .isInstanceOf(Embed4jException.class)
        .hasMessageContaining("batch 1");
    assertThat(run.tokens()).isEqualTo(10);
    assertThat(run.cost())
        .isEqualByComparingTo(
            new BigDecimal("0.02").multiply(BigDecimal.TEN).divide(BigDecimal.valueOf(1_000_000)));
    IncompleteRunException e =
        org.junit.jupiter.api.Assertions.assertThrows(IncompleteRunException.class, run::vectors);
    assertThat(e.getMessage()).contains("1 of 3 batches (2 of 6 texts)", "batch 1 (inputs 2-3");
    assertThat(e.run()).isSameAs(run);
  }

  @Test
  void retryFailedEmbedsOnlyTheFailedTextsAndMergesTheRun() throws Exception {
    embedder = builder().batchSize(2).maxAttempts(1).build();
    server.enqueue(Replies.openAiInOrder(2, 0, 1536, 4));
    server.enqueue(Replies.openAiError(500, "server_error", "boom"));
    EmbeddingRun first = embedder.embed(List.of("t0", "t1", "t2", "t3"));
    server.takeRequest();
    server.takeRequest();

    server.enqueue(Replies.openAiInOrder(2, 2, 1536, 5));
    EmbeddingRun second = embedder.retryFailed(first);

    assertThat(body(server.takeRequest()).get("input").toString()).isEqualTo("[\"t2\",\"t3\"]");
    assertThat(second.isComplete()).isTrue();
    assertThat(second.vectors()).extracting(v -> v[0]).containsExactly(0f, 1f, 2f, 3f);
    assertThat(second.tokens()).isEqualTo(9);
    assertThat(embedder.totalTokens())
        .as("per-embedder totals count each billed batch once")
        .isEqualTo(9);
  }

  @Test
  void costIsSummedFromTheServersUsage() {
    embedder = builder().batchSize(1).build();
    server.enqueue(Replies.openAiInOrder(1, 0, 1536, 1_000_000));
    server.enqueue(Replies.openAiInOrder(1, 1, 1536, 500_000));

    EmbeddingRun run = embedder.embed(List.of("a", "b"));

    assertThat(run.tokens()).isEqualTo(1_500_000);
    assertThat(run.cost()).isEqualByComparingTo("0.03");
    assertThat(run.batches())
        .extracting(BatchOutcome::cost)
        .usingElementComparator(BigDecimal::compareTo)
        .containsExactly(new BigDecimal("0.02"), new BigDecimal("0.01"));
    assertThat(embedder.totalCost()).isEqualByComparingTo("0.03");
    assertThat(run.summary())
        .startsWith("Embedded 2 texts in 2 batches | 1500000 tokens | $0.030000");
  }

  @Test
  void acceptsABaseUrlEndingInV1LikeOpenAiBaseUrl() throws Exception {
    server.enqueue(Replies.openAiInOrder(1, 0, 1536, 1));
    embedder = builder().baseUrl(server.url("/v1").toString()).build();

    embedder.embed(List.of("x"));

    assertThat(server.takeRequest(1, TimeUnit.SECONDS).getPath()).isEqualTo("/v1/embeddings");
  }
}
