package dev.embed4j.internal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.embed4j.spi.EmbeddingProvider;
import java.time.Duration;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import okhttp3.Headers;
import org.junit.jupiter.api.Test;

/** Rate-limit and retry headers as OpenAI and Cohere send them. */
class WireParsingTest {

  @Test
  void resetDurationsInGoSyntax() {
    assertThat(RateLimitHeaders.goDuration("1s")).isEqualTo(Duration.ofSeconds(1));
    assertThat(RateLimitHeaders.goDuration("6m0s")).isEqualTo(Duration.ofMinutes(6));
    assertThat(RateLimitHeaders.goDuration("12ms")).isEqualTo(Duration.ofMillis(12));
    assertThat(RateLimitHeaders.goDuration("1m30.5s")).isEqualTo(Duration.ofMillis(90_500));
    assertThat(RateLimitHeaders.goDuration("1h2m")).isEqualTo(Duration.ofMinutes(62));
    assertThat(RateLimitHeaders.goDuration("soon")).isNull();
    assertThat(RateLimitHeaders.goDuration("5x")).isNull();
  }

  @Test
  void retryAfterMsWinsOverRetryAfter() {
    Headers h = Headers.of("retry-after-ms", "1500.5", "retry-after", "30");
    assertThat(RateLimitHeaders.retryAfter(h)).isEqualTo(Duration.ofNanos(1_500_500_000L));
  }

  @Test
  void retryAfterInSecondsOrAsAnHttpDate() {
    assertThat(RateLimitHeaders.retryAfter(Headers.of("retry-after", "7")))
        .isEqualTo(Duration.ofSeconds(7));
    String date = DateTimeFormatter.RFC_1123_DATE_TIME.format(ZonedDateTime.now().plusSeconds(20));
    assertThat(RateLimitHeaders.retryAfter(Headers.of("retry-after", date)))
        .isBetween(Duration.ofSeconds(15), Duration.ofSeconds(21));
    assertThat(RateLimitHeaders.retryAfter(Headers.of("retry-after", "whenever"))).isNull();
    assertThat(RateLimitHeaders.retryAfter(Headers.of())).isNull();
  }

  @Test
  void rateLimitHeaders() {
    EmbeddingProvider.Limits limits =
        RateLimitHeaders.limits(
            Headers.of(
                "x-ratelimit-limit-requests",
                "3000",
                "x-ratelimit-remaining-requests",
                "2999",
                "x-ratelimit-reset-requests",
                "20ms",
                "x-ratelimit-limit-tokens",
                "1000000",
                "x-ratelimit-remaining-tokens",
                "999990",
                "x-ratelimit-reset-tokens",
                "6m0s"));
    assertThat(limits)
        .isEqualTo(
            new EmbeddingProvider.Limits(
                3000, 2999, Duration.ofMillis(20), 1_000_000, 999_990, Duration.ofMinutes(6)));
    assertThat(RateLimitHeaders.limits(Headers.of())).isSameAs(EmbeddingProvider.Limits.UNKNOWN);
  }

  @Test
  void endpointsAcceptBaseUrlsWithOrWithoutTheVersion() {
    okhttp3.HttpUrl base = okhttp3.HttpUrl.get("https://api.openai.com");
    assertThat(HttpCall.endpoint(base, "v1", "embeddings").toString())
        .isEqualTo("https://api.openai.com/v1/embeddings");
    assertThat(
            HttpCall.endpoint(okhttp3.HttpUrl.get("https://api.openai.com/v1/"), "v1", "embeddings")
                .toString())
        .isEqualTo("https://api.openai.com/v1/embeddings");
    assertThat(
            HttpCall.endpoint(okhttp3.HttpUrl.get("http://proxy:8080/openai"), "v1", "embeddings")
                .toString())
        .isEqualTo("http://proxy:8080/openai/v1/embeddings");
  }
}
