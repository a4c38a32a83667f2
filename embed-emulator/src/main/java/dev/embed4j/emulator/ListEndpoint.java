package dev.embed4j.emulator;

import com.fasterxml.jackson.databind.JsonNode;
import com.sun.net.httpserver.HttpExchange;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * What the APIs added after OpenAI's and Cohere's check alike, in the same order as those: route,
 * key, JSON, model, texts (count, empty ones, tokens per text, tokens per request), dimensions,
 * faults, rate limit; then the vectors, deterministic per (model, input type, text). Each subclass
 * reads its request, writes its reply and words its errors in its own body shape.
 */
abstract class ListEndpoint extends Endpoint {

  /** What went wrong, for {@link #problem}. */
  enum Problem {
    NOT_FOUND,
    MISSING_KEY,
    BAD_KEY,
    QUOTA,
    BAD_JSON,
    BAD_REQUEST,
    MODEL_NOT_FOUND,
    EMPTY_TEXT,
    TOO_MANY_INPUTS,
    TOO_LONG,
    TOO_MANY_TOKENS,
    BAD_DIMENSIONS
  }

  /**
   * The details an error message may name.
   *
   * @param index the input's index, or -1
   * @param count the inputs or tokens found
   * @param limit the limit they exceed
   */
  record Detail(String model, int index, long count, long limit, String text) {
    static Detail of(String text) {
      return new Detail(null, -1, 0, 0, text);
    }
  }

  /** A request as read: its model, texts, requested dimensions (null: native), input type. */
  record Parsed(
      String model, List<String> texts, Integer dims, String inputType, boolean truncate) {}

  final String prefix;
  final Models.Provider provider;

  ListEndpoint(
      String prefix,
      Models.Provider provider,
      Config config,
      Stats stats,
      FaultPlan faults,
      RateLimiter limiter) {
    super(config, stats, faults, limiter);
    this.prefix = prefix;
    this.provider = provider;
  }

  /**
   * Whether {@code path} (the part after the prefix) is this API's endpoint; the model if named
   * there.
   */
  abstract boolean routes(String path);

  /** The key sent, or null. */
  abstract String key(HttpExchange ex);

  /** The request, or a {@link Reply.Rejection} for one of the wrong shape. */
  abstract Parsed parse(HttpExchange ex, String path, JsonNode root);

  /** The provider's error reply for a problem. */
  abstract Reply problem(Problem problem, Detail detail);

  /** The reply to a request over the rate limit. */
  abstract Reply rateLimited(RateLimiter.Outcome o, String model);

  /**
   * The success body.
   *
   * @param order which text each item of the reply is (a fault may drop or repeat one)
   */
  abstract Out write(Parsed p, int[] order, List<String> embedded, int dims, long tokens);

  /** Whether a key must be sent when the emulator accepts any key (self-hosted servers: no). */
  boolean keyRequired() {
    return true;
  }

  /**
   * Whether successes carry {@code x-ratelimit-remaining-requests} / {@code -tokens} when limits
   * are configured (Azure and Jina send those, not the limits themselves); default no.
   */
  boolean sendsRemainingHeaders() {
    return false;
  }

  /** The {@code x-ratelimit-remaining-*} of the rate limiter's headers. */
  static void putRemaining(Map<String, String> to, Map<String, String> from) {
    from.forEach(
        (name, value) -> {
          if (name.startsWith("x-ratelimit-remaining-")) {
            to.put(name, value);
          }
        });
  }

  /** Headers added to a success (besides those of the rate limiter). */
  void successHeaders(Map<String, String> headers, Parsed p, long tokens) {}

  Reply.Rejection reject(Problem problem, Detail detail) {
    return new Reply.Rejection(problem(problem, detail));
  }

  @Override
  Reply process(HttpExchange ex, byte[] body) {
    String full = ex.getRequestURI().getPath();
    String path = full.startsWith(prefix) ? full.substring(prefix.length()) : null;
    if (!"POST".equals(ex.getRequestMethod()) || path == null || !routes(path)) {
      throw reject(Problem.NOT_FOUND, Detail.of(ex.getRequestMethod() + " " + full));
    }
    String key = key(ex);
    boolean keysConfigured = !config.apiKeys().isEmpty();
    if (key == null && (keyRequired() || keysConfigured)) {
      throw reject(Problem.MISSING_KEY, Detail.of(null));
    }
    if (key != null && !accepted(key)) {
      throw reject(Problem.BAD_KEY, Detail.of(key));
    }
    if (key != null && config.exhaustedKeys().contains(key)) {
      throw reject(Problem.QUOTA, Detail.of(null));
    }
    JsonNode root;
    try {
      root = Json.parse(body);
    } catch (IOException e) {
      throw reject(Problem.BAD_JSON, Detail.of(e.getMessage()));
    }
    Parsed p = parse(ex, path, root);
    List<String> texts = p.texts();
    stats.batch(texts.size());
    Models.Spec spec = Models.find(p.model(), provider);
    if (spec == null) {
      throw reject(Problem.MODEL_NOT_FOUND, new Detail(p.model(), -1, 0, 0, null));
    }
    if (texts.isEmpty() || texts.size() > spec.maxInputs()) {
      throw reject(
          Problem.TOO_MANY_INPUTS, new Detail(p.model(), -1, texts.size(), spec.maxInputs(), null));
    }
    for (int i = 0; i < texts.size(); i++) {
      if (texts.get(i) == null || texts.get(i).isEmpty()) {
        throw reject(Problem.EMPTY_TEXT, new Detail(p.model(), i, 0, 0, null));
      }
    }
    int dims = p.dims() == null ? spec.nativeDims() : p.dims();
    if (!spec.accepts(dims)) {
      throw reject(
          Problem.BAD_DIMENSIONS, new Detail(p.model(), -1, dims, spec.nativeDims(), null));
    }
    List<String> embedded = new ArrayList<>(texts.size());
    long total = 0;
    int max = spec.maxTokensPerInput();
    for (int i = 0; i < texts.size(); i++) {
      String t = texts.get(i);
      int n = Tokenizer.count(t);
      if (n > max) {
        if (!p.truncate()) {
          throw reject(Problem.TOO_LONG, new Detail(p.model(), i, n, max, null));
        }
        t = Tokenizer.truncate(t, max, false);
        n = max;
      }
      embedded.add(t);
      total += n;
    }
    if (total > spec.maxTokensPerRequest()) {
      throw reject(
          Problem.TOO_MANY_TOKENS,
          new Detail(p.model(), -1, total, spec.maxTokensPerRequest(), null));
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
      limit = limiter.acquire(provider + "\u0000" + key + "\u0000" + p.model(), total);
      if (limit.verdict() != RateLimiter.Verdict.OK) {
        if (limit.verdict() != RateLimiter.Verdict.TOO_LARGE) {
          stats.rateLimitHit();
        }
        throw new Reply.Rejection(rateLimited(limit, p.model()));
      }
    }
    int n = texts.size();
    int[] order = order(n, false);
    if (draw.kind() == Faults.Kind.WRONG_COUNT) {
      order = java.util.Arrays.copyOf(order, n - 1);
    } else if (draw.kind() == Faults.Kind.DUPLICATE_INDEX) {
      order = java.util.Arrays.copyOf(order, n + 1);
      order[n] = 0;
    }
    Out json = write(p, order, embedded, dims, total);
    Reply r = success(json, draw, p.model(), total, n);
    successHeaders(r.headers, p, total);
    if (limit != null && sendsRemainingHeaders()) {
      putRemaining(r.headers, limit.headers());
    }
    return r;
  }

  /** The vector of text {@code i} as embedded. */
  static float[] vector(Parsed p, List<String> embedded, int i, int dims) {
    return Vectors.vector(p.model(), p.inputType(), embedded.get(i), dims);
  }

  /** {@code root[field]} as a list of texts (null entries for non-strings), or a rejection. */
  List<String> textList(JsonNode root, String field, String model) {
    JsonNode input = root.get(field);
    if (input == null || input.isNull()) {
      throw reject(Problem.BAD_REQUEST, new Detail(model, -1, 0, 0, "'" + field + "' is required"));
    }
    if (input.isTextual()) {
      return List.of(input.textValue());
    }
    if (!input.isArray()) {
      throw reject(
          Problem.BAD_REQUEST,
          new Detail(model, -1, 0, 0, "'" + field + "' must be a string or an array of strings"));
    }
    return texts(input);
  }

  /** {@code root[field]} as an int, null if absent, or a rejection. */
  Integer optionalInt(JsonNode root, String field, String model) {
    JsonNode d = root.get(field);
    if (d == null || d.isNull()) {
      return null;
    }
    if (!d.isIntegralNumber() || !d.canConvertToInt()) {
      throw reject(
          Problem.BAD_REQUEST, new Detail(model, -1, 0, 0, "'" + field + "' must be an integer"));
    }
    return d.intValue();
  }

  /**
   * OpenAI's reply shape: {@code data[{object, index, embedding}]} (base64 little-endian float32 or
   * a float array), {@code model}, {@code usage} with {@code prompt_tokens} where the provider
   * sends it and {@code total_tokens}.
   */
  static Out openAiShaped(
      Parsed p,
      int[] order,
      List<String> embedded,
      int dims,
      long tokens,
      boolean base64,
      boolean promptTokens) {
    Out out = new Out(128 + order.length * (64 + (base64 ? (dims * 4 + 2) / 3 * 4 : dims * 13)));
    out.raw("{\"object\":\"list\",\"data\":[");
    for (int k = 0; k < order.length; k++) {
      int i = order[k];
      float[] v = vector(p, embedded, i, dims);
      out.raw(k == 0 ? "{" : ",{").raw("\"object\":\"embedding\",\"embedding\":");
      if (base64) {
        out.base64(v);
      } else {
        out.floats(v);
      }
      out.raw(",\"index\":").number(i).raw('}');
    }
    out.raw("],\"model\":").string(p.model()).raw(",\"usage\":{");
    if (promptTokens) {
      out.raw("\"prompt_tokens\":").number(tokens).raw(',');
    }
    return out.raw("\"total_tokens\":").number(tokens).raw("}}");
  }
}
