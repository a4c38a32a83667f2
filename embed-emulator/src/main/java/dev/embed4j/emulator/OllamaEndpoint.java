package dev.embed4j.emulator;

import com.fasterxml.jackson.databind.JsonNode;
import com.sun.net.httpserver.Headers;
import com.sun.net.httpserver.HttpExchange;
import java.util.List;

/**
 * Ollama under {@code /ollama}: {@code POST /api/embed}; keyless unless the emulator was given keys
 * (then a bearer key, as a proxy in front of Ollama would check); {@code input} a string or an
 * array of non-empty strings; {@code truncate} (default true: texts over the model's context are
 * cut); the pulled models nomic-embed-text, mxbai-embed-large, all-minilm, bge-m3 and
 * embeddinggemma. The reply has {@code embeddings}, {@code prompt_eval_count} (the tokens) and
 * durations; errors are {@code {"error": "..."}}.
 */
final class OllamaEndpoint extends ListEndpoint {
  static final String PREFIX = "/ollama";

  OllamaEndpoint(Config config, Stats stats, FaultPlan faults, RateLimiter limiter) {
    super(PREFIX, Models.Provider.OLLAMA, config, stats, faults, limiter);
  }

  @Override
  boolean routes(String path) {
    return path.equals("/api/embed");
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
    String model = text(root, "model");
    if (model == null) {
      throw reject(Problem.BAD_REQUEST, Detail.of("model is required"));
    }
    String base = model.endsWith(":latest") ? model.substring(0, model.length() - 7) : model;
    JsonNode t = root.get("truncate");
    return new Parsed(
        base,
        textList(root, "input", base),
        optionalInt(root, "dimensions", base),
        null,
        t == null || t.isNull() || t.asBoolean(true));
  }

  @Override
  Out write(Parsed p, int[] order, List<String> embedded, int dims, long tokens) {
    Out out = new Out(128 + order.length * (dims * 13 + 4));
    out.raw("{\"model\":").string(p.model()).raw(",\"embeddings\":[");
    for (int k = 0; k < order.length; k++) {
      if (k > 0) {
        out.raw(',');
      }
      out.floats(vector(p, embedded, order[k], dims));
    }
    return out.raw("],\"total_duration\":")
        .number(1_000_000L + tokens * 1000)
        .raw(",\"load_duration\":1000,\"prompt_eval_count\":")
        .number(tokens)
        .raw('}');
  }

  @Override
  Reply problem(Problem problem, Detail d) {
    switch (problem) {
      case NOT_FOUND:
        return error(404, "404 page not found");
      case MISSING_KEY:
      case BAD_KEY:
      case QUOTA:
        return error(401, "unauthorized");
      case MODEL_NOT_FOUND:
        return error(404, "model \"" + d.model() + "\" not found, try pulling it first");
      case TOO_MANY_INPUTS:
      case EMPTY_TEXT:
        return error(400, "invalid input: every input must be a non-empty string");
      case TOO_LONG:
        return error(400, "the input length exceeds the context length");
      case BAD_DIMENSIONS:
        return error(400, "dimensions " + d.count() + " is not supported by " + d.model());
      default:
        return error(400, d.text() == null ? "invalid request" : d.text());
    }
  }

  @Override
  Reply rateLimited(RateLimiter.Outcome o, String model) {
    Reply r = error(503, "server busy, please try again.  maximum pending requests exceeded");
    return r;
  }

  @Override
  Reply serverError(int status) {
    return error(status, "llama runner process has terminated: exit status 2");
  }

  @Override
  void addHeaders(Headers h, long elapsedMs) {}

  private static Reply error(int status, String message) {
    return new Reply(status, Json.bytes(Json.object().put("error", message)));
  }
}
