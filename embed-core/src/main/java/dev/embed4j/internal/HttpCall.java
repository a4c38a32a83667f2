package dev.embed4j.internal;

import com.fasterxml.jackson.core.JsonFactory;
import dev.embed4j.ProviderException;
import dev.embed4j.spi.EmbeddingProvider;
import java.io.EOFException;
import java.io.IOException;
import java.lang.ref.SoftReference;
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
   * Reads a successful reply's body, {@code body[0, length)}, read whole into one array: the
   * decoders work on its bytes where they lie (a base64 embedding is decoded from them, with no
   * {@code String} between). The array is the reading thread's buffer, written over by its next
   * reply: a reader keeps nothing of it but what it decoded.
   */
  @FunctionalInterface
  interface BodyReader {
    Decoded read(byte[] body, int length) throws IOException;
  }

  /** A reply's body: {@code bytes[0, length)}. */
  record Body(byte[] bytes, int length) {}

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
        Body read = readAll(response.body());
        decoded = reader.read(read.bytes(), read.length());
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
   * The whole reply body in one array. With a length given, it is read into this thread's buffer,
   * one segment at a time, each segment going back to okio's pool before the next is read; OkHttp's
   * {@code bytes()} first holds the whole body in segments (a 1,536-dimension reply of 64 vectors
   * is some 70 of them, more than the pool keeps, so most are new arrays) and then copies them out.
   * The buffer is kept from one reply to the next, so a reply's half a megabyte is neither made nor
   * zeroed each time; it is held softly, so the collector may take it back, and a worker thread
   * that idles ends and takes it with it. A body larger than {@link #KEPT_BUFFER} gets an array of
   * its own.
   */
  static Body readAll(ResponseBody body) throws IOException {
    long length = body.contentLength();
    BufferedSource source = body.source();
    if (length < 0 || length > Integer.MAX_VALUE - 8) {
      byte[] all = source.readByteArray(); // chunked or decompressed: no length to size it by
      return new Body(all, all.length);
    }
    byte[] out = buffer((int) length);
    for (int n = 0; n < length; ) {
      int read = source.read(out, n, (int) length - n);
      if (read < 0) {
        throw new EOFException(
            "the reply ended after " + n + " of the " + length + " bytes its Content-Length gives");
      }
      n += read;
    }
    return new Body(out, (int) length);
  }

  /** The largest reply body read into a kept buffer: 16 MiB. */
  static final int KEPT_BUFFER = 16 << 20;

  private static final ThreadLocal<SoftReference<byte[]>> BUFFER = new ThreadLocal<>();

  /** This thread's buffer, of at least {@code length} bytes. */
  private static byte[] buffer(int length) {
    if (length > KEPT_BUFFER) {
      return new byte[length];
    }
    SoftReference<byte[]> kept = BUFFER.get();
    byte[] buffer = kept == null ? null : kept.get();
    if (buffer == null || buffer.length < length) {
      // room for a somewhat longer reply next time: lengths vary with the texts' token counts
      buffer = new byte[Math.min(KEPT_BUFFER, length + (length >> 3))];
      BUFFER.set(new SoftReference<>(buffer));
    }
    return buffer;
  }
}
