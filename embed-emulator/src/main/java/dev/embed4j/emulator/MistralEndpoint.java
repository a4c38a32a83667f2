package dev.embed4j.emulator;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.Headers;
import com.sun.net.httpserver.HttpExchange;
import java.util.List;

/**
 * Mistral AI under {@code /mistral}: {@code POST /v1/embeddings} with a bearer key; mistral-embed
 * (1024 dims) and codestral-embed ({@code output_dimension} up to its 1536); at most 8,192 tokens
 * per input and 16,384 per request; {@code output_dtype} and {@code encoding_format} {@code float}.
 * Errors are {@code {"object":"error","message","type","param","code"}}, a rejected key {@code
 * {"message":"Unauthorized"}}; a 429 carries {@code retry-after} (no rate-limit headers on
 * successes).
 */
final class MistralEndpoint extends ListEndpoint {
  static final String PREFIX = "/mistral";

  MistralEndpoint(Config config, Stats stats, FaultPlan faults, RateLimiter limiter) {
    super(PREFIX, Models.Provider.MISTRAL, config, stats, faults, limiter);
  }

  @Override
  boolean routes(String path) {
    return path.equals("/v1/embeddings");
  }

  @Override
  String key(HttpExchange ex) {
    return bearer(ex);
  }

  @Override
  Parsed parse(HttpExchange ex, String path, JsonNode root) {
    if (!root.isObject()) {
      throw reject(Problem.BAD_JSON, Detail.of("not an object"));
    }
    String model = text(root, "model");
    if (model == null) {
      throw reject(Problem.BAD_REQUEST, Detail.of("Field 'model' is required"));
    }
    for (String field : new String[] {"output_dtype", "encoding_format"}) {
      String v = text(root, field);
      if (v != null && !v.equals("float")) {
        throw reject(
            Problem.BAD_REQUEST, Detail.of("The emulator returns only floats: " + field + " " + v));
      }
    }
    Integer dims = optionalInt(root, "output_dimension", model);
    if (dims != null && "mistral-embed".equals(model)) {
      throw reject(
          Problem.BAD_REQUEST, Detail.of("output_dimension is not supported for mistral-embed"));
    }
    return new Parsed(model, textList(root, "input", model), dims, null, false);
  }

  @Override
  Out write(Parsed p, int[] order, List<String> embedded, int dims, long tokens) {
    return openAiShaped(p, order, embedded, dims, tokens, false, true);
  }

  @Override
  Reply problem(Problem problem, Detail d) {
    switch (problem) {
      case NOT_FOUND:
        return flat(404, "Not Found");
      case MISSING_KEY:
      case BAD_KEY:
        return flat(401, "Unauthorized");
      case QUOTA:
        return error(429, "You have exhausted your monthly usage limit.", "billing_error", "3505");
      case MODEL_NOT_FOUND:
        return error(400, "Invalid model: " + d.model(), "invalid_model", "1500");
      case TOO_MANY_INPUTS:
        return d.count() == 0
            ? error(400, "Input must not be empty", "invalid_request_error", null)
            : error(
                400,
                "Too many inputs in request, split into more batches.",
                "invalid_request_prompt",
                "3210");
      case EMPTY_TEXT:
        return error(
            400, "Input at index " + d.index() + " is empty", "invalid_request_error", null);
      case TOO_LONG:
        return error(
            400,
            "Input at index "
                + d.index()
                + " has "
                + d.count()
                + " tokens, more than the "
                + d.limit()
                + " the model accepts",
            "invalid_request_prompt",
            "3051");
      case TOO_MANY_TOKENS:
        return error(
            400,
            "Too many tokens in batch. Max is " + d.limit() + " got " + d.count() + ".",
            "invalid_request_prompt",
            "3210");
      case BAD_DIMENSIONS:
        return error(
            400,
            "output_dimension " + d.count() + " is not supported for " + d.model(),
            "invalid_request_error",
            null);
      default:
        return error(
            422, d.text() == null ? "Bad request" : d.text(), "invalid_request_error", null);
    }
  }

  @Override
  Reply rateLimited(RateLimiter.Outcome o, String model) {
    Reply r = error(429, "Requests rate limit exceeded", "rate_limited", "1300");
    if (o.verdict() != RateLimiter.Verdict.TOO_LARGE) {
      r.headers.putAll(limiter.retryHeaders(o, false));
    }
    return r;
  }

  @Override
  Reply serverError(int status) {
    return error(status, "Internal server error", "internal_server_error", "3000");
  }

  @Override
  void addHeaders(Headers h, long elapsedMs) {
    h.set("x-request-id", requestId());
  }

  private static Reply flat(int status, String message) {
    return new Reply(
        status, Json.bytes(Json.object().put("message", message).put("request_id", requestId())));
  }

  private static Reply error(int status, String message, String type, String code) {
    ObjectNode e = Json.object();
    e.put("object", "error").put("message", message).put("type", type).putNull("param");
    e.put("code", code);
    return new Reply(status, Json.bytes(e));
  }
}
