package dev.embed4j;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** The one place that maps a provider's status and error code to what the engine does. */
class ProviderExceptionTest {

  private static ProviderException.Builder failure() {
    return ProviderException.builder("openai", "text-embedding-3-small");
  }

  @Test
  void status401And403_areAuthenticationFailures_notRetried() {
    assertThat(failure().status(401).build("no"))
        .isInstanceOf(AuthenticationException.class)
        .hasMessageContaining("Check the API key")
        .satisfies(e -> assertThat(e.isRetryable()).isFalse());
    assertThat(failure().status(403).build("no"))
        .isInstanceOf(AuthenticationException.class)
        .hasMessageContaining("permissions");
  }

  @Test
  void status429_isARateLimit_unlessTheQuotaIsExhausted() {
    ProviderException limited = failure().status(429).errorCode("rate_limit_exceeded").build("x");
    assertThat(limited).isInstanceOf(RateLimitException.class);
    assertThat(limited.isRetryable()).isTrue();
    assertThat(limited.isRateLimited()).isTrue();

    ProviderException quota = failure().status(429).errorCode("insufficient_quota").build("x");
    assertThat(quota).isInstanceOf(QuotaExhaustedException.class);
    assertThat(quota.isRetryable()).isFalse();
    assertThat(quota.isRateLimited()).isFalse();
  }

  @Test
  void noReply408409And5xx_areRetryable_otherStatusesNot() {
    for (int status : new int[] {0, 408, 409, 500, 502, 503}) {
      assertThat(failure().status(status).build("x").isRetryable()).as("" + status).isTrue();
    }
    for (int status : new int[] {400, 404, 422}) {
      ProviderException e = failure().status(status).build("x");
      assertThat(e.isRetryable()).as("" + status).isFalse();
      assertThat(e.getClass()).isEqualTo(ProviderException.class);
    }
  }

  @Test
  void retryableOverridesTheStatus_forUnusableRepliesAndFrameworkFailures() {
    assertThat(failure().status(200).retryable(true).build("malformed").isRetryable()).isTrue();
    assertThat(failure().retryable(false).build("non-retriable").isRetryable()).isFalse();
  }

  @Test
  void carriesWhatACallerActsOn() {
    IOException cause = new IOException("reset");
    ProviderException e =
        failure()
            .status(503)
            .errorCode("server_error")
            .requestId("req_1")
            .retryAfter(Duration.ofSeconds(2))
            .cause(cause)
            .build("overloaded");
    assertThat(e.provider()).isEqualTo("openai");
    assertThat(e.model()).isEqualTo("text-embedding-3-small");
    assertThat(e.statusCode()).isEqualTo(503);
    assertThat(e.errorCode()).contains("server_error");
    assertThat(e.requestId()).contains("req_1");
    assertThat(e.retryAfter()).contains(Duration.ofSeconds(2));
    assertThat(e).hasCause(cause).hasMessage("overloaded");
    assertThat(e.stopReason()).isEmpty();
  }
}
