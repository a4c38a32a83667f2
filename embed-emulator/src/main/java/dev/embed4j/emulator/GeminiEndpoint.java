package dev.embed4j.emulator;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.Headers;
import com.sun.net.httpserver.HttpExchange;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * Google's Gemini API under {@code /gemini}: {@code POST /v1beta/models/{model}:batchEmbedContents}
 * with the key in {@code x-goog-api-key} (or {@code ?key=}); at most 100 {@code requests}, each
 * naming the same {@code models/{model}}, one text part, an optional {@code taskType} (the vector
 * depends on it) and {@code outputDimensionality} (128 to 3072); a text over 2,048 tokens is
 * refused (the Gemini API has no truncation parameter). The reply has {@code embeddings[].values}
 * in order and no token usage. Errors are Google's {@code
 * {"error":{"code","message","status","details"}}}: a rejected key is a 400 with reason {@code
 * API_KEY_INVALID}; a 429 carries a {@code RetryInfo} delay.
 */
final class GeminiEndpoint extends ListEndpoint {
  static final String PREFIX = "/gemini";
  private static final String BATCH = ":batchEmbedContents";
  private static final Set<String> TASKS =
      Set.of(
          "TASK_TYPE_UNSPECIFIED",
          "RETRIEVAL_QUERY",
          "RETRIEVAL_DOCUMENT",
          "SEMANTIC_SIMILARITY",
          "CLASSIFICATION",
          "CLUSTERING",
          "QUESTION_ANSWERING",
          "FACT_VERIFICATION",
          "CODE_RETRIEVAL_QUERY");

  GeminiEndpoint(Config config, Stats stats, FaultPlan faults, RateLimiter limiter) {
    super(PREFIX, Models.Provider.GEMINI, config, stats, faults, limiter);
  }

  @Override
  boolean routes(String path) {
    return path.startsWith("/v1beta/models/") && path.endsWith(BATCH);
  }

  @Override
  String key(HttpExchange ex) {
    String key = ex.getRequestHeaders().getFirst("x-goog-api-key");
    if (key == null && ex.getRequestURI().getQuery() != null) {
      for (String p : ex.getRequestURI().getQuery().split("&")) {
        if (p.startsWith("key=")) {
          key = p.substring(4);
        }
      }
    }
    return key == null || key.isBlank() ? null : key.trim();
  }

  @Override
  Parsed parse(HttpExchange ex, String path, JsonNode root) {
    String model = path.substring("/v1beta/models/".length(), path.length() - BATCH.length());
    JsonNode requests = root.get("requests");
    if (!root.isObject() || requests == null || !requests.isArray()) {
      throw reject(
          Problem.BAD_REQUEST, Detail.of("* BatchEmbedContentsRequest.requests: required"));
    }
    if (requests.size() > Models.GEMINI_MAX_REQUESTS) {
      throw reject(
          Problem.TOO_MANY_INPUTS,
          new Detail(model, -1, requests.size(), Models.GEMINI_MAX_REQUESTS, null));
    }
    List<String> texts = new ArrayList<>(requests.size());
    String task = null;
    Integer dims = null;
    for (int i = 0; i < requests.size(); i++) {
      JsonNode r = requests.get(i);
      if (!("models/" + model).equals(text(r, "model"))) {
        throw reject(
            Problem.BAD_REQUEST,
            Detail.of(
                "* BatchEmbedContentsRequest.requests["
                    + i
                    + "].model: model must be models/"
                    + model
                    + ", as in the URL"));
      }
      JsonNode parts = r.path("content").path("parts");
      String text = parts.size() == 1 ? text(parts.get(0), "text") : null;
      texts.add(text);
      String t = text(r, "taskType");
      if (t != null && !TASKS.contains(t)) {
        throw reject(
            Problem.BAD_REQUEST,
            Detail.of(
                "Invalid value at 'requests["
                    + i
                    + "].task_type' (type.googleapis.com/google.ai.generativelanguage.v1beta.TaskType), \""
                    + t
                    + "\""));
      }
      if (i > 0 && !java.util.Objects.equals(t, task)) {
        throw reject(
            Problem.BAD_REQUEST, Detail.of("the emulator needs one taskType for a whole batch"));
      }
      task = t;
      Integer d = optionalInt(r, "outputDimensionality", model);
      if (i > 0 && !java.util.Objects.equals(d, dims)) {
        throw reject(
            Problem.BAD_REQUEST,
            Detail.of("the emulator needs one outputDimensionality for a whole batch"));
      }
      dims = d;
    }
    return new Parsed(model, texts, dims, task, false);
  }

  @Override
  Out write(Parsed p, int[] order, List<String> embedded, int dims, long tokens) {
    Out out = new Out(64 + order.length * (32 + dims * 13));
    out.raw("{\"embeddings\":[");
    for (int k = 0; k < order.length; k++) {
      out.raw(k == 0 ? "{\"values\":" : ",{\"values\":")
          .floats(vector(p, embedded, order[k], dims))
          .raw('}');
    }
    return out.raw("]}");
  }

  @Override
  Reply problem(Problem problem, Detail d) {
    switch (problem) {
      case NOT_FOUND:
        return google(404, "NOT_FOUND", "Requested entity was not found.", null);
      case MISSING_KEY:
        return google(
            403,
            "PERMISSION_DENIED",
            "Method doesn't allow unregistered callers (callers without established identity)."
                + " Please use API Key or other form of API consumer identity to call this API.",
            null);
      case BAD_KEY:
        return google(
            400,
            "INVALID_ARGUMENT",
            "API key not valid. Please pass a valid API key.",
            "API_KEY_INVALID");
      case QUOTA:
        return google(
            429,
            "RESOURCE_EXHAUSTED",
            "You exceeded your current quota, please check your plan and billing details.",
            null);
      case MODEL_NOT_FOUND:
        return google(
            404,
            "NOT_FOUND",
            "models/"
                + d.model()
                + " is not found for API version v1beta, or is not supported for"
                + " embedContent.",
            null);
      case TOO_MANY_INPUTS:
        return d.count() == 0
            ? google(
                400,
                "INVALID_ARGUMENT",
                "* BatchEmbedContentsRequest.requests: must not be empty",
                null)
            : google(
                400,
                "INVALID_ARGUMENT",
                "* BatchEmbedContentsRequest.requests: at most "
                    + d.limit()
                    + " requests can be in one batch\n",
                null);
      case EMPTY_TEXT:
        return google(
            400,
            "INVALID_ARGUMENT",
            "* BatchEmbedContentsRequest.requests["
                + d.index()
                + "].content.parts[0].text: must not be empty\n",
            null);
      case TOO_LONG:
        return google(
            400,
            "INVALID_ARGUMENT",
            "* BatchEmbedContentsRequest.requests["
                + d.index()
                + "]: The input token count ("
                + d.count()
                + ") exceeds the maximum number of tokens allowed ("
                + d.limit()
                + ").",
            null);
      case BAD_DIMENSIONS:
        return google(
            400,
            "INVALID_ARGUMENT",
            "* BatchEmbedContentsRequest.requests[0].output_dimensionality: must be between 128 and "
                + d.limit()
                + ", was "
                + d.count(),
            null);
      default:
        return google(
            400,
            "INVALID_ARGUMENT",
            d.text() == null ? "Request contains an invalid argument." : d.text(),
            null);
    }
  }

  @Override
  Reply rateLimited(RateLimiter.Outcome o, String model) {
    ObjectNode root = Json.object();
    ObjectNode e = root.putObject("error");
    e.put("code", 429)
        .put(
            "message",
            "Resource has been exhausted (e.g. check quota). Quota exceeded for metric:"
                + " generativelanguage.googleapis.com/embed_content_"
                + (o.verdict() == RateLimiter.Verdict.REQUESTS ? "requests" : "input_token_count")
                + ", limit: "
                + o.limit())
        .put("status", "RESOURCE_EXHAUSTED");
    if (o.verdict() != RateLimiter.Verdict.TOO_LARGE) {
      long ms = Math.max(1, o.retryAfterMs());
      e.putArray("details")
          .addObject()
          .put("@type", "type.googleapis.com/google.rpc.RetryInfo")
          .put("retryDelay", (ms / 1000) + "." + String.format("%03d", ms % 1000) + "s");
    }
    return new Reply(429, Json.bytes(root));
  }

  @Override
  Reply serverError(int status) {
    return google(
        status,
        status == 503 ? "UNAVAILABLE" : "INTERNAL",
        status == 503
            ? "The model is overloaded. Please try again later."
            : "Internal error encountered.",
        null);
  }

  @Override
  void addHeaders(Headers h, long elapsedMs) {
    h.set("x-goog-request-id", requestId());
  }

  private static Reply google(int status, String code, String message, String reason) {
    ObjectNode root = Json.object();
    ObjectNode e = root.putObject("error");
    e.put("code", status).put("message", message).put("status", code);
    if (reason != null) {
      ArrayNode details = e.putArray("details");
      details
          .addObject()
          .put("@type", "type.googleapis.com/google.rpc.ErrorInfo")
          .put("reason", reason)
          .put("domain", "googleapis.com");
    }
    return new Reply(status, Json.bytes(root));
  }
}
