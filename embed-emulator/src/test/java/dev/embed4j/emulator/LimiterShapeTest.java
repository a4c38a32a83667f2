package dev.embed4j.emulator;

import static dev.embed4j.emulator.RateLimitTest.openAiBody;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class LimiterShapeTest {

  final AtomicLong now = new AtomicLong(1_000_000_000L);

  void advanceMs(long ms) {
    now.addAndGet(TimeUnit.MILLISECONDS.toNanos(ms));
  }

  RateLimiter limiter(LimiterShape shape, long rpm, long tpm, long ipm) {
    return new RateLimiter(new RateLimiter.Config(rpm, tpm, ipm, shape, true, true, -1), now::get);
  }

  @Test
  void slidingWindow_capacityReturnsSixtySecondsAfterEachRequest() {
    RateLimiter l = limiter(LimiterShape.SLIDING_WINDOW, 0, 100, 0);
    assertThat(l.acquire("k", 60).verdict()).isEqualTo(RateLimiter.Verdict.OK);
    advanceMs(20_000);
    RateLimiter.Outcome second = l.acquire("k", 40);
    assertThat(second.headers())
        .containsEntry("x-ratelimit-remaining-tokens", "0")
        .containsEntry("x-ratelimit-reset-tokens", "1m0s");

    // no refill in between: 30 s later the window still holds 100
    advanceMs(30_000);
    RateLimiter.Outcome short1 = l.acquire("k", 50);
    assertThat(short1.verdict()).isEqualTo(RateLimiter.Verdict.TOKENS);
    assertThat(short1.used()).isEqualTo(100);
    assertThat(short1.retryAfterMs()).isEqualTo(10_000); // the first 60 leave at 60 s
    RateLimiter.Outcome short2 = l.acquire("k", 70);
    assertThat(short2.retryAfterMs()).isEqualTo(30_000); // needs the 40 of 20 s too

    advanceMs(10_000);
    assertThat(l.acquire("k", 60).verdict()).isEqualTo(RateLimiter.Verdict.OK);
    assertThat(l.acquire("k", 1).verdict()).isEqualTo(RateLimiter.Verdict.TOKENS);
  }

  @Test
  void fixedWindow_startsAtFirstRequestAndResetsWhole() {
    RateLimiter l = limiter(LimiterShape.FIXED_WINDOW, 2, 0, 0);
    advanceMs(5_000);
    assertThat(l.acquire("k", 1).headers()).containsEntry("x-ratelimit-reset-requests", "1m0s");
    advanceMs(50_000);
    assertThat(l.acquire("k", 1).headers())
        .containsEntry("x-ratelimit-remaining-requests", "0")
        .containsEntry("x-ratelimit-reset-requests", "10s");
    RateLimiter.Outcome rejected = l.acquire("k", 1);
    assertThat(rejected.verdict()).isEqualTo(RateLimiter.Verdict.REQUESTS);
    assertThat(rejected.retryAfterMs()).isEqualTo(10_000);

    advanceMs(10_000); // the next minute: both requests at once
    assertThat(l.acquire("k", 1).verdict()).isEqualTo(RateLimiter.Verdict.OK);
    assertThat(l.acquire("k", 1).verdict()).isEqualTo(RateLimiter.Verdict.OK);
    assertThat(l.acquire("k", 1).retryAfterMs()).isEqualTo(60_000);

    advanceMs(150_000); // idle minutes: windows stay aligned to the first request
    assertThat(l.acquire("k", 1).headers()).containsEntry("x-ratelimit-reset-requests", "30s");
  }

  @Test
  void inputsPerMinute_countsTexts() {
    RateLimiter l = limiter(LimiterShape.TOKEN_BUCKET, 0, 0, 10);
    assertThat(l.enabled()).isTrue();
    assertThat(l.acquire("k", 500, 8).verdict()).isEqualTo(RateLimiter.Verdict.OK);
    RateLimiter.Outcome out = l.acquire("k", 1, 3);
    assertThat(out.verdict()).isEqualTo(RateLimiter.Verdict.INPUTS);
    assertThat(out.retryAfterMs()).isEqualTo(6_000);
    assertThat(out.headers()).isEmpty(); // no provider reports inputs
  }

  @Test
  void cohere_inputsPerMinute_429NamesInputs() throws IOException {
    try (EmbeddingEmulator emu =
        EmbeddingEmulator.builder().inputsPerMinute(3).nanoTime(now::get).start()) {
      String body =
          "{\"model\":\"embed-v4.0\",\"texts\":[\"a\",\"b\"],\"input_type\":\"search_query\","
              + "\"embedding_types\":[\"float\"],\"output_dimension\":256}";
      assertThat(Http.cohere(emu, body).status()).isEqualTo(200);
      Http.Reply r = Http.cohere(emu, body);

      assertThat(r.status()).isEqualTo(429);
      assertThat(r.headers().get("retry-after")).isEqualTo("20");
      assertThat(r.headers().get("x-ratelimit-remaining-tokens")).isNull();
      assertThat(r.json().get("message").asText())
          .startsWith("You are using a Trial key, which is limited to 3 inputs / minute.");
    }
  }

  @Test
  void openAi_withoutHeaders_andRetryAfterCapped() throws IOException {
    try (EmbeddingEmulator emu =
        EmbeddingEmulator.builder()
            .requestsPerMinute(1)
            .limiterShape(LimiterShape.FIXED_WINDOW)
            .rateLimitHeaders(false)
            .maxRetryAfter(Duration.ofSeconds(2))
            .nanoTime(now::get)
            .start()) {
      Http.Reply ok = Http.openAi(emu, openAiBody("a"));
      Http.Reply rejected = Http.openAi(emu, openAiBody("b"));

      assertThat(ok.status()).isEqualTo(200);
      assertThat(ok.headers().names()).noneMatch(h -> h.toLowerCase().startsWith("x-ratelimit"));
      assertThat(rejected.status()).isEqualTo(429);
      assertThat(rejected.headers().names())
          .noneMatch(h -> h.toLowerCase().startsWith("x-ratelimit"));
      assertThat(rejected.headers().get("retry-after-ms")).isEqualTo("2000");
      assertThat(rejected.headers().get("retry-after")).isEqualTo("2");
      assertThat(rejected.json().get("error").get("message").asText())
          .contains("Please try again in 1m0s");
    }
  }

  @Test
  void openAi_withoutRetryAfter() throws IOException {
    try (EmbeddingEmulator emu =
        EmbeddingEmulator.builder()
            .tokensPerMinute(5)
            .limiterShape(LimiterShape.SLIDING_WINDOW)
            .retryAfter(false)
            .nanoTime(now::get)
            .start()) {
      assertThat(Http.openAi(emu, openAiBody("hello hello hello")).status()).isEqualTo(200);
      Http.Reply rejected = Http.openAi(emu, openAiBody("hello hello hello"));

      assertThat(rejected.status()).isEqualTo(429);
      assertThat(rejected.headers().get("retry-after")).isNull();
      assertThat(rejected.headers().get("retry-after-ms")).isNull();
      assertThat(rejected.headers().get("x-ratelimit-remaining-tokens")).isEqualTo("2");
      assertThat(emu.stats().rateLimited()).isEqualTo(1);
    }
  }
}
