package dev.embed4j;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.time.Duration;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import okhttp3.mockwebserver.MockResponse;
import okhttp3.mockwebserver.MockWebServer;
import okhttp3.mockwebserver.RecordedRequest;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;

/** Scripted replies on a MockWebServer, for the wire tests of the providers. */
abstract class MockServerTest {
  static final ObjectMapper JSON = new ObjectMapper();

  final MockWebServer server = new MockWebServer();
  Embedder embedder;

  @BeforeEach
  void start() throws IOException {
    server.start();
  }

  @AfterEach
  void stop() throws IOException {
    if (embedder != null) {
      embedder.close();
    }
    server.shutdown();
  }

  Embedder.Builder builder(String model, String base) {
    return Embedder.builder()
        .model(model)
        .environment(name -> null)
        .baseUrl(base)
        .initialBackoff(Duration.ofMillis(1))
        .maxBackoff(Duration.ofMillis(5))
        .learnRateLimits(false)
        .requestTimeout(Duration.ofSeconds(5));
  }

  String root() {
    return server.url("/").toString();
  }

  static void assertBody(RecordedRequest request, String expected) throws IOException {
    assertThat(JSON.readTree(request.getBody().readUtf8())).isEqualTo(JSON.readTree(expected));
  }

  static String floats(int n, int dims, int first) {
    return IntStream.range(0, n)
        .mapToObj(i -> Replies.floats(Replies.vector(first + i, dims)))
        .collect(Collectors.joining(","));
  }

  static MockResponse openAiFloats(int n, int dims, String usage) {
    String data =
        IntStream.range(0, n)
            .mapToObj(
                i ->
                    "{\"object\":\"embedding\",\"embedding\":"
                        + Replies.floats(Replies.vector(i + 1, dims))
                        + ",\"index\":"
                        + i
                        + "}")
            .collect(Collectors.joining(","));
    return Replies.json(
        200,
        "{\"object\":\"list\",\"data\":[" + data + "],\"model\":\"m\",\"usage\":" + usage + "}");
  }
}
