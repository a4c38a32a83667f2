package dev.embed4j.emulator;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.Headers;
import com.sun.net.httpserver.HttpExchange;
import java.io.IOException;
import java.util.List;

/** {@code POST /v1/embeddings} as OpenAI serves it. */
final class OpenAiEndpoint extends Endpoint {

  static final String PATH = "/v1/embeddings";
  private static final String INVALID_INPUT =
      "'$.input' is invalid. Please check the API "
          + "reference: https://platform.openai.com/docs/api-reference.";
  private static final String RATE_LIMITS_URL =
      "Visit https://platform.openai.com/account/rate-limits to learn more.";

  OpenAiEndpoint(Config config, Stats stats, FaultPlan faults, RateLimiter limiter) {
    super(config, stats, faults, limiter);
  }

  @Override
  void addHeaders(Headers h, long elapsedMs) {
    h.set("x-request-id", "req_" + requestId());
    h.set("openai-processing-ms", Long.toString(elapsedMs));
    h.set("openai-version", "2020-10-01");
  }

  @Override
  Reply process(HttpExchange ex, byte[] body) {
    if (!"POST".equals(ex.getRequestMethod()) || !PATH.equals(ex.getRequestURI().getPath())) {
      throw notFound(ex);
    }
    String key = bearer(ex);
    if (key == null) {
      throw reject(
          401,
          "You didn't provide an API key. You need to provide your API key in an "
              + "Authorization header using Bearer auth (i.e. Authorization: Bearer YOUR_KEY). You "
              + "can obtain an API key from https://platform.openai.com/account/api-keys.",
          "invalid_request_error",
          null,
          "invalid_api_key");
    }
    if (!accepted(key)) {
      throw reject(
          401,
          "Incorrect API key provided: "
              + mask(key)
              + ". You can find your API "
              + "key at https://platform.openai.com/account/api-keys.",
          "invalid_request_error",
          null,
          "invalid_api_key");
    }
    if (config.exhaustedKeys().contains(key)) {
      throw reject(
          429,
          "You exceeded your current quota, please check your plan and billing "
              + "details. For more information on this error, read the docs: "
              + "https://platform.openai.com/docs/guides/error-codes/api-errors.",
          "insufficient_quota",
          null,
          "insufficient_quota");
    }
    JsonNode root;
    try {
      root = Json.parse(body);
    } catch (IOException e) {
      throw reject(
          400,
          "We could not parse the JSON body of your request. (HINT: This likely "
              + "means you aren't using your HTTP library correctly. The OpenAI API expects a JSON "
              + "payload, but what was sent was not valid JSON.)",
          "invalid_request_error",
          null,
          null);
    }
    if (!root.isObject()) {
      throw reject(
          400,
          "Invalid type for request body: expected an object.",
          "invalid_request_error",
          null,
          "invalid_type");
    }
    return embeddings(root, key, false);
  }

  /**
   * Answers an embeddings body: validates it and builds the reply. A line of a Batch API job
   * ({@code batchLine}) draws no fault, passes no rate limiter, is not counted in {@link
   * Stats#batchSizes()} and bills nothing here (the batch bills it at the batch price when it
   * ends).
   *
   * @throws Reply.Rejection with the error reply of an invalid body
   */
  Reply embeddings(JsonNode root, String key, boolean batchLine) {
    String model = text(root, "model");
    if (model == null) {
      throw reject(400, "you must provide a model parameter", "invalid_request_error", null, null);
    }
    JsonNode input = root.get("input");
    if (input == null || input.isNull()) {
      throw reject(400, "'input' is a required property", "invalid_request_error", null, null);
    }
    List<String> inputs;
    if (input.isTextual()) {
      inputs = List.of(input.textValue());
    } else if (input.isArray()) {
      inputs = texts(input);
    } else {
      throw invalidInput();
    }
    if (!batchLine) {
      stats.batch(inputs.size());
    }
    if (inputs.isEmpty() || inputs.size() > Models.OPENAI_MAX_INPUTS) {
      throw invalidInput();
    }
    for (String s : inputs) {
      if (s == null || s.isEmpty()) {
        throw invalidInput();
      }
    }
    Models.Spec spec = Models.find(model, Models.Provider.OPENAI);
    if (spec == null) {
      throw reject(
          404,
          "The model `" + model + "` does not exist or you do not have access " + "to it.",
          "invalid_request_error",
          null,
          "model_not_found");
    }
    boolean base64 = encodingFormat(root);
    int dims = dimensions(root, spec);

    long total = 0;
    for (String s : inputs) {
      int n = tokens(s);
      if (n > spec.maxTokensPerInput()) {
        throw reject(
            400,
            "This model's maximum context length is "
                + spec.maxTokensPerInput()
                + " tokens, however you requested "
                + n
                + " tokens ("
                + n
                + " in your prompt; 0 "
                + "for the completion). Please reduce your prompt; or completion length.",
            "invalid_request_error",
            null,
            null);
      }
      total += n;
    }
    if (total > Models.OPENAI_MAX_TOKENS_PER_REQUEST) {
      throw reject(
          400,
          "Requested "
              + total
              + " tokens, max "
              + Models.OPENAI_MAX_TOKENS_PER_REQUEST
              + " tokens per request",
          "max_tokens_per_request",
          null,
          "max_tokens_per_request");
    }

    if (batchLine) {
      Out out = body(inputs, model, dims, base64, total, null);
      Reply r = new Reply(200, out.array(), out.length());
      r.billModel = model;
      r.billTokens = total;
      r.billInputs = inputs.size();
      return r;
    }
    FaultPlan.Draw draw = faults.draw();
    if (draw.kind() != null) {
      Reply r = fault(draw);
      if (r != null) {
        return r;
      }
    }
    RateLimiter.Outcome limit = null;
    if (limiter.enabled() && draw.kind() == null) {
      limit = limiter.acquire("openai\u0000" + key + "\u0000" + model, total, inputs.size());
      if (limit.verdict() != RateLimiter.Verdict.OK) {
        throw rateLimited(model, limit);
      }
    }
    Out json =
        body(inputs, model, dims, base64 && !config.ignoreEncodingFormat(), total, draw.kind());
    Reply r = success(json, draw, model, total, inputs.size());
    if (limit != null) {
      r.headers.putAll(limit.headers());
    }
    return r;
  }

  private Out body(
      List<String> inputs, String model, int dims, boolean base64, long tokens, Faults.Kind fault) {
    int n = inputs.size();
    Out out = new Out(128 + n * (64 + (base64 ? (dims * 4 + 2) / 3 * 4 : dims * 13)));
    int[] order = order(n, config.shuffleOrder());
    int items =
        fault == Faults.Kind.WRONG_COUNT
            ? n - 1
            : fault == Faults.Kind.DUPLICATE_INDEX ? Math.max(n, 2) : n;
    out.raw("{\"object\":\"list\",\"data\":[");
    for (int p = 0; p < items; p++) {
      int i = order[Math.min(p, n - 1)];
      int index = fault == Faults.Kind.DUPLICATE_INDEX && p == items - 1 ? order[0] : i;
      float[] v = Vectors.vector(model, null, inputs.get(i), dims);
      out.raw(p == 0 ? "{" : ",{")
          .raw("\"object\":\"embedding\",\"index\":")
          .number(index)
          .raw(",\"embedding\":");
      if (base64) {
        out.base64(v);
      } else {
        out.floats(v);
      }
      out.raw('}');
    }
    out.raw("],\"model\":")
        .string(model)
        .raw(",\"usage\":{\"prompt_tokens\":")
        .number(tokens)
        .raw(",\"total_tokens\":")
        .number(tokens)
        .raw("}}");
    return out;
  }

  private boolean encodingFormat(JsonNode root) {
    JsonNode f = root.get("encoding_format");
    if (f == null || f.isNull() || "float".equals(f.asText())) {
      return false;
    }
    if (f.isTextual() && "base64".equals(f.textValue())) {
      return true;
    }
    throw reject(
        400,
        "Invalid value: '" + f.asText() + "'. Supported values are: 'float' and " + "'base64'.",
        "invalid_request_error",
        "encoding_format",
        "invalid_value");
  }

  private int dimensions(JsonNode root, Models.Spec spec) {
    JsonNode d = root.get("dimensions");
    if (d == null || d.isNull()) {
      return spec.nativeDims();
    }
    if (!spec.reducible()) {
      throw reject(
          400,
          "This model does not support specifying dimensions.",
          "invalid_request_error",
          null,
          null);
    }
    if (!d.isIntegralNumber() || !d.canConvertToInt()) {
      throw reject(
          400,
          "Invalid type for 'dimensions': expected an integer, but got "
              + (d.isTextual() ? "a string" : "a " + d.getNodeType().name().toLowerCase())
              + " instead.",
          "invalid_request_error",
          "dimensions",
          "invalid_type");
    }
    int v = d.intValue();
    if (v < 1) {
      throw reject(
          400,
          "Invalid 'dimensions': integer below minimum value. Expected a value "
              + ">= 1, but got "
              + v
              + " instead.",
          "invalid_request_error",
          "dimensions",
          "integer_below_min_value");
    }
    if (v > spec.nativeDims()) {
      throw reject(
          400,
          "Invalid 'dimensions': integer above maximum value. Expected a value "
              + "<= "
              + spec.nativeDims()
              + ", but got "
              + v
              + " instead.",
          "invalid_request_error",
          "dimensions",
          "integer_above_max_value");
    }
    return v;
  }

  private Reply.Rejection rateLimited(String model, RateLimiter.Outcome o) {
    String org = "in organization org-emulator on ";
    if (o.verdict() == RateLimiter.Verdict.TOO_LARGE) {
      return reject(
          429,
          "Request too large for "
              + model
              + " "
              + org
              + "tokens per min (TPM): "
              + "Limit "
              + o.limit()
              + ", Requested "
              + o.requested()
              + ". The input or output "
              + "tokens must be reduced in order to run successfully. "
              + RATE_LIMITS_URL,
          "tokens",
          null,
          "rate_limit_exceeded");
    }
    boolean requests = o.verdict() == RateLimiter.Verdict.REQUESTS;
    Reply.Rejection r =
        reject(
            429,
            "Rate limit reached for "
                + model
                + " "
                + org
                + (requests ? "requests per min (RPM)" : "tokens per min (TPM)")
                + ": Limit "
                + o.limit()
                + ", Used "
                + o.used()
                + ", Requested "
                + o.requested()
                + ". Please try again in "
                + RateLimiter.goDuration(o.retryAfterMs())
                + ". "
                + RATE_LIMITS_URL,
            requests ? "requests" : "tokens",
            null,
            "rate_limit_exceeded");
    r.reply.headers.putAll(limiter.retryHeaders(o, true));
    r.reply.headers.putAll(o.headers());
    stats.rateLimitHit();
    return r;
  }

  @Override
  Reply serverError(int status) {
    switch (status) {
      case 502:
        return error(502, "Bad gateway.", "cf_bad_gateway", null, null, 502);
      case 503:
        return error(
            503,
            "The engine is currently overloaded, please try again later.",
            "server_error",
            null,
            null,
            null);
      default:
        return error(
            500,
            "The server had an error while processing your request. Sorry " + "about that!",
            "server_error",
            null,
            null,
            null);
    }
  }

  private Reply.Rejection notFound(HttpExchange ex) {
    return reject(
        404,
        "Invalid URL (" + ex.getRequestMethod() + " " + ex.getRequestURI().getPath() + ")",
        "invalid_request_error",
        null,
        null);
  }

  private static Reply.Rejection invalidInput() {
    return reject(400, INVALID_INPUT, "invalid_request_error", null, null);
  }

  private static Reply.Rejection reject(
      int status, String message, String type, String param, String code) {
    return new Reply.Rejection(error(status, message, type, param, code, null));
  }

  /** The OpenAI error body; {@code numericCode} replaces {@code code} when non-null. */
  static Reply error(
      int status, String message, String type, String param, String code, Integer numericCode) {
    ObjectNode root = Json.object();
    ObjectNode e = root.putObject("error");
    e.put("message", message);
    e.put("type", type);
    e.put("param", param);
    if (numericCode != null) {
      e.put("code", numericCode);
    } else {
      e.put("code", code);
    }
    return new Reply(status, Json.bytes(root));
  }

  private static String mask(String key) {
    return key.length() <= 8
        ? "***"
        : key.substring(0, 3)
            + "*".repeat(Math.min(20, key.length() - 7))
            + key.substring(key.length() - 4);
  }
}
