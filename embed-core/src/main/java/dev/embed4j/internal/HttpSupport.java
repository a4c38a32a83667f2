package dev.embed4j.internal;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.embed4j.AuthenticationException;
import dev.embed4j.EmbeddingProvider;
import dev.embed4j.ProviderException;
import dev.embed4j.RateLimitException;
import java.io.IOException;
import java.time.Duration;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.Arrays;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.io.InputStream;
import java.util.List;
import okhttp3.Call;
import okhttp3.Headers;
import okhttp3.HttpUrl;
import okhttp3.MediaType;
import okhttp3.OkHttpClient;
import okhttp3.RequestBody;
import okhttp3.Response;
import okhttp3.ResponseBody;

/** What the HTTP providers share: JSON set-up, error classification and header parsing. */
public final class HttpSupport {
  private HttpSupport() {}

  public static final MediaType JSON = MediaType.get("application/json");

  /** Streaming JSON with the fast float parser; one shared, thread-safe factory. */
  public static final JsonFactory JSON_FACTORY = JsonFactory.builder()
      .enable(StreamReadFeature.USE_FAST_DOUBLE_PARSER)
      .build();

  private static final ObjectMapper ERROR_MAPPER = new ObjectMapper(JSON_FACTORY);
  private static final Pattern GO_DURATION = Pattern.compile("(\\d+(?:\\.\\d+)?)(h|ms|us|µs|ns|m|s)");
  private static final int MAX_ERROR_BODY = 16 * 1024;

  /** {@code base} plus {@code version/path}, unless {@code base} already ends in {@code /version}. */
  public static HttpUrl endpoint(HttpUrl base, String version, String path) {
    HttpUrl.Builder b = base.newBuilder();
    java.util.List<String> segments = new java.util.ArrayList<>(base.pathSegments());
    segments.removeIf(String::isEmpty);
    b.encodedPath("/");
    for (String s : segments) {
      b.addPathSegment(s);
    }
    if (segments.isEmpty() || !segments.get(segments.size() - 1).equals(version)) {
      b.addPathSegment(version);
    }
    return b.addPathSegment(path).build();
  }

  /** A successful reply's vectors, in the order of the request's texts, and the billed tokens (-1 if not said). */
  public record Decoded(List<float[]> vectors, long tokens) {}

  /** Reads a successful reply's body. */
  @FunctionalInterface
  public interface BodyReader {
    Decoded read(InputStream body) throws IOException;
  }

  /**
   * Posts one batch: registers the call for cancellation, maps an error status to its exception,
   * and reads a successful reply with {@code reader}. A 200 that cannot be read (malformed,
   * truncated, wrong count) is a retryable {@link ProviderException}; a cancelled call is an
   * {@link IOException}.
   */
  public static EmbeddingProvider.Result post(OkHttpClient client, HttpUrl endpoint, String authorization,
      byte[] body, String provider, EmbeddingProvider.Request request, BodyReader reader) throws IOException {
    okhttp3.Request http = new okhttp3.Request.Builder()
        .url(endpoint)
        .header("Authorization", authorization)
        .post(RequestBody.create(body, JSON))
        .build();
    Call call = client.newCall(http);
    Runnable unregister = request.cancellation().onCancel(call::cancel);
    try (Response response = call.execute()) {
      String model = request.model().name();
      if (!response.isSuccessful()) {
        throw error(provider, model, response);
      }
      Decoded decoded;
      try (InputStream in = response.body().byteStream()) {
        decoded = reader.read(in);
      } catch (IOException | RuntimeException e) {
        if (call.isCanceled()) {
          throw e instanceof IOException ? (IOException) e : new IOException(e);
        }
        throw new ProviderException(provider, model, response.code(), null, requestId(response.headers()), true, null,
            "Unusable reply from " + provider + " " + model + ": " + e.getMessage(), e);
      }
      return new EmbeddingProvider.Result(decoded.vectors(), decoded.tokens(), limits(response.headers()));
    } finally {
      unregister.run();
    }
  }

  /** Maps an error reply to the exception type that tells the engine what to do. */
  public static ProviderException error(String provider, String model, Response response) {
    int status = response.code();
    String requestId = requestId(response.headers());
    String body = readErrorBody(response.body());
    String message = null;
    String code = null;
    try {
      JsonNode root = ERROR_MAPPER.readTree(body);
      if (root != null) {
        JsonNode err = root.has("error") && root.get("error").isObject() ? root.get("error") : root;
        message = text(err.get("message"));
        code = text(err.get("code"));
        if (code == null) {
          code = text(err.get("type"));
        }
      }
    } catch (IOException | RuntimeException notJson) {
      // keep the raw body below
    }
    if (message == null) {
      message = body.isBlank() ? "(empty body)" : body.strip();
    }
    if (message.length() > 500) {
      message = message.substring(0, 500) + "...";
    }
    String text = provider + " " + model + " answered HTTP " + status + (code == null ? "" : " (" + code + ")")
        + ": " + message + (requestId == null ? "" : " [request " + requestId + "]");
    Duration retryAfter = retryAfter(response.headers());
    if (status == 401 || status == 403) {
      return new AuthenticationException(provider, model, status, code, requestId, text
          + (status == 401 ? ". Check the API key." : ". Check the key's permissions for this model."));
    }
    if (status == 429) {
      if ("insufficient_quota".equals(code)) {
        return new ProviderException(provider, model, status, code, requestId, false, null,
            text + ". The account's quota is used up: retrying will not help.", null);
      }
      return new RateLimitException(provider, model, code, requestId, retryAfter, text);
    }
    boolean retryable = status == 408 || status == 409 || status >= 500;
    return new ProviderException(provider, model, status, code, requestId, retryable, retryAfter, text, null);
  }

  private static String readErrorBody(ResponseBody body) {
    if (body == null) {
      return "";
    }
    try {
      byte[] bytes = body.source().peek().readByteArray(Math.min(MAX_ERROR_BODY, Math.max(0, body.contentLength() < 0
          ? MAX_ERROR_BODY : body.contentLength())));
      return new String(bytes, java.nio.charset.StandardCharsets.UTF_8);
    } catch (IOException | RuntimeException e) {
      try {
        String all = body.string();
        return all.length() > MAX_ERROR_BODY ? all.substring(0, MAX_ERROR_BODY) : all;
      } catch (IOException | RuntimeException e2) {
        return "";
      }
    }
  }

  private static String text(JsonNode node) {
    return node == null || node.isNull() ? null : node.asText();
  }

  public static String requestId(Headers headers) {
    String id = headers.get("x-request-id");
    return id != null ? id : headers.get("x-trace-id");
  }

  /** {@code retry-after-ms}, else {@code retry-after} in seconds or as an HTTP date; null if absent or unreadable. */
  public static Duration retryAfter(Headers headers) {
    String ms = headers.get("retry-after-ms");
    if (ms != null) {
      try {
        double value = Double.parseDouble(ms.trim());
        if (value >= 0 && value < 3_600_000) {
          return Duration.ofNanos((long) (value * 1_000_000));
        }
      } catch (NumberFormatException ignored) {
        // fall through to retry-after
      }
    }
    String after = headers.get("retry-after");
    if (after == null) {
      return null;
    }
    try {
      double seconds = Double.parseDouble(after.trim());
      return seconds >= 0 && seconds < 86_400 ? Duration.ofMillis((long) (seconds * 1000)) : null;
    } catch (NumberFormatException notSeconds) {
      try {
        ZonedDateTime at = ZonedDateTime.parse(after.trim(), DateTimeFormatter.RFC_1123_DATE_TIME);
        Duration d = Duration.between(ZonedDateTime.now(at.getZone()), at);
        return d.isNegative() ? Duration.ZERO : d;
      } catch (DateTimeParseException notDate) {
        return null;
      }
    }
  }

  /** Parses a Go-style duration such as {@code 1s}, {@code 6m0s}, {@code 12ms} or {@code 1m30.5s}; null if unreadable. */
  public static Duration goDuration(String value) {
    if (value == null || value.isBlank()) {
      return null;
    }
    String v = value.trim();
    Matcher m = GO_DURATION.matcher(v);
    long nanos = 0;
    int end = 0;
    while (m.find()) {
      if (m.start() != end) {
        return null;
      }
      double n = Double.parseDouble(m.group(1));
      long unit;
      switch (m.group(2)) {
        case "h":
          unit = 3_600_000_000_000L;
          break;
        case "m":
          unit = 60_000_000_000L;
          break;
        case "s":
          unit = 1_000_000_000L;
          break;
        case "ms":
          unit = 1_000_000L;
          break;
        case "us":
        case "µs":
          unit = 1_000L;
          break;
        default:
          unit = 1L;
      }
      nanos += (long) (n * unit);
      end = m.end();
    }
    return end == v.length() && end > 0 ? Duration.ofNanos(nanos) : null;
  }

  /** The {@code x-ratelimit-*} headers, or {@link EmbeddingProvider.Limits#UNKNOWN}. */
  public static EmbeddingProvider.Limits limits(Headers h) {
    long limitRequests = number(h.get("x-ratelimit-limit-requests"));
    long limitTokens = number(h.get("x-ratelimit-limit-tokens"));
    if (limitRequests < 0 && limitTokens < 0) {
      return EmbeddingProvider.Limits.UNKNOWN;
    }
    return new EmbeddingProvider.Limits(limitRequests, number(h.get("x-ratelimit-remaining-requests")),
        goDuration(h.get("x-ratelimit-reset-requests")), limitTokens, number(h.get("x-ratelimit-remaining-tokens")),
        goDuration(h.get("x-ratelimit-reset-tokens")));
  }

  private static long number(String v) {
    if (v == null) {
      return -1;
    }
    try {
      return Long.parseLong(v.trim());
    } catch (NumberFormatException e) {
      return -1;
    }
  }

  /** Reads a JSON array of numbers into a float[]; {@code expected} sizes the first buffer. */
  public static float[] readFloatArray(JsonParser p, int expected) throws IOException {
    float[] out = new float[Math.max(expected, 16)];
    int n = 0;
    JsonToken t;
    while ((t = p.nextToken()) != JsonToken.END_ARRAY) {
      if (t != JsonToken.VALUE_NUMBER_FLOAT && t != JsonToken.VALUE_NUMBER_INT) {
        throw new IOException("expected a number in an embedding, found " + t);
      }
      if (n == out.length) {
        out = Arrays.copyOf(out, n * 2);
      }
      out[n++] = p.getFloatValue();
    }
    return n == out.length ? out : Arrays.copyOf(out, n);
  }

  /**
   * Decodes the current string token, base64 of little-endian float32, into floats. Uses the JDK's
   * decoder on the parser's character buffer: about a third faster than Jackson's
   * {@code getBinaryValue()} for 100 x 1536 floats (see the benchmarks module).
   */
  public static float[] readBase64Floats(JsonParser p) throws IOException {
    char[] chars = p.getTextCharacters();
    int offset = p.getTextOffset();
    int length = p.getTextLength();
    byte[] ascii = new byte[length];
    for (int i = 0; i < length; i++) {
      char c = chars[offset + i];
      if (c > 0x7f) {
        throw new IOException("a base64 embedding contains the non-ASCII character U+" + Integer.toHexString(c));
      }
      ascii[i] = (byte) c;
    }
    try {
      return decodeFloats(java.util.Base64.getDecoder().decode(ascii));
    } catch (IllegalArgumentException e) {
      throw new IOException("an embedding is not valid base64: " + e.getMessage(), e);
    }
  }

  /** Decodes base64 little-endian float32, as OpenAI sends with {@code encoding_format=base64}. */
  public static float[] decodeFloats(byte[] bytes) throws IOException {
    if (bytes.length % 4 != 0) {
      throw new IOException("a base64 embedding of " + bytes.length + " bytes is not a whole number of float32s");
    }
    float[] out = new float[bytes.length / 4];
    java.nio.ByteBuffer.wrap(bytes).order(java.nio.ByteOrder.LITTLE_ENDIAN).asFloatBuffer().get(out);
    return out;
  }
}
