package dev.embed4j.internal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.embed4j.spi.EmbeddingProvider;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/**
 * The pacing algorithms on a fake clock: the pause gate after 429s, the adaptive bound on requests
 * in flight, and the token-bucket limiter's probe, drain and refill. Nothing here sleeps.
 */
class PacingTest {
  private final FakeClock clock = new FakeClock();

  @Test
  void gate_admitsAtOnceUntilA429_thenPausesForTheServersDelay() {
    PauseGate gate = new PauseGate(clock);
    PauseGate.Admission first = gate.admit();
    assertThat(first.waitNanos()).isZero();

    gate.rateLimited(Duration.ofSeconds(2), first.ticket(), true);

    assertThat(gate.admit().waitNanos()).isEqualTo(Duration.ofSeconds(2).toNanos());
  }

  @Test
  void gate_pacesWorkersOneSpacingApartAfterA429() {
    PauseGate gate = new PauseGate(clock);
    gate.rateLimited(Duration.ofMillis(100), gate.admit().ticket(), true);

    long a = gate.admit().waitNanos();
    long b = gate.admit().waitNanos();
    long c = gate.admit().waitNanos();

    assertThat(a).isEqualTo(Duration.ofMillis(100).toNanos());
    assertThat(b - a).as("spacing").isEqualTo(Duration.ofMillis(100).toNanos());
    assertThat(c - b).isEqualTo(Duration.ofMillis(100).toNanos());
  }

  @Test
  void gate_growsTheSpacingOnceFor429sOfRequestsAdmittedBeforeTheLastGrowth() {
    PauseGate gate = new PauseGate(clock);
    long t0 = gate.admit().ticket();
    long t1 = gate.admit().ticket();
    gate.rateLimited(Duration.ofMillis(100), t0, true);
    gate.rateLimited(Duration.ofMillis(100), t1, true); // admitted before the growth: counts once
    clock.advance(Duration.ofSeconds(10));
    long spaced = spacing(gate);
    assertThat(spaced).isEqualTo(Duration.ofMillis(100).toNanos());

    long later = gate.admit().ticket(); // admitted after the growth: grows it by half
    gate.rateLimited(Duration.ofMillis(100), later, true);
    clock.advance(Duration.ofSeconds(10));
    assertThat(spacing(gate)).isEqualTo(Duration.ofMillis(150).toNanos());
  }

  @Test
  void gate_speedsUpAfterTenSuccessesAndStopsPacingBelowAMillisecond() {
    PauseGate gate = new PauseGate(clock);
    gate.rateLimited(Duration.ofMillis(4), gate.admit().ticket(), true);
    clock.advance(Duration.ofSeconds(1));
    for (int i = 0; i < 10; i++) {
      gate.succeeded();
    }
    assertThat(spacing(gate)).isEqualTo(Duration.ofMillis(2).toNanos());
    for (int i = 0; i < 20; i++) {
      gate.succeeded();
    }
    clock.advance(Duration.ofSeconds(1));
    assertThat(gate.admit().waitNanos()).isZero();
    assertThat(gate.admit().waitNanos()).as("no pacing left").isZero();
  }

  /** The wait between two admissions at an open gate. */
  private long spacing(PauseGate gate) {
    long a = gate.admit().waitNanos();
    long b = gate.admit().waitNanos();
    return b - a;
  }

  @Test
  void inFlight_halvesOncePerWindowOn429s_andGrowsBackByOnePerBoundSuccesses() throws Exception {
    AdaptiveConcurrency slots = new AdaptiveConcurrency(16);
    long generation = slots.acquire();
    slots.release();

    slots.rateLimited(generation);
    slots.rateLimited(generation); // same window: no second halving
    assertThat(slots.bound()).isEqualTo(8);

    long next = slots.acquire();
    slots.release();
    slots.rateLimited(next);
    assertThat(slots.bound()).isEqualTo(4);

    for (int i = 0; i < 4; i++) {
      slots.succeeded();
    }
    assertThat(slots.bound()).isEqualTo(5);
    for (int i = 0; i < 1000; i++) {
      slots.succeeded();
    }
    assertThat(slots.bound()).as("never above the configured maximum").isEqualTo(16);
  }

  @Test
  void limiter_learning_sendsOneProbeAlone_untilItsReplyIsObserved() throws Exception {
    BucketRateLimiter limiter = new BucketRateLimiter(0, 0, true, clock);

    assertThat(limiter.acquire(100, Duration.ZERO)).isEqualTo(Duration.ZERO);
    assertThat(limiter.acquire(100, Duration.ZERO)).as("the probe is still in flight").isNull();

    limiter.observe(EmbeddingProvider.Limits.UNKNOWN);

    assertThat(limiter.acquire(100, Duration.ZERO)).isEqualTo(Duration.ZERO);
    assertThat(limiter.acquire(100, Duration.ZERO)).isEqualTo(Duration.ZERO);
  }

  @Test
  void limiter_drainsToWhatTheServerSaysRemains_andRefillsWithTheClock() throws Exception {
    BucketRateLimiter limiter = new BucketRateLimiter(0, 0, true, clock);
    assertThat(limiter.acquire(1, Duration.ZERO)).isEqualTo(Duration.ZERO);
    // a bucket's reset: the 59,400 used refill in 59.4 s
    limiter.observe(
        new EmbeddingProvider.Limits(-1, -1, null, 60_000, 600, Duration.ofMillis(59_400)));
    assertThat(limiter.maxTokensPerRequest()).isEqualTo(60_000);

    assertThat(limiter.acquire(601, Duration.ZERO)).as("drained to the 600 remaining").isNull();
    assertThat(limiter.acquire(600, Duration.ZERO)).isEqualTo(Duration.ZERO);
    assertThat(limiter.acquire(1, Duration.ZERO)).isNull();

    clock.advance(Duration.ofSeconds(1)); // 60,000 per minute refill 1,000 per second
    assertThat(limiter.acquire(1_000, Duration.ZERO)).isEqualTo(Duration.ZERO);
    assertThat(limiter.acquire(1, Duration.ZERO)).isNull();
  }

  @Test
  void limiter_settlesToTheBilledTokens_andGivesBackWhatAFailedRequestReserved() throws Exception {
    BucketRateLimiter limiter = new BucketRateLimiter(0, 1_000, false, clock);
    assertThat(limiter.acquire(500, Duration.ZERO)).isEqualTo(Duration.ZERO);
    limiter.settle(500, 300); // billed less than estimated: 200 come back
    assertThat(limiter.acquire(700, Duration.ZERO)).isEqualTo(Duration.ZERO);
    limiter.release(700); // that one failed
    assertThat(limiter.acquire(700, Duration.ZERO)).isEqualTo(Duration.ZERO);
    assertThat(limiter.acquire(1, Duration.ZERO)).isNull();
  }
}
