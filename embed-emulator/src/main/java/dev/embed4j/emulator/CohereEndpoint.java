package dev.embed4j.emulator;

import com.fasterxml.jackson.databind.JsonNode;
import com.sun.net.httpserver.Headers;
import com.sun.net.httpserver.HttpExchange;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.UUID;

/**
 * {@code POST /v2/embed} as Cohere serves it: float embeddings of {@code texts}, {@code images} or
 * {@code inputs} ({@link CohereContent}), image tokens billed apart.
 */
final class CohereEndpoint extends Endpoint {

  static final String PATH = "/v2/embed";
  private static final Set<String> INPUT_TYPES =
      Set.of("search_document", "search_query", "classification", "clustering", "image");
  private static final Set<String> EMBEDDING_TYPES =
      Set.of("float", "int8", "uint8", "binary", "ubinary", "base64");
  private static final String UPGRADE =
      ". You can continue to use the Trial key for free or "
          + "upgrade to a Production key with higher rate limits at "
          + "'https://dashboard.cohere.com/api-keys'. Contact us on 'https://discord.gg/XW44jPfYJu' "
          + "or email us at support@cohere.com with any questions";

  CohereEndpoint(Config config, Stats stats, FaultPlan faults, RateLimiter limiter) {
    super(config, stats, faults, limiter);
  }

  @Override
  void addHeaders(Headers h, long elapsedMs) {
    h.set("x-debug-trace-id", requestId());
  }

  @Override
  Reply process(HttpExchange ex, byte[] body) {
    if (!"POST".equals(ex.getRequestMethod()) || !PATH.equals(ex.getRequestURI().getPath())) {
      throw reject(404, "Not Found");
    }
    String key = bearer(ex);
    if (key == null) {
      throw reject(401, "no api key supplied");
    }
    if (!accepted(key)) {
      throw reject(401, "invalid api token");
    }
    if (config.exhaustedKeys().contains(key)) {
      throw reject(
          429, "You are using a Trial key, which is limited to 1000 API calls / month" + UPGRADE);
    }
    JsonNode root;
    try {
      root = Json.parse(body);
    } catch (IOException e) {
      throw reject(400, "invalid request: could not parse the request body as JSON");
    }
    if (!root.isObject()) {
      throw reject(400, "invalid request: the request body must be a JSON object");
    }
    String model = text(root, "model");
    if (model == null) {
      throw reject(400, "invalid request: model must be provided");
    }
    List<CohereContent.Item> items = CohereContent.read(root, this::tokens);
    stats.batch(items.size());
    if (items.isEmpty()) {
      throw reject(400, "invalid request: texts must contain at least one text");
    }
    if (items.size() > Models.COHERE_MAX_TEXTS) {
      throw reject(
          400,
          "invalid request: total number of texts must be at most "
              + Models.COHERE_MAX_TEXTS
              + " - received "
              + items.size());
    }
    Models.Spec spec = Models.find(model, Models.Provider.COHERE);
    if (spec == null) {
      throw reject(
          404,
          "model '"
              + model
              + "' not found, make sure the correct model ID was "
              + "used and that you have access to the model.");
    }
    String inputType = text(root, "input_type");
    if (inputType == null || !INPUT_TYPES.contains(inputType)) {
      throw reject(
          400, "invalid request: valid input_type must be provided with the provided " + "model");
    }
    embeddingTypes(root);
    int dims = outputDimension(root, spec);
    images(items, spec);
    String truncate = text(root, "truncate");
    if (truncate == null) {
      truncate = "END";
    } else if (!Set.of("NONE", "START", "END").contains(truncate)) {
      throw reject(
          400, "invalid request: truncate must be one of NONE, START, END - received " + truncate);
    }

    List<String> embedded = new ArrayList<>(items.size());
    long total = 0;
    long imageTokens = 0;
    int max = spec.maxTokensPerInput();
    for (int i = 0; i < items.size(); i++) {
      CohereContent.Item item = items.get(i);
      imageTokens += item.imageTokens();
      String t = item.text();
      int n = item.textTokens();
      if (n > max) {
        if ("NONE".equals(truncate) || t == null) {
          throw reject(
              400,
              "invalid request: text at index "
                  + i
                  + " has "
                  + n
                  + " tokens, "
                  + "which exceeds the maximum of "
                  + max
                  + " tokens for "
                  + model
                  + "; shorten it or set truncate to START or END");
        }
        t = truncate(t, max, "START".equals(truncate));
        n = max;
      }
      embedded.add(t != null ? t : item.key());
      total += n;
    }

    FaultPlan.Draw draw = faults.draw();
    if (draw.kind() != null) {
      Reply r = fault(draw);
      if (r != null) {
        return r;
      }
    }
    if (limiter.enabled() && draw.kind() == null) {
      RateLimiter.Outcome o =
          limiter.acquire("cohere\u0000" + key, total + imageTokens, items.size());
      if (o.verdict() != RateLimiter.Verdict.OK) {
        throw rateLimited(o);
      }
    }
    Out json = body(items, embedded, model, inputType, dims, total, imageTokens, draw.kind());
    Reply r = success(json, draw, model, total, items.size());
    if (r.billModel != null) {
      r.billImageTokens = imageTokens;
    }
    return r;
  }

  /** v3 models: one image per request, 5 MB; embed-v4.0: any number, 20 MB together. */
  private static void images(List<CohereContent.Item> items, Models.Spec spec) {
    int images = 0;
    long bytes = 0;
    for (CohereContent.Item item : items) {
      images += item.images();
      bytes += item.bytes();
    }
    boolean v4 = spec.name().startsWith("embed-v4");
    if (!v4 && images > 1) {
      throw reject(
          400,
          "invalid request: the maximum number of images per call is 1 for model "
              + spec.name()
              + " - received "
              + images);
    }
    long cap = v4 ? 20L << 20 : 5L << 20;
    if (bytes > cap) {
      throw reject(
          400,
          "invalid request: the combined size of all images in the request must be at most "
              + (cap >> 20)
              + "MB - received "
              + bytes
              + " bytes");
    }
  }

  private Out body(
      List<CohereContent.Item> texts,
      List<String> embedded,
      String model,
      String inputType,
      int dims,
      long tokens,
      long imageTokens,
      Faults.Kind fault) {
    int n = texts.size();
    int items =
        fault == Faults.Kind.WRONG_COUNT ? n - 1 : fault == Faults.Kind.DUPLICATE_INDEX ? n + 1 : n;
    Out out = new Out(256 + n * (dims * 13 + 64));
    out.raw("{\"id\":").string(UUID.randomUUID().toString()).raw(",\"embeddings\":{\"float\":[");
    for (int i = 0; i < items; i++) {
      if (i > 0) {
        out.raw(',');
      }
      out.floats(Vectors.vector(model, inputType, embedded.get(i % n), dims));
    }
    out.raw("]},\"texts\":[");
    boolean first = true;
    for (int i = 0; i < n; i++) {
      if (texts.get(i).text() != null) {
        out.raw(first ? "" : ",").string(texts.get(i).text());
        first = false;
      }
    }
    out.raw("],\"meta\":{\"api_version\":{\"version\":\"2\"},\"billed_units\":{\"input_tokens\":")
        .number(tokens);
    if (imageTokens > 0) {
      out.raw(",\"image_tokens\":").number(imageTokens);
    }
    out.raw("}}}");
    return out;
  }

  private void embeddingTypes(JsonNode root) {
    JsonNode types = root.get("embedding_types");
    if (types == null || types.isNull()) {
      throw reject(400, "invalid request: embedding_types must be provided, e.g. [\"float\"]");
    }
    if (!types.isArray()) {
      throw reject(400, "invalid request: embedding_types must be an array of strings");
    }
    boolean hasFloat = false;
    for (JsonNode t : types) {
      if (!t.isTextual() || !EMBEDDING_TYPES.contains(t.textValue())) {
        throw reject(
            400,
            "invalid request: embedding_types contains invalid value "
                + t
                + "; valid values are "
                + EMBEDDING_TYPES);
      }
      hasFloat |= "float".equals(t.textValue());
    }
    if (!hasFloat) {
      throw reject(
          400,
          "invalid request: the emulator returns only float embeddings, so "
              + "embedding_types must contain \"float\"");
    }
  }

  private int outputDimension(JsonNode root, Models.Spec spec) {
    JsonNode d = root.get("output_dimension");
    if (d == null || d.isNull()) {
      return spec.nativeDims();
    }
    if (!spec.reducible()) {
      throw reject(
          400, "invalid request: output_dimension is not supported for model " + spec.name());
    }
    if (!d.isIntegralNumber() || !spec.reducedDims().contains(d.intValue())) {
      throw reject(
          400,
          "invalid request: output_dimension must be one of "
              + spec.reducedDims()
              + " for model "
              + spec.name()
              + " - received "
              + d);
    }
    return d.intValue();
  }

  private Reply.Rejection rateLimited(RateLimiter.Outcome o) {
    if (o.verdict() == RateLimiter.Verdict.TOO_LARGE) {
      return reject(
          429,
          "You are using a Trial key, which is limited to "
              + o.limit()
              + " tokens / minute; this request needs "
              + o.requested()
              + " tokens"
              + UPGRADE);
    }
    String what =
        o.verdict() == RateLimiter.Verdict.REQUESTS
            ? " API calls / minute"
            : o.verdict() == RateLimiter.Verdict.INPUTS ? " inputs / minute" : " tokens / minute";
    Reply.Rejection r =
        reject(429, "You are using a Trial key, which is limited to " + o.limit() + what + UPGRADE);
    r.reply.headers.putAll(limiter.retryHeaders(o, false));
    stats.rateLimitHit();
    return r;
  }

  @Override
  Reply serverError(int status) {
    switch (status) {
      case 502:
        return error(502, "bad gateway");
      case 503:
        return error(503, "service unavailable, please try again later");
      default:
        return error(500, "internal server error, this has been reported to our developers");
    }
  }

  static Reply.Rejection reject(int status, String message) {
    return new Reply.Rejection(error(status, message));
  }

  static Reply error(int status, String message) {
    return new Reply(status, Json.bytes(Json.object().put("message", message)));
  }
}
