package dev.embed4j.emulator;

import com.fasterxml.jackson.databind.JsonNode;
import com.sun.net.httpserver.Headers;
import com.sun.net.httpserver.HttpExchange;
import java.util.List;
import java.util.Set;

/**
 * Voyage AI under {@code /voyage}: {@code POST /v1/embeddings} with a bearer key; {@code input} 1
 * to 1,000 non-empty texts; {@code input_type} null, {@code query} or {@code document}; {@code
 * truncation} (default true: over-long texts are cut to the 32,000-token context); {@code
 * output_dimension} 256, 512, 1024 or 2048; {@code output_dtype} {@code float}; tokens per request
 * at most 120,000 (voyage-4-large, voyage-3-large, voyage-code-3), 320,000 (voyage-4, voyage-3.5)
 * or 1,000,000 (the lite models). Errors are FastAPI's {@code {"detail": "..."}}.
 */
final class VoyageEndpoint extends ListEndpoint {
  static final String PREFIX = "/voyage";
  private static final Set<String> INPUT_TYPES = Set.of("query", "document");

  VoyageEndpoint(Config config, Stats stats, FaultPlan faults, RateLimiter limiter) {
    super(PREFIX, Models.Provider.VOYAGE, config, stats, faults, limiter);
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
      throw reject(Problem.BAD_REQUEST, Detail.of("Field 'model' is required."));
    }
    String inputType = text(root, "input_type");
    if (inputType != null && !INPUT_TYPES.contains(inputType)) {
      throw reject(
          Problem.BAD_REQUEST,
          Detail.of(
              "Value '"
                  + inputType
                  + "' supplied for argument 'input_type' is not valid."
                  + " Valid options are: None, 'query', 'document'."));
    }
    String dtype = text(root, "output_dtype");
    if (dtype != null && !dtype.equals("float")) {
      throw reject(
          Problem.BAD_REQUEST,
          Detail.of("The emulator returns only float embeddings: output_dtype must be 'float'."));
    }
    JsonNode t = root.get("truncation");
    boolean truncate = t == null || t.isNull() || t.asBoolean(true);
    return new Parsed(
        model,
        textList(root, "input", model),
        optionalInt(root, "output_dimension", model),
        inputType,
        truncate);
  }

  @Override
  Out write(Parsed p, int[] order, List<String> embedded, int dims, long tokens) {
    return openAiShaped(p, order, embedded, dims, tokens, false, false);
  }

  @Override
  Reply problem(Problem problem, Detail d) {
    switch (problem) {
      case NOT_FOUND:
        return detail(404, "Not Found");
      case MISSING_KEY:
        return detail(
            401,
            "No API key provided. You can get one at https://dashboard.voyageai.com/organization/api-keys.");
      case BAD_KEY:
        return detail(401, "Provided API key is invalid.");
      case QUOTA:
        return detail(
            403, "Your organization has reached its usage limit. Please add a payment method.");
      case MODEL_NOT_FOUND:
        return detail(
            400, "Model " + d.model() + " is not supported. Please see https://docs.voyageai.com.");
      case TOO_MANY_INPUTS:
        return d.count() == 0
            ? detail(400, "Input cannot contain empty strings or empty lists.")
            : detail(
                400,
                "The batch size limit is " + d.limit() + ". Your batch size is " + d.count() + ".");
      case EMPTY_TEXT:
        return detail(400, "Input cannot contain empty strings or empty lists.");
      case TOO_LONG:
        return detail(
            400,
            "Request to model '"
                + d.model()
                + "' failed. Input text at index "
                + d.index()
                + " has "
                + d.count()
                + " tokens, over the context length of "
                + d.limit()
                + ". Shorten it or set truncation to true.");
      case TOO_MANY_TOKENS:
        return detail(
            400,
            "Request to model '"
                + d.model()
                + "' failed. The max allowed tokens per submitted batch is "
                + d.limit()
                + ". Your batch has "
                + d.count()
                + " tokens after truncation. Please lower the number of tokens in the batch.");
      case BAD_DIMENSIONS:
        return detail(
            400,
            "Value '"
                + d.count()
                + "' supplied for argument 'output_dimension' is not valid for model '"
                + d.model()
                + "'. Valid options are: None, 256, 512, 1024, 2048.");
      default:
        return detail(400, d.text() == null ? "Bad request" : d.text());
    }
  }

  @Override
  Reply rateLimited(RateLimiter.Outcome o, String model) {
    Reply r =
        detail(
            429,
            "You have exceeded the rate limit of "
                + o.limit()
                + (o.verdict() == RateLimiter.Verdict.REQUESTS ? " RPM" : " TPM")
                + " for "
                + model
                + ". Please retry after a short wait.");
    if (o.verdict() != RateLimiter.Verdict.TOO_LARGE) {
      r.headers.putAll(limiter.retryHeaders(o, false));
    }
    return r;
  }

  @Override
  Reply serverError(int status) {
    return detail(status, status == 503 ? "Service Unavailable" : "Internal Server Error");
  }

  @Override
  void addHeaders(Headers h, long elapsedMs) {
    h.set("x-request-id", requestId());
  }

  static Reply detail(int status, String message) {
    return new Reply(status, Json.bytes(Json.object().put("detail", message)));
  }
}
