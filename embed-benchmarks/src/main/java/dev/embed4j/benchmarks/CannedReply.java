package dev.embed4j.benchmarks;

import java.io.ByteArrayInputStream;
import java.util.concurrent.TimeUnit;
import okhttp3.Headers;
import okhttp3.HttpUrl;
import okhttp3.Interceptor;
import okhttp3.MediaType;
import okhttp3.OkHttpClient;
import okhttp3.Protocol;
import okhttp3.Response;
import okhttp3.ResponseBody;
import okio.BufferedSource;
import okio.Okio;

/**
 * An application interceptor that answers every call with the same 200 reply, so that a provider's
 * whole path (request body, OkHttp call, reading and decoding the reply, headers) is measured
 * without a network. The body is read from the canned bytes through Okio as it would be from a
 * socket, not handed over as one buffer.
 */
final class CannedReply implements Interceptor {
  /** Where the providers send: the discard port on loopback, never reached. */
  static final HttpUrl BASE = HttpUrl.get("http://127.0.0.1:9/");

  private static final MediaType JSON = MediaType.get("application/json");

  private final byte[] body;
  private final Headers headers;

  private CannedReply(byte[] body, Headers headers) {
    this.body = body;
    this.headers = headers;
  }

  /** A client whose every call is answered with {@code body} and {@code headers}. */
  static OkHttpClient client(byte[] body, Headers headers) {
    return new OkHttpClient.Builder()
        .addInterceptor(new CannedReply(body, headers))
        .callTimeout(10, TimeUnit.SECONDS)
        .build();
  }

  /** Releases the client's threads and connections. */
  static void close(OkHttpClient client) {
    client.dispatcher().executorService().shutdown();
    client.connectionPool().evictAll();
  }

  @Override
  public Response intercept(Chain chain) {
    return new Response.Builder()
        .request(chain.request())
        .protocol(Protocol.HTTP_1_1)
        .code(200)
        .message("OK")
        .headers(headers)
        .body(new Body(body))
        .build();
  }

  private static final class Body extends ResponseBody {
    private final long length;
    private final BufferedSource source;

    Body(byte[] bytes) {
      this.length = bytes.length;
      this.source = Okio.buffer(Okio.source(new ByteArrayInputStream(bytes)));
    }

    @Override
    public MediaType contentType() {
      return JSON;
    }

    @Override
    public long contentLength() {
      return length;
    }

    @Override
    public BufferedSource source() {
      return source;
    }
  }
}
