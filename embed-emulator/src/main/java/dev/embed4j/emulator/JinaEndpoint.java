package dev.embed4j.emulator;

import com.fasterxml.jackson.databind.JsonNode;
import com.sun.net.httpserver.Headers;
import com.sun.net.httpserver.HttpExchange;
import java.util.List;
import java.util.Set;

/**
 * Jina AI under {@code /jina}: {@code POST /v1/embeddings} with a bearer key; jina-embeddings-v3
 * (1024 dims, {@code dimensions} 32 to 1024); {@code task} one of retrieval.query,
 * retrieval.passage, text-matching, classification, separation (the vector depends on it); {@code
 * normalized}, {@code embedding_type} {@code float}, {@code truncate} (default false); at most
 * 2,048 inputs and 8,192 tokens per input. Errors are FastAPI's {@code {"detail": "..."}}.
 */
final class JinaEndpoint extends ListEndpoint {
  static final String PREFIX = "/jina";
  private static final Set<String> TASKS =
      Set.of(
          "retrieval.query", "retrieval.passage", "text-matching", "classification", "separation");

  JinaEndpoint(Config config, Stats stats, FaultPlan faults, RateLimiter limiter) {
    super(PREFIX, Models.Provider.JINA, config, stats, faults, limiter);
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
      throw reject(Problem.BAD_REQUEST, Detail.of("body.model: Field required"));
    }
    String task = text(root, "task");
    if (task != null && !TASKS.contains(task)) {
      throw reject(
          Problem.BAD_REQUEST,
          Detail.of("body.task: Input should be one of " + new java.util.TreeSet<>(TASKS)));
    }
    String type = text(root, "embedding_type");
    if (type != null && !type.equals("float")) {
      throw reject(
          Problem.BAD_REQUEST,
          Detail.of("The emulator returns only floats: embedding_type " + type));
    }
    JsonNode t = root.get("truncate");
    return new Parsed(
        model,
        textList(root, "input", model),
        optionalInt(root, "dimensions", model),
        task,
        t != null && t.asBoolean(false));
  }

  @Override
  boolean sendsRemainingHeaders() {
    return true;
  }

  @Override
  Out write(Parsed p, int[] order, List<String> embedded, int dims, long tokens) {
    return openAiShaped(p, order, embedded, dims, tokens, false, false);
  }

  @Override
  Reply problem(Problem problem, Detail d) {
    switch (problem) {
      case NOT_FOUND:
        return VoyageEndpoint.detail(404, "Not Found");
      case MISSING_KEY:
        return VoyageEndpoint.detail(401, "Authentication required: no API key was provided.");
      case BAD_KEY:
        return VoyageEndpoint.detail(401, "Invalid API key. Get a valid one at https://jina.ai.");
      case QUOTA:
        return VoyageEndpoint.detail(
            402, "Insufficient account balance. Top up at https://jina.ai.");
      case MODEL_NOT_FOUND:
        return VoyageEndpoint.detail(400, "Model '" + d.model() + "' not found");
      case TOO_MANY_INPUTS:
        return d.count() == 0
            ? VoyageEndpoint.detail(400, "No input provided")
            : VoyageEndpoint.detail(
                400,
                "Number of input texts exceeds the maximum of "
                    + d.limit()
                    + ": got "
                    + d.count()
                    + ".");
      case EMPTY_TEXT:
        return VoyageEndpoint.detail(
            400, "Input at index " + d.index() + " is empty: every input must be non-empty.");
      case TOO_LONG:
        return VoyageEndpoint.detail(
            400,
            "Input at index "
                + d.index()
                + " has "
                + d.count()
                + " tokens, which exceeds the maximum of "
                + d.limit()
                + ". Set truncate to true or shorten it.");
      case TOO_MANY_TOKENS:
        return VoyageEndpoint.detail(
            400, "Too many tokens in the request: " + d.count() + " > " + d.limit() + ".");
      case BAD_DIMENSIONS:
        return VoyageEndpoint.detail(
            422,
            "dimensions must be between 32 and "
                + d.limit()
                + " for "
                + d.model()
                + ": got "
                + d.count());
      default:
        return VoyageEndpoint.detail(422, d.text() == null ? "Bad request" : d.text());
    }
  }

  @Override
  Reply rateLimited(RateLimiter.Outcome o, String model) {
    Reply r =
        VoyageEndpoint.detail(
            429,
            "Rate limit exceeded: "
                + o.limit()
                + (o.verdict() == RateLimiter.Verdict.REQUESTS ? " requests" : " tokens")
                + " per minute.");
    if (o.verdict() != RateLimiter.Verdict.TOO_LARGE) {
      r.headers.putAll(limiter.retryHeaders(o, false));
    }
    return r;
  }

  @Override
  Reply serverError(int status) {
    return VoyageEndpoint.detail(status, "Internal Server Error");
  }

  @Override
  void addHeaders(Headers h, long elapsedMs) {
    h.set("x-request-id", requestId());
  }
}
