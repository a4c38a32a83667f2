package dev.embed4j;

import static org.assertj.core.api.Assertions.assertThat;

import dev.embed4j.spi.EmbeddingProvider;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import okhttp3.mockwebserver.MockWebServer;
import org.junit.jupiter.api.Test;

/** Listeners hear the limits the provider reports, as the limiter does. */
class RateLimitsReportedTest {

  @Test
  void aReplyWithRateLimitHeaders_isReportedWithItsModel_oneWithoutIsNot() throws Exception {
    List<String> reported = new CopyOnWriteArrayList<>();
    EmbedListener listener =
        new EmbedListener() {
          @Override
          public void rateLimitsReported(String model, EmbeddingProvider.Limits limits) {
            reported.add(model + " " + limits.requestLimit() + " rpm " + limits.tokenLimit());
          }
        };
    try (MockWebServer server = new MockWebServer()) {
      server.enqueue(
          Replies.openAiInOrder(1, 1, 1536, 2)
              .addHeader("x-ratelimit-limit-requests", "3000")
              .addHeader("x-ratelimit-remaining-requests", "2999")
              .addHeader("x-ratelimit-reset-requests", "20ms")
              .addHeader("x-ratelimit-limit-tokens", "1000000")
              .addHeader("x-ratelimit-remaining-tokens", "999998")
              .addHeader("x-ratelimit-reset-tokens", "1ms"));
      server.enqueue(Replies.openAiInOrder(1, 1, 1536, 2));
      server.start();
      Map<String, String> env =
          Map.of("OPENAI_API_KEY", "k", "OPENAI_BASE_URL", server.url("/").toString());
      try (Embedder embedder =
          Embedder.builder().environment(env::get).listener(listener).build()) {
        embedder.embed(List.of("a"));
        embedder.embed(List.of("b"));
      }
    }
    assertThat(reported).containsExactly("openai:text-embedding-3-small 3000 rpm 1000000");
  }
}
