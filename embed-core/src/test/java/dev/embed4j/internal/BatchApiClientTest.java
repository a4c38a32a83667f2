package dev.embed4j.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.embed4j.Embed4jException;
import java.io.IOException;
import java.time.Duration;
import java.util.Map;
import okhttp3.OkHttpClient;
import okhttp3.mockwebserver.MockResponse;
import okhttp3.mockwebserver.MockWebServer;
import okhttp3.mockwebserver.RecordedRequest;
import okhttp3.mockwebserver.SocketPolicy;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The files and batches calls on the wire, and which failures they are repeated after. */
class BatchApiClientTest {
  private static final String JOB =
      "{\"id\":\"batch_1\",\"object\":\"batch\",\"endpoint\":\"/v1/embeddings\",\"status\":"
          + "\"validating\",\"input_file_id\":\"file-1\",\"completion_window\":\"24h\","
          + "\"request_counts\":{\"total\":0,\"completed\":0,\"failed\":0}}";
  private MockWebServer server;
  private BatchApiClient client;

  @BeforeEach
  void start() throws IOException {
    server = new MockWebServer();
    server.start();
    OkHttpClient http =
        new OkHttpClient.Builder()
            .retryOnConnectionFailure(false)
            .readTimeout(Duration.ofSeconds(5))
            .build();
    RunControl control = new RunControl("run-1", null, Clock.SYSTEM);
    client =
        new BatchApiClient(
            BuiltInProvider.OPENAI.http(http, "sk-secret"),
            server.url("/"),
            "text-embedding-3-small",
            new RetryPolicy(3, Duration.ofMillis(1), Duration.ofMillis(2)),
            control);
  }

  @AfterEach
  void stop() throws IOException {
    server.shutdown();
  }

  @Test
  void uploadIsAMultipartFileOfPurposeBatch() throws Exception {
    server.enqueue(new MockResponse().setBody("{\"id\":\"file-abc\",\"object\":\"file\"}"));

    String id = client.upload("{\"custom_id\":\"x\"}\n".getBytes(), "embed4j-k.jsonl");

    assertThat(id).isEqualTo("file-abc");
    RecordedRequest r = server.takeRequest();
    assertThat(r.getMethod()).isEqualTo("POST");
    assertThat(r.getPath()).isEqualTo("/v1/files");
    assertThat(r.getHeader("Authorization")).isEqualTo("Bearer sk-secret");
    assertThat(r.getHeader("Content-Type")).startsWith("multipart/form-data; boundary=");
    String body = r.getBody().readUtf8();
    assertThat(body)
        .contains("Content-Disposition: form-data; name=\"purpose\"\r\n")
        .contains("\r\n\r\nbatch\r\n")
        .contains("name=\"file\"; filename=\"embed4j-k.jsonl\"")
        .contains("{\"custom_id\":\"x\"}\n");
  }

  @Test
  void createAsksForEmbeddingsWithinTwentyFourHours() throws Exception {
    server.enqueue(new MockResponse().setBody(JOB));

    BatchApiClient.Job job = client.create("file-1", Map.of("embed4j_run", "run-1"));

    assertThat(job.id()).isEqualTo("batch_1");
    assertThat(job.status()).isEqualTo("validating");
    RecordedRequest r = server.takeRequest();
    assertThat(r.getPath()).isEqualTo("/v1/batches");
    assertThat(r.getBody().readUtf8())
        .isEqualTo(
            "{\"input_file_id\":\"file-1\",\"endpoint\":\"/v1/embeddings\","
                + "\"completion_window\":\"24h\",\"metadata\":{\"embed4j_run\":\"run-1\"}}");
  }

  @Test
  void createIsRepeatedAfterAnErrorReply() {
    server.enqueue(
        new MockResponse()
            .setResponseCode(503)
            .setBody("{\"error\":{\"message\":\"overloaded\",\"type\":\"server_error\"}}"));
    server.enqueue(new MockResponse().setBody(JOB));

    assertThat(client.create("file-1", Map.of()).id()).isEqualTo("batch_1");
    assertThat(server.getRequestCount()).isEqualTo(2);
  }

  @Test
  void createIsNotRepeatedWhenTheRequestMayHaveBeenCarriedOut() {
    server.enqueue(new MockResponse().setSocketPolicy(SocketPolicy.DISCONNECT_AFTER_REQUEST));
    server.enqueue(new MockResponse().setBody(JOB));

    assertThatThrownBy(() -> client.create("file-1", Map.of()))
        .isInstanceOf(Embed4jException.class)
        .hasMessageContaining("may have been carried out")
        .hasMessageNotContaining("sk-secret");
    assertThat(server.getRequestCount()).as("a job created twice is billed twice").isEqualTo(1);
  }

  @Test
  void retrieveAndCancelNameTheJob() throws Exception {
    server.enqueue(new MockResponse().setBody(JOB.replace("validating", "in_progress")));
    server.enqueue(new MockResponse().setBody(JOB.replace("validating", "cancelling")));

    assertThat(client.retrieve("batch_1").status()).isEqualTo("in_progress");
    assertThat(client.cancel("batch_1").status()).isEqualTo("cancelling");
    assertThat(server.takeRequest().getPath()).isEqualTo("/v1/batches/batch_1");
    RecordedRequest cancel = server.takeRequest();
    assertThat(cancel.getMethod()).isEqualTo("POST");
    assertThat(cancel.getPath()).isEqualTo("/v1/batches/batch_1/cancel");
  }

  @Test
  void aFailedValidationIsReadWithItsCodesAndLines() {
    server.enqueue(
        new MockResponse()
            .setBody(
                JOB.replace("\"validating\"", "\"failed\"")
                    .replace(
                        "\"request_counts\"",
                        "\"errors\":{\"object\":\"list\",\"data\":[{\"code\":"
                            + "\"token_limit_exceeded\",\"message\":\"Enqueued token limit"
                            + " reached\",\"param\":null,\"line\":null}]},\"request_counts\"")));

    BatchApiClient.Job job = client.retrieve("batch_1");

    assertThat(job.ended()).isTrue();
    assertThat(job.errorCodes()).containsExactly("token_limit_exceeded");
    assertThat(job.errorMessage()).isEqualTo("token_limit_exceeded: Enqueued token limit reached");
  }
}
