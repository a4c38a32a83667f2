package dev.embed4j.internal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.embed4j.Embed4jException;
import dev.embed4j.ProviderException;
import dev.embed4j.StopReason;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** The retry policy as the pure function it is: (failure, attempt) to a decision. */
class RetryPolicyTest {
  private final RetryPolicy lowJitter =
      new RetryPolicy(5, Duration.ofMillis(500), Duration.ofSeconds(30), () -> 0.0);
  private final RetryPolicy highJitter =
      new RetryPolicy(5, Duration.ofMillis(500), Duration.ofSeconds(30), () -> 1.0);

  private static ProviderException status(int status, String code) {
    return ProviderException.builder("p", "m").status(status).errorCode(code).build("failed");
  }

  @Test
  void aRejectedKeyFailsTheBatchAndStopsTheRun() {
    RetryPolicy.Decision d = lowJitter.decide(status(401, null), 1);
    assertThat(d.retry()).isFalse();
    assertThat(d.stopRun()).isEqualTo(StopReason.KEY_REJECTED);
    assertThat(lowJitter.decide(status(403, null), 1).stopRun()).isEqualTo(StopReason.KEY_REJECTED);
  }

  @Test
  void anExhaustedQuotaFailsTheBatchAndStopsTheRun() {
    RetryPolicy.Decision d = lowJitter.decide(status(429, "insufficient_quota"), 1);
    assertThat(d.retry()).isFalse();
    assertThat(d.stopRun()).isEqualTo(StopReason.QUOTA_EXHAUSTED);
  }

  @Test
  void clientErrorsAreNotRetried_norAnythingAfterTheLastAttempt() {
    for (int status : new int[] {400, 404, 422}) {
      RetryPolicy.Decision d = lowJitter.decide(status(status, null), 1);
      assertThat(d.retry()).as("HTTP " + status).isFalse();
      assertThat(d.stopRun()).isNull();
    }
    assertThat(lowJitter.decide(status(503, null), 5).retry()).isFalse();
    assertThat(lowJitter.decide(new Embed4jException("a bug"), 1).retry()).isFalse();
  }

  @Test
  void retryableFailuresBackOffExponentiallyWithEqualJitter() {
    for (int status : new int[] {0, 408, 409, 429, 500, 503}) {
      assertThat(lowJitter.decide(status(status, null), 1).retry()).as("HTTP " + status).isTrue();
    }
    assertThat(lowJitter.decide(status(503, null), 1).delay()).isEqualTo(Duration.ofMillis(250));
    assertThat(highJitter.decide(status(503, null), 1).delay())
        .isBetween(Duration.ofMillis(500), Duration.ofMillis(501));
    assertThat(lowJitter.decide(status(503, null), 3).delay()).isEqualTo(Duration.ofSeconds(1));
    assertThat(highJitter.decide(status(503, null), 4).delay())
        .isBetween(Duration.ofSeconds(4), Duration.ofMillis(4001));
    RetryPolicy manyAttempts =
        new RetryPolicy(50, Duration.ofMillis(500), Duration.ofSeconds(30), () -> 0.0);
    assertThat(manyAttempts.decide(status(503, null), 40).delay())
        .as("capped at max")
        .isEqualTo(Duration.ofSeconds(15));
  }

  @Test
  void theServersRetryAfterWinsOverTheBackOff() {
    ProviderException limited =
        ProviderException.builder("p", "m")
            .status(429)
            .retryAfter(Duration.ofMillis(20))
            .build("slow down");
    assertThat(highJitter.decide(limited, 3).delay()).isEqualTo(Duration.ofMillis(20));
  }
}
