package dev.embed4j.emulator;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.math.BigDecimal;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import okhttp3.MediaType;
import okhttp3.MultipartBody;
import okhttp3.Request;
import okhttp3.RequestBody;
import okhttp3.Response;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** {@code /v1/files} and {@code /v1/batches} on the wire, one status per retrieve. */
class BatchApiEmulatorTest {
  private EmbeddingEmulator emu;

  @AfterEach
  void stop() {
    if (emu != null) {
      emu.close();
    }
  }

  private static String line(String customId, String... inputs) {
    StringBuilder b =
        new StringBuilder("{\"custom_id\":\"")
            .append(customId)
            .append("\",\"method\":\"POST\",\"url\":\"/v1/embeddings\",\"body\":{\"model\":")
            .append("\"text-embedding-3-small\",\"input\":[");
    for (int i = 0; i < inputs.length; i++) {
      b.append(i == 0 ? "" : ",").append(Http.quote(inputs[i]));
    }
    return b.append("]}}\n").toString();
  }

  private String upload(String jsonl) throws IOException {
    RequestBody body =
        new MultipartBody.Builder()
            .setType(MultipartBody.FORM)
            .addFormDataPart("purpose", "batch")
            .addFormDataPart(
                "file",
                "input.jsonl",
                RequestBody.create(jsonl, MediaType.get("application/jsonl")))
            .build();
    Request r =
        new Request.Builder()
            .url(emu.baseUrl() + "/v1/files")
            .header("Authorization", "Bearer sk-test")
            .post(body)
            .build();
    try (Response response = Http.CLIENT.newCall(r).execute()) {
      JsonNode file = Http.JSON.readTree(response.body().string());
      assertThat(response.code()).isEqualTo(200);
      assertThat(file.get("object").asText()).isEqualTo("file");
      assertThat(file.get("purpose").asText()).isEqualTo("batch");
      assertThat(file.get("bytes").asLong()).isEqualTo(jsonl.getBytes().length);
      return file.get("id").asText();
    }
  }

  private Http.Reply get(String path) throws IOException {
    Request r =
        new Request.Builder()
            .url(emu.baseUrl() + path)
            .header("Authorization", "Bearer sk-test")
            .build();
    try (Response response = Http.CLIENT.newCall(r).execute()) {
      return new Http.Reply(response.code(), response.headers(), response.body().string());
    }
  }

  private JsonNode create(String fileId, String window) throws IOException {
    return Http.post(
            Http.CLIENT,
            emu.baseUrl() + "/v1/batches",
            "sk-test",
            "{\"input_file_id\":\""
                + fileId
                + "\",\"endpoint\":\"/v1/embeddings\",\"completion_window\":\""
                + window
                + "\"}")
        .json();
  }

  @Test
  void aJobGoesThroughEveryStatusAndItsOutputAnswersEveryLine() throws Exception {
    emu =
        EmbeddingEmulator.builder()
            .batchStepwise(true)
            .batchFailingLines(1)
            .batchTimes(Duration.ZERO, Duration.ZERO, Duration.ZERO)
            .start();
    String fileId = upload(line("a", "one", "two") + line("b", "three") + line("c", "") + "\n");
    JsonNode job = create(fileId, "24h");
    assertThat(job.get("object").asText()).isEqualTo("batch");
    assertThat(job.get("status").asText()).isEqualTo("validating");
    assertThat(job.get("completion_window").asText()).isEqualTo("24h");
    String id = job.get("id").asText();
    List<String> seen = new ArrayList<>();
    JsonNode last = job;
    for (int i = 0; i < 10 && !last.get("status").asText().equals("completed"); i++) {
      last = get("/v1/batches/" + id).json();
      seen.add(last.get("status").asText());
    }
    assertThat(seen).containsExactly("in_progress", "finalizing", "completed");
    JsonNode counts = last.get("request_counts");
    assertThat(counts.get("total").asInt()).isEqualTo(3);
    assertThat(counts.get("completed").asInt()).isEqualTo(1);
    assertThat(counts.get("failed").asInt()).isEqualTo(2);

    String output = get("/v1/files/" + last.get("output_file_id").asText() + "/content").body();
    JsonNode b = Http.JSON.readTree(output.strip());
    assertThat(b.get("custom_id").asText()).isEqualTo("b");
    assertThat(b.get("response").get("status_code").asInt()).isEqualTo(200);
    assertThat(b.get("response").get("body").get("data").get(0).get("embedding").isArray())
        .isTrue();
    String errors = get("/v1/files/" + last.get("error_file_id").asText() + "/content").body();
    String[] lines = errors.strip().split("\n");
    assertThat(lines).hasSize(2);
    JsonNode failedLine = Http.JSON.readTree(lines[0]);
    assertThat(failedLine.get("custom_id").asText()).isEqualTo("a");
    assertThat(failedLine.get("response").get("status_code").asInt()).isEqualTo(500);
    JsonNode invalid = Http.JSON.readTree(lines[1]);
    assertThat(invalid.get("custom_id").asText()).isEqualTo("c");
    assertThat(invalid.get("response").get("status_code").asInt()).isEqualTo(400);

    long tokens = EmbeddingEmulator.expectedTokens("three");
    assertThat(emu.stats().batchTokensBilled("text-embedding-3-small")).isEqualTo(tokens);
    assertThat(emu.stats().tokensBilled()).isZero();
    assertThat(emu.stats().batchDollarsBilled())
        .isEqualByComparingTo(
            new BigDecimal("0.01").multiply(BigDecimal.valueOf(tokens)).movePointLeft(6));
  }

  @Test
  void validationFailsOnDuplicateCustomIdsWithTheLine() throws Exception {
    emu =
        EmbeddingEmulator.builder().batchTimes(Duration.ZERO, Duration.ZERO, Duration.ZERO).start();
    String id = create(upload(line("x", "a") + line("x", "b")), "24h").get("id").asText();
    JsonNode job = get("/v1/batches/" + id).json();
    assertThat(job.get("status").asText()).isEqualTo("failed");
    JsonNode error = job.get("errors").get("data").get(0);
    assertThat(error.get("code").asText()).isEqualTo("duplicate_custom_id");
    assertThat(error.get("line").asInt()).isEqualTo(2);
    assertThat(job.get("output_file_id").isNull()).isTrue();
  }

  @Test
  void onlyTheTwentyFourHourWindowIsAccepted() throws Exception {
    emu = EmbeddingEmulator.builder().start();
    JsonNode reply = create(upload(line("x", "a")), "1h");
    assertThat(reply.get("error").get("code").asText()).isEqualTo("invalid_value");
  }

  @Test
  void aCancelledJobKeepsWhatWasAnsweredBeforeTheCancel() throws Exception {
    emu =
        EmbeddingEmulator.builder()
            .batchTimes(Duration.ZERO, Duration.ofHours(1), Duration.ZERO)
            .batchTimeScale(1)
            .start();
    String id = create(upload(line("x", "a") + line("y", "b")), "24h").get("id").asText();
    assertThat(get("/v1/batches/" + id).json().get("status").asText()).isEqualTo("in_progress");
    Http.Reply cancel =
        Http.post(Http.CLIENT, emu.baseUrl() + "/v1/batches/" + id + "/cancel", "sk-test", "");
    assertThat(cancel.json().get("status").asText()).isEqualTo("cancelling");
    JsonNode job = get("/v1/batches/" + id).json();
    assertThat(job.get("status").asText()).isEqualTo("cancelled");
    assertThat(job.get("output_file_id").isNull()).as("nothing was answered yet").isTrue();
    assertThat(emu.stats().batchesCancelled()).isEqualTo(1);
    assertThat(emu.stats().batchTokensBilled()).isZero();
  }
}
