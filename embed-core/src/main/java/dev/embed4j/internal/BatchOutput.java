package dev.embed4j.internal;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.util.TokenBuffer;
import dev.embed4j.Embed4jException;
import dev.embed4j.ProviderException;
import java.io.IOException;
import java.io.InputStream;
import java.util.function.IntFunction;

/**
 * Reads a Batch API output or error file line by line, streaming: each line's {@code custom_id}
 * names the batch, its {@code response.body} is decoded as a realtime reply would be (every vector
 * placed by its {@code index}, base64 or floats), and a failed line ({@code response.status_code}
 * not 200, or a line-level {@code error} such as {@code batch_expired}) becomes the exception the
 * retry policy decides on. Lines may come in any order; fields within a line too.
 */
final class BatchOutput {
  private static final ObjectMapper MAPPER = new ObjectMapper(HttpCall.JSON_FACTORY);

  /** One line: the batch it answers, and its vectors or its failure. */
  record Line(Batch batch, HttpCall.Decoded decoded, Embed4jException failure) {}

  /** Receives each line of this run. */
  @FunctionalInterface
  interface Sink {
    void accept(Line line);
  }

  private BatchOutput() {}

  /**
   * Reads every line; lines whose custom id is not a batch of this run ({@code batches} answers
   * null) are skipped.
   *
   * @param batches the batch of a custom id, or null
   * @throws IOException if the file is not JSONL of output lines
   */
  static void read(
      InputStream in,
      String runKey,
      IntFunction<Batch> batches,
      int dimensions,
      String provider,
      String model,
      Sink sink)
      throws IOException {
    try (JsonParser p = HttpCall.JSON_FACTORY.createParser(in)) {
      p.setCodec(MAPPER);
      JsonToken t;
      while ((t = p.nextToken()) != null) {
        if (t != JsonToken.START_OBJECT) {
          throw new IOException("an output line is not a JSON object but " + t);
        }
        String customId = null;
        TokenBuffer response = null;
        TokenBuffer error = null;
        while (p.nextToken() == JsonToken.FIELD_NAME) {
          String field = p.currentName();
          JsonToken v = p.nextToken();
          if ("custom_id".equals(field)) {
            customId = p.getValueAsString();
          } else if ("response".equals(field) && v == JsonToken.START_OBJECT) {
            response = buffer(p);
          } else if ("error".equals(field) && v == JsonToken.START_OBJECT) {
            error = buffer(p);
          } else {
            p.skipChildren();
          }
        }
        Batch batch = batches.apply(BatchJobs.batchId(customId, runKey));
        if (batch == null) {
          continue;
        }
        sink.accept(line(batch, response, error, dimensions, provider, model));
      }
    }
  }

  private static TokenBuffer buffer(JsonParser p) throws IOException {
    TokenBuffer b = new TokenBuffer(p);
    b.copyCurrentStructure(p);
    return b;
  }

  private static Line line(
      Batch batch,
      TokenBuffer response,
      TokenBuffer error,
      int dimensions,
      String provider,
      String model)
      throws IOException {
    int status = 0;
    String requestId = null;
    TokenBuffer body = null;
    if (response != null) {
      try (JsonParser r = response.asParser()) {
        r.nextToken();
        while (r.nextToken() == JsonToken.FIELD_NAME) {
          String field = r.currentName();
          JsonToken v = r.nextToken();
          if ("status_code".equals(field)) {
            status = r.getValueAsInt();
          } else if ("request_id".equals(field)) {
            requestId = r.getValueAsString();
          } else if ("body".equals(field) && v == JsonToken.START_OBJECT) {
            body = buffer(r);
          } else {
            r.skipChildren();
          }
        }
      }
    }
    String where = "batch " + batch.id() + " (inputs " + batch.describeIndices() + ")";
    if (error == null && status == 200 && body != null) {
      try (JsonParser b = body.asParser()) {
        return new Line(batch, OpenAiProvider.parse(b, batch.size(), dimensions), null);
      } catch (IOException | RuntimeException e) {
        return new Line(
            batch,
            null,
            ProviderException.builder(provider, model)
                .status(status)
                .requestId(requestId)
                .retryable(true)
                .cause(e)
                .build("Unusable Batch API answer for " + where + ": " + e.getMessage()));
      }
    }
    JsonNode err = null;
    if (error != null) {
      err = MAPPER.readValue(error.asParser(), JsonNode.class);
    } else if (body != null) {
      err = MAPPER.readValue(body.asParser(), JsonNode.class).path("error");
    }
    String code = err == null ? null : text(err, "code", text(err, "type", null));
    String message = err == null ? "no answer" : text(err, "message", "no message");
    ProviderException.Builder b =
        ProviderException.builder(provider, model)
            .status(status)
            .errorCode(code)
            .requestId(requestId);
    if (error != null && "batch_expired".equals(code)) {
      b.retryable(true);
    }
    return new Line(
        batch,
        null,
        b.build(
            "Batch API line for "
                + where
                + " failed"
                + (status > 0 ? " with HTTP " + status : "")
                + (code == null ? "" : " (" + code + ")")
                + ": "
                + message
                + (requestId == null ? "" : " [request " + requestId + "]")));
  }

  private static String text(JsonNode n, String field, String otherwise) {
    JsonNode v = n.get(field);
    return v == null || v.isNull() ? otherwise : v.asText();
  }
}
