package dev.embed4j.internal;

import com.fasterxml.jackson.core.JsonFactory;
import dev.embed4j.ProviderException;
import dev.embed4j.spi.EmbeddingProvider;
import java.io.EOFException;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;
import okhttp3.Call;
import okhttp3.HttpUrl;
import okhttp3.MediaType;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.RequestBody;
import okhttp3.Response;
import okhttp3.ResponseBody;
import okio.BufferedSource;

/**
 * One provider's HTTP call: posts a batch's JSON body with the provider's authentication header,
 * registers the call for cancellation, hands an error reply to {@link ErrorMapping} and a
 * successful one to the provider's reader, and reports the rate-limit headers.
 */
final class HttpCall {
  static final MediaType JSON = MediaType.get("application/json");

  /**
   * Streaming JSON with the fast float parser, and a {@link ReplyParser} over a reply's bytes; one
   * shared, thread-safe factory.
   */
  static final JsonFactory JSON_FACTORY = new ReplyParser.Factory();

  private final OkHttpClient client;
  private final String provider;
  private final String authHeader;
  private final Supplier<String> authValue;

  HttpCall(OkHttpClient client, String provider, String authHeader, String authValue) {
    this(client, provider, authHeader, authValue == null ? null : () -> authValue);
  }

  /**
   * A call whose authentication header value is asked for before each request (a bearer token that
   * expires), or that sends none if {@code authValue} is null.
   */
  HttpCall(OkHttpClient client, String provider, String authHeader, Supplier<String> authValue) {
    this.client = client;
    this.provider = provider;
    this.authHeader = authHeader;
    this.authValue = authValue;
  }

  /**
   * A successful reply's vectors, in the order of the request's texts, and the billed tokens (-1 if
   * not said).
   */
  record Decoded(List<float[]> vectors, long tokens, long imageTokens) {
    Decoded(List<float[]> vectors, long tokens) {
      this(vectors, tokens, 0);
    }
  }

  /**
   * Reads a successful reply's body, read whole into one array: the decoders work on its bytes
   * where they lie (a base64 embedding is decoded from them, with no {@code String} between).
   */
  @FunctionalInterface
  interface BodyReader {
    Decoded read(byte[] body) throws IOException;
  }

  /**
   * {@code base} plus {@code version/path}, unless {@code base} already ends in {@code /version}.
   */
  static HttpUrl endpoint(HttpUrl base, String version, String path) {
    List<String> segments = new ArrayList<>(base.pathSegments());
    segments.removeIf(String::isEmpty);
    HttpUrl.Builder b = base.newBuilder().encodedPath("/");
    segments.forEach(b::addPathSegment);
    if (segments.isEmpty() || !segments.get(segments.size() - 1).equals(version)) {
      b.addPathSegment(version);
    }
    return b.addPathSegment(path).build();
  }

  String provider() {
    return provider;
  }

  /**
   * {@code request} with this provider's authentication header, for calls other than embeddings.
   */
  Request authorized(Request.Builder request) {
    if (authValue != null) {
      String value = authValue.get();
      if (value == null || value.isBlank()) {
        throw new IllegalStateException(
            "The token supplier of " + provider + " returned no token: nothing was sent");
      }
      request.header(authHeader, value);
    }
    return request.build();
  }

  OkHttpClient client() {
    return client;
  }

  /**
   * Posts one batch. A 200 that cannot be read (malformed, truncated, wrong count) is a retryable
   * {@link ProviderException}; a cancelled call is an {@link IOException}.
   */
  EmbeddingProvider.Result post(
      HttpUrl url, byte[] body, EmbeddingProvider.Request request, BodyReader reader)
      throws IOException {
    return post(url, body, request, reader, ErrorMapping.Reading.NONE);
  }

  /**
   * As {@link #post(HttpUrl, byte[], EmbeddingProvider.Request, BodyReader)}, with the provider's
   * reading of its error replies.
   */
  EmbeddingProvider.Result post(
      HttpUrl url,
      byte[] body,
      EmbeddingProvider.Request request,
      BodyReader reader,
      ErrorMapping.Reading errors)
      throws IOException {
    Call call =
        client.newCall(
            authorized(new Request.Builder().url(url).post(RequestBody.create(body, JSON))));
    Runnable unregister = request.onCancel(call::cancel);
    try (Response response = call.execute()) {
      String model = request.model().name();
      if (!response.isSuccessful()) {
        throw ErrorMapping.fromReply(provider, model, response, errors);
      }
      Decoded decoded;
      try {
        decoded = reader.read(readAll(response.body()));
      } catch (IOException | RuntimeException e) {
        if (call.isCanceled()) {
          throw e instanceof IOException ? (IOException) e : new IOException(e);
        }
        throw ProviderException.builder(provider, model)
            .status(response.code())
            .requestId(RateLimitHeaders.requestId(response.headers()))
            .retryable(true)
            .cause(e)
            .build("Unusable reply from " + provider + " " + model + ": " + e.getMessage());
      }
      long tokens =
          decoded.tokens() >= 0
              ? decoded.tokens()
              : RateLimitHeaders.computeTokens(response.headers());
      return new EmbeddingProvider.Result(
          decoded.vectors(),
          tokens,
          RateLimitHeaders.limits(response.headers()),
          decoded.imageTokens());
    } finally {
      unregister.run();
    }
  }

  /**
   * The whole reply body in one array. With a length given, the array is made once at that size and
   * filled one segment at a time, each segment going back to okio's pool before the next is read;
   * OkHttp's {@code bytes()} first holds the whole body in segments (a 1,536-dimension reply of 64
   * vectors is some 70 of them, more than the pool keeps, so most are new arrays) and then copies
   * them out.
   */
  static byte[] readAll(ResponseBody body) throws IOException {
    long length = body.contentLength();
    BufferedSource source = body.source();
    if (length < 0 || length > Integer.MAX_VALUE - 8) {
      return source.readByteArray(); // chunked or decompressed: no length to size the array by
    }
    byte[] out = new byte[(int) length];
    for (int n = 0; n < out.length; ) {
      int read = source.read(out, n, out.length - n);
      if (read < 0) {
        throw new EOFException(
            "the reply ended after " + n + " of the " + length + " bytes its Content-Length gives");
      }
      n += read;
    }
    return out;
  }
}
