package dev.embed4j.internal;

import com.fasterxml.jackson.core.JsonGenerator;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * The input files of a Batch API run: one JSONL line per planned batch, {@code {"custom_id":
 * "e4j-<run key>-<batch>", "method": "POST", "url": "/v1/embeddings", "body": {...}}}, the body
 * exactly the realtime request's (base64 encoding). {@link #split} packs the lines greedily, in
 * batch order, into jobs within OpenAI's caps: at most 50,000 requests and 200 MB per input file,
 * 50,000 embedding inputs per batch, and, when known, the model's enqueued-token limit.
 */
final class BatchJobs {
  static final int MAX_REQUESTS = 50_000;
  static final int MAX_INPUTS = 50_000;
  static final long MAX_BYTES = 200L * 1024 * 1024;

  private BatchJobs() {}

  /** The batches of each job, in order. */
  static List<List<Batch>> split(
      List<Batch> batches, Settings settings, String runKey, long maxTokens, long maxBytes) {
    List<List<Batch>> jobs = new ArrayList<>();
    List<Batch> current = new ArrayList<>();
    long bytes = 0;
    long tokens = 0;
    int inputs = 0;
    for (Batch b : batches) {
      long lineBytes = line(b, settings, runKey).length;
      int n = b.size();
      boolean full =
          current.size() == MAX_REQUESTS
              || inputs + n > MAX_INPUTS
              || bytes + lineBytes > maxBytes
              || (maxTokens > 0 && tokens + b.tokens() > maxTokens);
      if (!current.isEmpty() && full) {
        jobs.add(current);
        current = new ArrayList<>();
        bytes = 0;
        tokens = 0;
        inputs = 0;
      }
      current.add(b);
      bytes += lineBytes;
      tokens += b.tokens();
      inputs += n;
    }
    if (!current.isEmpty()) {
      jobs.add(current);
    }
    return jobs;
  }

  /** The input file of one job. */
  static byte[] write(List<Batch> batches, Settings settings, String runKey) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    for (Batch b : batches) {
      out.writeBytes(line(b, settings, runKey));
    }
    return out.toByteArray();
  }

  static String customId(String runKey, int batchId) {
    return "e4j-" + runKey + "-" + batchId;
  }

  /** The batch id in a custom id of this run, or -1 if it is not one. */
  static int batchId(String customId, String runKey) {
    String prefix = "e4j-" + runKey + "-";
    if (customId == null || !customId.startsWith(prefix)) {
      return -1;
    }
    try {
      return Integer.parseInt(customId.substring(prefix.length()));
    } catch (NumberFormatException e) {
      return -1;
    }
  }

  private static byte[] line(Batch b, Settings settings, String runKey) {
    try {
      byte[] body = OpenAiProvider.write(new BatchRequest(b, settings, null));
      ByteArrayOutputStream out = new ByteArrayOutputStream(body.length + 128);
      try (JsonGenerator g = HttpCall.JSON_FACTORY.createGenerator(out)) {
        g.writeStartObject();
        g.writeStringField("custom_id", customId(runKey, b.id()));
        g.writeStringField("method", "POST");
        g.writeStringField("url", "/v1/embeddings");
        g.writeFieldName("body");
        g.writeRawValue(new String(body, StandardCharsets.UTF_8));
        g.writeEndObject();
      }
      out.write('\n');
      return out.toByteArray();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
