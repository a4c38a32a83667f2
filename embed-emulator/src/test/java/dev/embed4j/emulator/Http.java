package dev.embed4j.emulator;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Base64;
import java.util.concurrent.TimeUnit;
import okhttp3.Headers;
import okhttp3.MediaType;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.RequestBody;
import okhttp3.Response;

/** A small OkHttp client for the tests. */
final class Http {

  static final ObjectMapper JSON = new ObjectMapper();
  static final MediaType APPLICATION_JSON = MediaType.get("application/json");

  /** No silent retry: a reset must surface as an IOException. */
  static final OkHttpClient CLIENT =
      new OkHttpClient.Builder()
          .retryOnConnectionFailure(false)
          .readTimeout(10, TimeUnit.SECONDS)
          .build();

  record Reply(int status, Headers headers, String body) {
    JsonNode json() {
      try {
        return JSON.readTree(body);
      } catch (IOException e) {
        throw new UncheckedIOException(body, e);
      }
    }
  }

  private Http() {}

  static Reply openAi(EmbeddingEmulator emu, String json) throws IOException {
    return post(CLIENT, emu.baseUrl() + "/v1/embeddings", "sk-test", json);
  }

  static Reply cohere(EmbeddingEmulator emu, String json) throws IOException {
    return post(CLIENT, emu.baseUrl() + "/v2/embed", "co-test", json);
  }

  static Reply post(OkHttpClient client, String url, String key, String json) throws IOException {
    Request.Builder rb =
        new Request.Builder().url(url).post(RequestBody.create(json, APPLICATION_JSON));
    if (key != null) {
      rb.header("Authorization", "Bearer " + key);
    }
    try (Response r = client.newCall(rb.build()).execute()) {
      return new Reply(r.code(), r.headers(), r.body().string());
    }
  }

  /** OpenAI's error body. */
  static JsonNode openAiError(String message, String type, String param, String code) {
    ObjectNode root = JSON.createObjectNode();
    ObjectNode e = root.putObject("error");
    e.put("message", message).put("type", type).put("param", param).put("code", code);
    return root;
  }

  /** Cohere's error body. */
  static JsonNode cohereError(String message) {
    return JSON.createObjectNode().put("message", message);
  }

  static float[] floats(JsonNode array) {
    float[] v = new float[array.size()];
    for (int i = 0; i < v.length; i++) {
      v[i] = array.get(i).floatValue();
    }
    return v;
  }

  static float[] base64(String s) {
    ByteBuffer b = ByteBuffer.wrap(Base64.getDecoder().decode(s)).order(ByteOrder.LITTLE_ENDIAN);
    float[] v = new float[b.remaining() / 4];
    b.asFloatBuffer().get(v);
    return v;
  }

  static String quote(String s) {
    try {
      return JSON.writeValueAsString(s);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** A JSON array of {@code n} copies of the string. */
  static String array(int n, String s) {
    String q = quote(s);
    StringBuilder sb = new StringBuilder(n * (q.length() + 1) + 2).append('[');
    for (int i = 0; i < n; i++) {
      sb.append(i == 0 ? "" : ",").append(q);
    }
    return sb.append(']').toString();
  }
}
