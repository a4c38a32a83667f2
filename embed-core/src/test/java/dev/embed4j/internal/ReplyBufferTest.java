package dev.embed4j.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.embed4j.ModelSpec;
import dev.embed4j.ProviderException;
import dev.embed4j.spi.EmbeddingProvider;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.stream.IntStream;
import okhttp3.OkHttpClient;
import okhttp3.mockwebserver.MockResponse;
import okhttp3.mockwebserver.MockWebServer;
import okio.Buffer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Replies read one after another on one thread share its buffer: each is read to its own length
 * only, whatever an earlier, longer reply left after it.
 */
class ReplyBufferTest {
  private MockWebServer server;
  private OkHttpClient client;
  private OpenAiProvider provider;

  @BeforeEach
  void start() throws IOException {
    server = new MockWebServer();
    server.start();
    client = new OkHttpClient();
    provider =
        new OpenAiProvider(new HttpCall(client, "openai", "Authorization", "k"), server.url("/"));
  }

  @AfterEach
  void stop() throws IOException {
    server.shutdown();
    client.dispatcher().executorService().shutdown();
    client.connectionPool().evictAll();
  }

  private static float[] vector(int marker, int dims) {
    float[] v = new float[dims];
    for (int d = 0; d < dims; d++) {
      v[d] = marker + d / 4096f;
    }
    return v;
  }

  private static byte[] reply(int n, int dims) {
    StringBuilder json = new StringBuilder("{\"object\":\"list\",\"data\":[");
    for (int i = 0; i < n; i++) {
      ByteBuffer b = ByteBuffer.allocate(dims * 4).order(ByteOrder.LITTLE_ENDIAN);
      b.asFloatBuffer().put(vector(i + 1, dims));
      json.append(i == 0 ? "" : ",")
          .append("{\"object\":\"embedding\",\"index\":")
          .append(i)
          .append(",\"embedding\":\"")
          .append(Base64.getEncoder().encodeToString(b.array()))
          .append("\"}");
    }
    return json.append("],\"usage\":{\"prompt_tokens\":")
        .append(n)
        .append("}}")
        .toString()
        .getBytes(StandardCharsets.UTF_8);
  }

  private void enqueue(byte[] body) {
    server.enqueue(
        new MockResponse()
            .setHeader("Content-Type", "application/json")
            .setBody(new Buffer().write(body)));
  }

  private EmbeddingProvider.Result embed(int n, int dims) throws IOException {
    ModelSpec model = ModelSpec.builder("openai", "m" + dims).dimensions(dims).build();
    List<String> texts = IntStream.range(0, n).mapToObj(i -> "text " + i).toList();
    return provider.embed(EmbeddingProvider.Request.of(model, texts, dims, null, false));
  }

  @Test
  void aShortReplyAfterALongOneIsReadToItsOwnEnd() throws IOException {
    byte[] longReply = reply(64, 1536);
    enqueue(longReply);
    enqueue(reply(1, 8));
    // the long reply's first half, as a whole reply of its own: its rest is still in the buffer
    enqueue(Arrays.copyOf(longReply, longReply.length / 2));

    EmbeddingProvider.Result first = embed(64, 1536);
    EmbeddingProvider.Result second = embed(1, 8);

    assertThat(first.vectors()).hasSize(64);
    assertThat(first.vectors().get(63)).containsExactly(vector(64, 1536));
    assertThat(second.vectors()).hasSize(1);
    assertThat(second.vectors().get(0)).containsExactly(vector(1, 8));
    assertThat(second.tokens()).isEqualTo(1);
    assertThatThrownBy(() -> embed(64, 1536))
        .isInstanceOf(ProviderException.class)
        .hasMessageContaining("Unusable reply")
        .satisfies(e -> assertThat(((ProviderException) e).isRetryable()).isTrue());
  }
}
