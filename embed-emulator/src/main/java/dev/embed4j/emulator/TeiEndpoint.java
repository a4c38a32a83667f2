package dev.embed4j.emulator;

import com.fasterxml.jackson.databind.JsonNode;
import com.sun.net.httpserver.Headers;
import com.sun.net.httpserver.HttpExchange;
import java.util.List;
import java.util.Map;

/**
 * Hugging Face text-embeddings-inference under {@code /tei}: {@code POST /embed}, serving the one
 * model it was started with ({@link EmbeddingEmulator.Builder#teiModel}); keyless unless the
 * emulator was given keys (then a bearer key, as {@code --api-key}); {@code inputs} a string or at
 * most {@link EmbeddingEmulator.Builder#teiMaxClientBatchSize} (default 32) non-empty strings;
 * {@code truncate} (default false) against the model's input length; {@code normalize}, {@code
 * dimensions}. The reply is a bare array of vectors with {@code x-compute-tokens} and the other
 * {@code x-*-time} headers; errors are {@code {"error","error_type"}} (413 for validation, 422 for
 * the tokenizer, 429 overloaded).
 */
final class TeiEndpoint extends ListEndpoint {
  static final String PREFIX = "/tei";
  private final String model;
  private final int maxBatch;

  TeiEndpoint(
      Config config,
      Stats stats,
      FaultPlan faults,
      RateLimiter limiter,
      String model,
      int maxBatch) {
    super(PREFIX, Models.Provider.TEI, config, stats, faults, limiter);
    this.model = model;
    this.maxBatch = maxBatch;
  }

  @Override
  boolean routes(String path) {
    return path.equals("/embed");
  }

  @Override
  String key(HttpExchange ex) {
    return bearer(ex);
  }

  @Override
  boolean keyRequired() {
    return false;
  }

  @Override
  Parsed parse(HttpExchange ex, String path, JsonNode root) {
    if (!root.isObject()) {
      throw reject(Problem.BAD_JSON, Detail.of("not an object"));
    }
    List<String> texts = textList(root, "inputs", model);
    if (texts.size() > maxBatch) {
      throw reject(Problem.TOO_MANY_INPUTS, new Detail(model, -1, texts.size(), maxBatch, null));
    }
    JsonNode t = root.get("truncate");
    return new Parsed(
        model,
        texts,
        optionalInt(root, "dimensions", model),
        null,
        t != null && t.asBoolean(false));
  }

  @Override
  Out write(Parsed p, int[] order, List<String> embedded, int dims, long tokens) {
    Out out = new Out(16 + order.length * (dims * 13 + 4));
    out.raw('[');
    for (int k = 0; k < order.length; k++) {
      if (k > 0) {
        out.raw(',');
      }
      out.floats(vector(p, embedded, order[k], dims));
    }
    return out.raw(']');
  }

  @Override
  void successHeaders(Map<String, String> h, Parsed p, long tokens) {
    long chars = p.texts().stream().mapToLong(String::length).sum();
    h.put("x-compute-type", "cpu");
    h.put("x-compute-tokens", Long.toString(tokens));
    h.put("x-compute-characters", Long.toString(chars));
    h.put("x-total-time", "1");
    h.put("x-tokenization-time", "0");
    h.put("x-queue-time", "0");
    h.put("x-inference-time", "1");
  }

  @Override
  Reply problem(Problem problem, Detail d) {
    switch (problem) {
      case NOT_FOUND:
        return new Reply(404, new byte[0]);
      case MISSING_KEY:
      case BAD_KEY:
      case QUOTA:
        return error(401, "Unauthorized", "unauthorized");
      case TOO_MANY_INPUTS:
        return d.count() == 0
            ? error(400, "`inputs` cannot be empty", "empty")
            : error(
                413,
                "batch size " + d.count() + " > maximum allowed batch size " + d.limit(),
                "validation");
      case EMPTY_TEXT:
        return error(400, "`inputs` cannot be empty", "empty");
      case TOO_LONG:
        return error(
            413,
            "Input validation error: `inputs` must have less than "
                + d.limit()
                + " tokens. Given: "
                + d.count(),
            "validation");
      case BAD_DIMENSIONS:
        return error(
            400, "the model is not Matryoshka: `dimensions` is not supported", "validation");
      default:
        return error(
            422, d.text() == null ? "Failed to deserialize the JSON body" : d.text(), "validation");
    }
  }

  @Override
  Reply rateLimited(RateLimiter.Outcome o, String model) {
    Reply r = error(429, "Model is overloaded", "overloaded");
    return r;
  }

  @Override
  Reply serverError(int status) {
    return error(status, "backend error", "backend");
  }

  @Override
  void addHeaders(Headers h, long elapsedMs) {}

  private static Reply error(int status, String message, String type) {
    return new Reply(
        status, Json.bytes(Json.object().put("error", message).put("error_type", type)));
  }
}
