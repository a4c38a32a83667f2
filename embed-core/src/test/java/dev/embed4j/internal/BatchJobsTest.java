package dev.embed4j.internal;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.embed4j.Embed4jException;
import dev.embed4j.ProviderException;
import dev.embed4j.RunMode;
import java.io.ByteArrayInputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collections;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The Batch API's input lines, the caps that split jobs, output lines, and the poll schedule. */
class BatchJobsTest {
  private static final String KEY = "0123456789abcdef";

  private static Settings settings(int dims) {
    Settings s =
        new Settings().model("text-embedding-3-small").apiKey("sk-test").mode(RunMode.BATCH_API);
    if (dims > 0) {
      s.dimensions(dims);
    }
    return s.freeze();
  }

  private static List<Batch> batches(int count, int size, long tokensEach) {
    List<Batch> out = new ArrayList<>();
    for (int b = 0; b < count; b++) {
      Input[] inputs = new Input[size];
      for (int i = 0; i < size; i++) {
        int p = b * size + i;
        inputs[i] = new Input(p, null, "text " + p, "text " + p, 2, 2);
      }
      out.add(new Batch(b, inputs, tokensEach, tokensEach));
    }
    return out;
  }

  @Test
  void eachLineIsARealtimeBodyWithACustomIdNamingRunAndBatch() throws Exception {
    Settings s = settings(256);
    byte[] file = BatchJobs.write(batches(2, 3, 6), s, KEY);
    String[] lines = new String(file, StandardCharsets.UTF_8).split("\n");
    assertThat(lines).hasSize(2);
    JsonNode line = new ObjectMapper().readTree(lines[1]);
    assertThat(line.get("custom_id").asText()).isEqualTo("e4j-" + KEY + "-1");
    assertThat(line.get("method").asText()).isEqualTo("POST");
    assertThat(line.get("url").asText()).isEqualTo("/v1/embeddings");
    JsonNode body = line.get("body");
    assertThat(body.get("model").asText()).isEqualTo("text-embedding-3-small");
    assertThat(body.get("input").toString()).isEqualTo("[\"text 3\",\"text 4\",\"text 5\"]");
    assertThat(body.get("dimensions").asInt()).isEqualTo(256);
    assertThat(body.get("encoding_format").asText()).isEqualTo("base64");
    assertThat(BatchJobs.batchId("e4j-" + KEY + "-1", KEY)).isEqualTo(1);
    assertThat(BatchJobs.batchId("e4j-other-1", KEY)).isEqualTo(-1);
    assertThat(BatchJobs.batchId(null, KEY)).isEqualTo(-1);
  }

  @Test
  void split_noJobOverFiftyThousandRequests() {
    List<Batch> all = batches(50_001, 1, 1);
    List<List<Batch>> jobs = BatchJobs.split(all, settings(0), KEY, 0, BatchJobs.MAX_BYTES);
    assertThat(jobs).hasSize(2);
    assertThat(jobs.get(0)).hasSize(50_000);
    assertThat(jobs.get(1)).hasSize(1);
  }

  @Test
  void split_noJobOverFiftyThousandEmbeddingInputs() {
    List<Batch> all = batches(800, 64, 64); // 51,200 inputs
    List<List<Batch>> jobs = BatchJobs.split(all, settings(0), KEY, 0, BatchJobs.MAX_BYTES);
    assertThat(jobs).hasSize(2);
    assertThat(jobs.get(0).stream().mapToInt(Batch::size).sum())
        .isEqualTo(781 * 64)
        .isLessThanOrEqualTo(50_000);
  }

  @Test
  void split_noJobOverTheFileSizeOrTheEnqueuedTokens() {
    List<Batch> all = batches(10, 4, 100);
    long lineBytes = BatchJobs.write(all.subList(0, 1), settings(0), KEY).length;
    List<List<Batch>> bySize =
        BatchJobs.split(all, settings(0), KEY, 0, lineBytes * 3 + lineBytes / 2);
    assertThat(bySize).extracting(List::size).containsExactly(3, 3, 3, 1);
    for (List<Batch> job : bySize) {
      assertThat((long) BatchJobs.write(job, settings(0), KEY).length)
          .isLessThanOrEqualTo(lineBytes * 3 + lineBytes / 2);
    }
    List<List<Batch>> byTokens = BatchJobs.split(all, settings(0), KEY, 450, BatchJobs.MAX_BYTES);
    assertThat(byTokens).extracting(List::size).containsExactly(4, 4, 2);
  }

  private static String base64(float... v) {
    ByteBuffer b = ByteBuffer.allocate(v.length * 4).order(ByteOrder.LITTLE_ENDIAN);
    for (float f : v) {
      b.putFloat(f);
    }
    return Base64.getEncoder().encodeToString(b.array());
  }

  @Test
  void outputLinesInAnyOrderAreMappedByCustomIdAndIndex() throws Exception {
    List<Batch> all = batches(3, 2, 4);
    String file =
        String.join(
            "\n",
            // batch 2, custom_id after the response, items out of order, floats
            "{\"id\":\"r1\",\"response\":{\"body\":{\"data\":[{\"index\":1,\"embedding\":[5,6]},"
                + "{\"index\":0,\"embedding\":[4,3]}],\"usage\":{\"prompt_tokens\":7}},"
                + "\"status_code\":200,\"request_id\":\"req_1\"},\"custom_id\":\"e4j-"
                + KEY
                + "-2\",\"error\":null}",
            // a line of another run: skipped
            "{\"custom_id\":\"e4j-ffff-0\",\"response\":null,\"error\":null}",
            // batch 0, base64
            "{\"custom_id\":\"e4j-"
                + KEY
                + "-0\",\"response\":{\"status_code\":200,\"body\":{\"data\":[{\"index\":0,"
                + "\"embedding\":\""
                + base64(1, 2)
                + "\"},{\"index\":1,\"embedding\":\""
                + base64(3, 4)
                + "\"}],\"usage\":{\"prompt_tokens\":5}}},\"error\":null}",
            // batch 1 expired
            "{\"custom_id\":\"e4j-"
                + KEY
                + "-1\",\"response\":null,\"error\":{\"code\":\"batch_expired\",\"message\":"
                + "\"This request could not be executed before the completion window expired.\"}}",
            "");
    List<BatchOutput.Line> lines = Collections.synchronizedList(new ArrayList<>());
    BatchOutput.read(
        new ByteArrayInputStream(file.getBytes(StandardCharsets.UTF_8)),
        KEY,
        id -> id >= 0 && id < all.size() ? all.get(id) : null,
        2,
        "openai",
        "openai:text-embedding-3-small",
        lines::add);

    assertThat(lines).extracting(l -> l.batch().id()).containsExactly(2, 0, 1);
    assertThat(lines.get(0).decoded().vectors().get(0)).containsExactly(4, 3);
    assertThat(lines.get(0).decoded().vectors().get(1)).containsExactly(5, 6);
    assertThat(lines.get(0).decoded().tokens()).isEqualTo(7);
    assertThat(lines.get(1).decoded().vectors().get(1)).containsExactly(3, 4);
    Embed4jException expired = lines.get(2).failure();
    assertThat(expired.isRetryable()).isTrue();
    assertThat(expired.getMessage()).contains("batch 1").contains("batch_expired");
  }

  @Test
  void aFailedLineCarriesItsStatusAndCode() throws Exception {
    List<Batch> all = batches(1, 2, 4);
    String line =
        "{\"custom_id\":\"e4j-"
            + KEY
            + "-0\",\"response\":{\"status_code\":400,\"request_id\":\"req_9\",\"body\":{\"error\":"
            + "{\"message\":\"'$.input' is invalid.\",\"type\":\"invalid_request_error\","
            + "\"code\":null}}},\"error\":null}\n";
    List<BatchOutput.Line> lines = new ArrayList<>();
    BatchOutput.read(
        new ByteArrayInputStream(line.getBytes(StandardCharsets.UTF_8)),
        KEY,
        id -> all.get(id),
        2,
        "openai",
        "openai:text-embedding-3-small",
        lines::add);
    ProviderException e = (ProviderException) lines.get(0).failure();
    assertThat(e.statusCode()).isEqualTo(400);
    assertThat(e.isRetryable()).isFalse();
    assertThat(e.requestId()).contains("req_9");
    assertThat(e.getMessage()).contains("HTTP 400").contains("'$.input' is invalid.");
  }

  @Test
  void pollsBackOffWhileNothingChanges() {
    PollSchedule s = new PollSchedule(Duration.ofSeconds(10), Duration.ofSeconds(60));
    assertThat(s.next(true)).isEqualTo(Duration.ofSeconds(10));
    assertThat(s.next(false)).isEqualTo(Duration.ofSeconds(20));
    assertThat(s.next(false)).isEqualTo(Duration.ofSeconds(40));
    assertThat(s.next(false)).isEqualTo(Duration.ofSeconds(60));
    assertThat(s.next(false)).isEqualTo(Duration.ofSeconds(60));
    assertThat(s.next(true)).isEqualTo(Duration.ofSeconds(10));
  }
}
