package dev.embed4j.internal;

import java.time.Duration;

/** A clock the test moves by hand (Caffeine's FakeTicker). */
final class FakeClock implements Clock {
  private long now = 1_000_000_000L;

  @Override
  public long nanoTime() {
    return now;
  }

  void advance(Duration d) {
    now += d.toNanos();
  }
}
