package dev.embed4j;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Base64;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import okhttp3.mockwebserver.MockResponse;

/** Scripted provider replies for MockWebServer tests. */
final class Replies {
  private Replies() {}

  /** A recognisable vector: component 0 is the marker, the rest its position. */
  static float[] vector(float marker, int dims) {
    float[] v = new float[dims];
    v[0] = marker;
    for (int i = 1; i < dims; i++) {
      v[i] = i / 1000f;
    }
    return v;
  }

  static String base64(float[] v) {
    ByteBuffer buf = ByteBuffer.allocate(v.length * 4).order(ByteOrder.LITTLE_ENDIAN);
    for (float f : v) {
      buf.putFloat(f);
    }
    return Base64.getEncoder().encodeToString(buf.array());
  }

  /**
   * An OpenAI reply whose item {@code i} carries marker {@code markers[i]} at {@code index =
   * order[i]}.
   */
  static MockResponse openAi(int[] order, float[] markers, int dims, int tokens, boolean asBase64) {
    String data =
        IntStream.range(0, order.length)
            .mapToObj(
                i -> {
                  float[] v = vector(markers[i], dims);
                  String embedding = asBase64 ? "\"" + base64(v) + "\"" : floats(v);
                  return "{\"object\":\"embedding\",\"index\":"
                      + order[i]
                      + ",\"embedding\":"
                      + embedding
                      + "}";
                })
            .collect(Collectors.joining(","));
    return json(
        200,
        "{\"object\":\"list\",\"data\":["
            + data
            + "],\"model\":\"text-embedding-3-small\","
            + "\"usage\":{\"prompt_tokens\":"
            + tokens
            + ",\"total_tokens\":"
            + tokens
            + "}}");
  }

  /** An in-order OpenAI reply for {@code n} texts, markers {@code first, first+1, ...}. */
  static MockResponse openAiInOrder(int n, float first, int dims, int tokens) {
    int[] order = IntStream.range(0, n).toArray();
    float[] markers = new float[n];
    for (int i = 0; i < n; i++) {
      markers[i] = first + i;
    }
    return openAi(order, markers, dims, tokens, true);
  }

  static MockResponse cohere(List<float[]> vectors, int tokens) {
    String floats = vectors.stream().map(Replies::floats).collect(Collectors.joining(","));
    return json(
        200,
        "{\"id\":\"abc\",\"embeddings\":{\"float\":["
            + floats
            + "]},\"texts\":[],"
            + "\"meta\":{\"api_version\":{\"version\":\"2\"},\"billed_units\":{\"input_tokens\":"
            + tokens
            + "}}}");
  }

  static MockResponse openAiError(int status, String code, String message) {
    return json(
        status,
        "{\"error\":{\"message\":\""
            + message
            + "\",\"type\":\"invalid_request_error\","
            + "\"param\":null,\"code\":\""
            + code
            + "\"}}");
  }

  static MockResponse json(int status, String body) {
    return new MockResponse()
        .setResponseCode(status)
        .setHeader("Content-Type", "application/json")
        .setBody(body);
  }

  static String floats(float[] v) {
    StringBuilder sb = new StringBuilder("[");
    for (int i = 0; i < v.length; i++) {
      sb.append(i == 0 ? "" : ",").append(v[i]);
    }
    return sb.append(']').toString();
  }
}
