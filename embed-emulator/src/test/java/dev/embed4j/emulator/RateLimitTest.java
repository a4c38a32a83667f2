package dev.embed4j.emulator;

import static dev.embed4j.emulator.Http.openAiError;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class RateLimitTest {

  final AtomicLong now = new AtomicLong(1_000_000_000L);

  void advanceMs(long ms) {
    now.addAndGet(TimeUnit.MILLISECONDS.toNanos(ms));
  }

  static String openAiBody(String text) {
    return "{\"model\":\"text-embedding-3-small\",\"dimensions\":4,\"input\":"
        + Http.quote(text)
        + "}";
  }

  @Test
  void requestsPerMinute_429WithHeaders_thenRefills() throws IOException {
    try (EmbeddingEmulator emu =
        EmbeddingEmulator.builder().requestsPerMinute(2).nanoTime(now::get).start()) {
      Http.Reply first = Http.openAi(emu, openAiBody("a"));
      Http.Reply second = Http.openAi(emu, openAiBody("b"));
      Http.Reply third = Http.openAi(emu, openAiBody("c"));

      assertThat(first.status()).isEqualTo(200);
      assertThat(first.headers().get("x-ratelimit-limit-requests")).isEqualTo("2");
      assertThat(first.headers().get("x-ratelimit-remaining-requests")).isEqualTo("1");
      assertThat(first.headers().get("x-ratelimit-reset-requests")).isEqualTo("30s");
      assertThat(first.headers().get("x-ratelimit-limit-tokens")).isNull();
      assertThat(second.headers().get("x-ratelimit-remaining-requests")).isEqualTo("0");
      assertThat(second.headers().get("x-ratelimit-reset-requests")).isEqualTo("1m0s");

      assertThat(third.status()).isEqualTo(429);
      assertThat(third.headers().get("retry-after-ms")).isEqualTo("30000");
      assertThat(third.headers().get("retry-after")).isEqualTo("30");
      assertThat(third.headers().get("x-ratelimit-remaining-requests")).isEqualTo("0");
      assertThat(third.json())
          .isEqualTo(
              openAiError(
                  "Rate limit reached for "
                      + "text-embedding-3-small in organization org-emulator on requests per min (RPM): "
                      + "Limit 2, Used 2, Requested 1. Please try again in 30s. Visit "
                      + "https://platform.openai.com/account/rate-limits to learn more.",
                  "requests",
                  null,
                  "rate_limit_exceeded"));

      advanceMs(29_999);
      assertThat(Http.openAi(emu, openAiBody("d")).status()).isEqualTo(429);
      advanceMs(1);
      Http.Reply later = Http.openAi(emu, openAiBody("e"));
      assertThat(later.status()).isEqualTo(200);
      assertThat(later.headers().get("x-ratelimit-remaining-requests")).isEqualTo("0");

      assertThat(emu.stats().rateLimited()).isEqualTo(2);
      assertThat(emu.stats().requests(429)).isEqualTo(2);
      assertThat(emu.stats().inputsEmbedded()).isEqualTo(3);
    }
  }

  @Test
  void tokensPerMinute_rejectedRequestConsumesNothing() throws IOException {
    try (EmbeddingEmulator emu =
        EmbeddingEmulator.builder()
            .tokensPerMinute(10)
            .requestsPerMinute(100)
            .nanoTime(now::get)
            .start()) {
      String eight = "hello" + " hello".repeat(7);
      String five = "hello" + " hello".repeat(4);
      Http.Reply ok = Http.openAi(emu, openAiBody(eight));
      Http.Reply rejected = Http.openAi(emu, openAiBody(five));

      assertThat(ok.status()).isEqualTo(200);
      assertThat(ok.headers().get("x-ratelimit-limit-tokens")).isEqualTo("10");
      assertThat(ok.headers().get("x-ratelimit-remaining-tokens")).isEqualTo("2");
      assertThat(ok.headers().get("x-ratelimit-reset-tokens")).isEqualTo("48s");
      assertThat(ok.headers().get("x-ratelimit-remaining-requests")).isEqualTo("99");
      assertThat(ok.headers().get("x-ratelimit-reset-requests")).isEqualTo("600ms");

      assertThat(rejected.status()).isEqualTo(429);
      assertThat(rejected.headers().get("retry-after-ms")).isEqualTo("18000");
      assertThat(rejected.headers().get("retry-after")).isEqualTo("18");
      assertThat(rejected.headers().get("x-ratelimit-remaining-tokens")).isEqualTo("2");
      assertThat(rejected.json())
          .isEqualTo(
              openAiError(
                  "Rate limit reached for "
                      + "text-embedding-3-small in organization org-emulator on tokens per min (TPM): "
                      + "Limit 10, Used 8, Requested 5. Please try again in 18s. Visit "
                      + "https://platform.openai.com/account/rate-limits to learn more.",
                  "tokens",
                  null,
                  "rate_limit_exceeded"));

      // nothing was consumed by the rejection: a 2-token request still fits
      Http.Reply two = Http.openAi(emu, openAiBody("hello hello"));
      assertThat(two.status()).isEqualTo(200);
      assertThat(two.headers().get("x-ratelimit-remaining-tokens")).isEqualTo("0");
      assertThat(two.headers().get("x-ratelimit-remaining-requests")).isEqualTo("98");
      assertThat(emu.stats().tokensBilled()).isEqualTo(10);
    }
  }

  @Test
  void tokensPerMinute_requestLargerThanLimit() throws IOException {
    try (EmbeddingEmulator emu =
        EmbeddingEmulator.builder().tokensPerMinute(3).nanoTime(now::get).start()) {
      Http.Reply r = Http.openAi(emu, openAiBody("hello hello hello hello"));

      assertThat(r.status()).isEqualTo(429);
      assertThat(r.headers().get("retry-after")).isNull();
      assertThat(r.json().get("error").get("message").asText())
          .startsWith(
              "Request too large for text-embedding-3-small in organization "
                  + "org-emulator on tokens per min (TPM): Limit 3, Requested 4.");
      assertThat(r.json().get("error").get("code").asText()).isEqualTo("rate_limit_exceeded");
    }
  }

  @Test
  void limitsArePerKeyAndModel() throws IOException {
    try (EmbeddingEmulator emu =
        EmbeddingEmulator.builder().requestsPerMinute(1).nanoTime(now::get).start()) {
      String url = emu.baseUrl() + "/v1/embeddings";
      assertThat(Http.post(Http.CLIENT, url, "k1", openAiBody("a")).status()).isEqualTo(200);
      assertThat(Http.post(Http.CLIENT, url, "k1", openAiBody("a")).status()).isEqualTo(429);
      assertThat(Http.post(Http.CLIENT, url, "k2", openAiBody("a")).status()).isEqualTo(200);
      assertThat(
              Http.post(
                      Http.CLIENT,
                      url,
                      "k1",
                      "{\"model\":\"text-embedding-ada-002\",\"input\":\"a\"}")
                  .status())
          .isEqualTo(200);
    }
  }

  @Test
  void cohere_429WithRetryAfterSeconds() throws IOException {
    try (EmbeddingEmulator emu =
        EmbeddingEmulator.builder().requestsPerMinute(1).nanoTime(now::get).start()) {
      String body =
          "{\"model\":\"embed-v4.0\",\"texts\":[\"x\"],\"input_type\":\"search_query\","
              + "\"embedding_types\":[\"float\"],\"output_dimension\":256}";
      Http.Reply ok = Http.cohere(emu, body);
      advanceMs(1_500);
      Http.Reply r = Http.cohere(emu, body);

      assertThat(ok.status()).isEqualTo(200);
      assertThat(r.status()).isEqualTo(429);
      assertThat(r.headers().get("retry-after")).isEqualTo("59");
      assertThat(r.headers().get("retry-after-ms")).isNull();
      assertThat(r.json().get("message").asText())
          .startsWith("You are using a Trial key, which is limited to 1 API calls / minute.");
    }
  }

  @Test
  void limiter_refillsContinuouslyAndCapsAtLimit() {
    RateLimiter l = new RateLimiter(60, 600, now::get);

    for (int i = 0; i < 60; i++) {
      assertThat(l.acquire("k", 10).verdict()).isEqualTo(RateLimiter.Verdict.OK);
    }
    RateLimiter.Outcome out = l.acquire("k", 10);
    assertThat(out.verdict()).isEqualTo(RateLimiter.Verdict.REQUESTS);
    assertThat(out.retryAfterMs()).isEqualTo(1000);
    advanceMs(500);
    assertThat(l.acquire("k", 1).retryAfterMs()).isEqualTo(500);
    advanceMs(500);
    RateLimiter.Outcome ok = l.acquire("k", 10);
    assertThat(ok.verdict()).isEqualTo(RateLimiter.Verdict.OK);
    assertThat(ok.headers()).containsEntry("x-ratelimit-remaining-tokens", "0");
    advanceMs(3_600_000);
    assertThat(l.acquire("k", 0).headers())
        .containsEntry("x-ratelimit-remaining-requests", "59")
        .containsEntry("x-ratelimit-remaining-tokens", "600")
        .containsEntry("x-ratelimit-reset-tokens", "0s");
  }

  @Test
  void limiter_bothShort_reportsTheLongerWait() {
    RateLimiter l = new RateLimiter(1, 60, now::get);
    l.acquire("k", 60);

    RateLimiter.Outcome out = l.acquire("k", 30);
    assertThat(out.verdict()).isEqualTo(RateLimiter.Verdict.REQUESTS);
    assertThat(out.retryAfterMs()).isEqualTo(60_000);
  }

  @Test
  void goDuration() {
    assertThat(RateLimiter.goDuration(0)).isEqualTo("0s");
    assertThat(RateLimiter.goDuration(12)).isEqualTo("12ms");
    assertThat(RateLimiter.goDuration(999)).isEqualTo("999ms");
    assertThat(RateLimiter.goDuration(1000)).isEqualTo("1s");
    assertThat(RateLimiter.goDuration(1200)).isEqualTo("1.2s");
    assertThat(RateLimiter.goDuration(1176)).isEqualTo("1.176s");
    assertThat(RateLimiter.goDuration(90_500)).isEqualTo("1m30.5s");
    assertThat(RateLimiter.goDuration(360_000)).isEqualTo("6m0s");
    assertThat(RateLimiter.goDuration(3_600_000)).isEqualTo("1h0m0s");
    assertThat(RateLimiter.goDuration(3_661_050)).isEqualTo("1h1m1.05s");
  }
}
