package dev.embed4j.emulator;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Azure OpenAI under {@code /azure}: {@code POST /openai/deployments/{deployment}/embeddings?
 * api-version=...} (each deployment named as the OpenAI model it serves) and {@code POST
 * /openai/v1/embeddings} (the deployment in {@code model}); the key in {@code api-key} or a bearer
 * token in {@code Authorization}. OpenAI's body and limits (2,048 inputs, 8,192 tokens per input,
 * 300,000 per request); Azure's error bodies ({@code {"error":{"code","message"}}}), its 429 saying
 * "Please retry after N seconds" with {@code retry-after} and its {@code x-ratelimit-*} headers.
 */
final class AzureOpenAiEndpoint extends ListEndpoint {
  static final String PREFIX = "/azure";

  AzureOpenAiEndpoint(Config config, Stats stats, FaultPlan faults, RateLimiter limiter) {
    super(PREFIX, Models.Provider.OPENAI, config, stats, faults, limiter);
  }

  @Override
  boolean routes(String path) {
    return path.equals("/openai/v1/embeddings") || deployment(path) != null;
  }

  private static String deployment(String path) {
    String[] s = path.split("/");
    return s.length == 5
            && s[1].equals("openai")
            && s[2].equals("deployments")
            && s[4].equals("embeddings")
            && !s[3].isEmpty()
        ? s[3]
        : null;
  }

  @Override
  String key(HttpExchange ex) {
    String key = ex.getRequestHeaders().getFirst("api-key");
    return key != null && !key.isBlank() ? key.trim() : bearer(ex);
  }

  @Override
  Parsed parse(HttpExchange ex, String path, JsonNode root) {
    String deployment = deployment(path);
    String query = ex.getRequestURI().getQuery();
    if (deployment != null && (query == null || !query.contains("api-version="))) {
      throw reject(Problem.NOT_FOUND, Detail.of("api-version"));
    }
    if (!root.isObject()) {
      throw reject(Problem.BAD_JSON, Detail.of("not an object"));
    }
    String model = deployment != null ? deployment : text(root, "model");
    if (model == null) {
      throw reject(Problem.BAD_REQUEST, Detail.of("you must provide a model parameter"));
    }
    JsonNode f = root.get("encoding_format");
    String format = f == null || f.isNull() ? "float" : f.asText();
    if (!format.equals("float") && !format.equals("base64")) {
      throw reject(
          Problem.BAD_REQUEST, Detail.of("Invalid value for 'encoding_format': " + format));
    }
    List<String> texts = textList(root, "input", model);
    Integer dims = optionalInt(root, "dimensions", model);
    return new Parsed(model, texts, dims, format, false);
  }

  @Override
  Out write(Parsed p, int[] order, List<String> embedded, int dims, long tokens) {
    boolean base64 = "base64".equals(p.inputType()) && !config.ignoreEncodingFormat();
    Parsed plain = new Parsed(p.model(), p.texts(), p.dims(), null, p.truncate());
    return openAiShaped(plain, order, embedded, dims, tokens, base64, true);
  }

  @Override
  boolean sendsRemainingHeaders() {
    return true;
  }

  @Override
  void successHeaders(Map<String, String> h, Parsed p, long tokens) {
    h.put("apim-request-id", requestId());
    h.put("x-ms-region", "East US");
  }

  @Override
  Reply problem(Problem problem, Detail d) {
    switch (problem) {
      case NOT_FOUND:
        return azure(404, "404", "Resource not found");
      case MISSING_KEY:
        return azure(
            401,
            "401",
            "Access denied due to missing subscription key. Make sure to include subscription key"
                + " when making requests to an API.");
      case BAD_KEY:
        return azure(
            401,
            "401",
            "Access denied due to invalid subscription key or wrong API endpoint. Make sure to"
                + " provide a valid key for an active subscription and use a correct regional API"
                + " endpoint for your resource.");
      case QUOTA:
        return azure(
            403,
            "403",
            "Access denied due to Virtual Network/Firewall rules or an exhausted quota.");
      case MODEL_NOT_FOUND:
        return azure(
            404,
            "DeploymentNotFound",
            "The API deployment for this resource does not exist. If you created the deployment"
                + " within the last 5 minutes, please wait a moment and try again.");
      case TOO_MANY_INPUTS:
        return openAi(
            400,
            d.count() == 0
                ? "'$.input' is invalid."
                : "Too many inputs. The max number of inputs is "
                    + d.limit()
                    + ". We recommend sending fewer inputs per request.");
      case TOO_MANY_TOKENS:
        return openAi(
            400, "Requested " + d.count() + " tokens, max " + d.limit() + " tokens per request");
      case TOO_LONG:
        return openAi(
            400,
            "This model's maximum context length is "
                + d.limit()
                + " tokens, however you requested "
                + d.count()
                + " tokens (input "
                + d.index()
                + "). Please reduce your input.");
      case EMPTY_TEXT:
        return openAi(400, "'$.input' is invalid. Please check the API reference.");
      case BAD_DIMENSIONS:
        return openAi(400, "Invalid 'dimensions' for model " + d.model() + ": " + d.count());
      default:
        return openAi(400, d.text() == null ? "Bad request" : d.text());
    }
  }

  @Override
  Reply rateLimited(RateLimiter.Outcome o, String model) {
    long seconds = Math.max(1, (o.retryAfterMs() + 999) / 1000);
    Reply r =
        azure(
            429,
            "429",
            "Requests to the Embeddings_Create Operation under Azure OpenAI API version 2024-10-21"
                + " have exceeded "
                + (o.verdict() == RateLimiter.Verdict.REQUESTS
                    ? "call rate limit"
                    : "token rate limit")
                + " of your current OpenAI S0 pricing tier. Please retry after "
                + seconds
                + " second"
                + (seconds == 1 ? "" : "s")
                + ". Please go here: https://aka.ms/oai/quotaincrease if you would like to further"
                + " increase the default rate limit.");
    if (o.verdict() != RateLimiter.Verdict.TOO_LARGE) {
      r.headers.put("retry-after", Long.toString(seconds));
      putRemaining(r.headers, o.headers());
    }
    return r;
  }

  @Override
  Reply serverError(int status) {
    return azure(
        status,
        status == 503 ? "ServiceUnavailable" : "InternalServerError",
        "The server had an error while processing your request.");
  }

  @Override
  void addHeaders(com.sun.net.httpserver.Headers h, long elapsedMs) {
    h.set("x-request-id", requestId().toLowerCase(Locale.ROOT));
  }

  private static Reply azure(int status, String code, String message) {
    ObjectNode root = Json.object();
    root.putObject("error").put("code", code).put("message", message);
    return new Reply(status, Json.bytes(root));
  }

  private static Reply openAi(int status, String message) {
    ObjectNode root = Json.object();
    ObjectNode e = root.putObject("error");
    e.put("message", message).put("type", "invalid_request_error").putNull("param").putNull("code");
    return new Reply(status, Json.bytes(root));
  }
}
