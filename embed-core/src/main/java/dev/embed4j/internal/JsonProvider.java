package dev.embed4j.internal;

import dev.embed4j.spi.EmbeddingProvider;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import okhttp3.HttpUrl;

/**
 * What every built-in provider does the same way: post one JSON body per batch to one endpoint
 * through its {@link HttpCall} and read the reply. A provider class says only how its body is
 * written and its reply read.
 */
abstract class JsonProvider implements EmbeddingProvider {
  private final HttpCall http;
  private final HttpUrl endpoint;

  JsonProvider(HttpCall http, HttpUrl endpoint) {
    this.http = http;
    this.endpoint = endpoint;
  }

  /** The request body for {@code request}. */
  abstract byte[] body(Request request) throws IOException;

  /**
   * A buffer for the body of {@code request}, sized for its texts (their UTF-16 lengths, which is
   * their UTF-8 length for ASCII) and the JSON around them, so that writing it does not grow and
   * copy the buffer again and again.
   */
  static ByteArrayOutputStream bodyBuffer(Request request) {
    return bodyBuffer(request, 8);
  }

  /** As {@link #bodyBuffer(Request)}, with {@code perText} bytes of JSON around each text. */
  static ByteArrayOutputStream bodyBuffer(Request request, int perText) {
    long chars = 256;
    for (String text : request.texts()) {
      chars += text.length() + perText;
    }
    return new ByteArrayOutputStream((int) Math.min(chars, 64L << 20));
  }

  /**
   * The vectors of a successful reply, {@code reply[0, length)}, in the order of the request's
   * texts, and the billed tokens. The array is the reading thread's buffer: nothing may keep it.
   */
  abstract HttpCall.Decoded read(byte[] reply, int length, Request request) throws IOException;

  /**
   * The code to report for an error reply: {@link ErrorMapping#REQUEST_TOO_LARGE} for this
   * provider's "too many tokens" or "too many inputs" answer; by default {@code code} as read.
   */
  String errorCode(int status, String code, String message) {
    return code;
  }

  /** Where this batch is posted; by default the one endpoint given at construction. */
  HttpUrl endpoint(Request request) {
    return endpoint;
  }

  /**
   * {@code text}, cut to the model's per-input limit on a {@code cl100k_base} boundary when
   * truncation was asked for and the count says it is over: for APIs that cannot truncate.
   */
  static String cut(String text, Request request) {
    int limit = request.model().maxTokensPerInput();
    return request.truncate() && Tokenizers.count(text) > limit
        ? Tokenizers.truncate(text, limit)
        : text;
  }

  @Override
  public final String id() {
    return http.provider();
  }

  @Override
  public final Result embed(Request request) throws IOException {
    return http.post(
        endpoint(request),
        body(request),
        request,
        (in, n) -> read(in, n, request),
        this::errorCode);
  }
}
