package dev.embed4j;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import okhttp3.mockwebserver.MockWebServer;
import okhttp3.mockwebserver.RecordedRequest;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** A refusal of size against scripted replies: the halves on the wire, and what is not split. */
class SplitReplyTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final List<String> TEXTS = List.of("t0", "t1", "t2", "t3", "t4");

  private final MockWebServer server = new MockWebServer();
  private Embedder embedder;

  @BeforeEach
  void start() throws IOException {
    server.start();
    embedder =
        Embedder.builder()
            .model("text-embedding-3-small")
            .apiKey("sk-test")
            .baseUrl(server.url("/").toString())
            .initialBackoff(Duration.ofMillis(1))
            .learnRateLimits(false)
            .maxConcurrentRequests(1)
            .build();
  }

  @AfterEach
  void stop() throws IOException {
    embedder.close();
    server.shutdown();
  }

  @Test
  void maxTokensPerRequest_sendsTheHalvesInOrder_andPlacesTheirVectors() throws Exception {
    server.enqueue(
        Replies.openAiError(
            400,
            "max_tokens_per_request",
            "Requested 310000 tokens, max 300000 tokens per request"));
    server.enqueue(Replies.openAiInOrder(3, 10f, 1536, 6));
    server.enqueue(Replies.openAiInOrder(2, 20f, 1536, 4));

    EmbeddingRun run = embedder.embed(TEXTS);

    assertThat(inputs(server.takeRequest(1, TimeUnit.SECONDS))).isEqualTo(TEXTS);
    assertThat(inputs(server.takeRequest(1, TimeUnit.SECONDS))).containsExactly("t0", "t1", "t2");
    assertThat(inputs(server.takeRequest(1, TimeUnit.SECONDS))).containsExactly("t3", "t4");
    assertThat(run.isComplete()).isTrue();
    float[] markers = {10, 11, 12, 20, 21};
    for (int i = 0; i < markers.length; i++) {
      assertThat(run.vector(i))
          .as("vector %d", i)
          .containsExactly(Replies.vector(markers[i], 1536));
    }
    assertThat(run.batches()).extracting(BatchOutcome::id).containsExactly(1, 2);
    assertThat(run.tokens()).as("the refusal billed nothing").isEqualTo(10);
    assertThat(run.requests()).isEqualTo(3);
    assertThat(run.retries()).isZero();
  }

  @Test
  void aRefusalOfSomethingElse_isNotSplit() throws Exception {
    server.enqueue(
        Replies.openAiError(400, "invalid_value", "'$.input' is invalid. Please check the API"));

    EmbeddingRun run = embedder.embed(TEXTS);

    assertThat(server.getRequestCount()).isEqualTo(1);
    assertThat(run.failedIndices()).containsExactly(0, 1, 2, 3, 4);
    assertThat(run.failedBatches().get(0).error().orElseThrow())
        .isInstanceOf(ProviderException.class)
        .isNotInstanceOf(InvalidInputException.class);
  }

  private static List<String> inputs(RecordedRequest request) throws IOException {
    JsonNode input = JSON.readTree(request.getBody().readUtf8()).get("input");
    return JSON.convertValue(
        input, JSON.getTypeFactory().constructCollectionType(List.class, String.class));
  }
}
