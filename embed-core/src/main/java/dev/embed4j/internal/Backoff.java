package dev.embed4j.internal;

import java.time.Duration;
import java.util.concurrent.ThreadLocalRandom;

/** Exponential back-off with "equal jitter": half the delay is fixed, half random. */
final class Backoff {
  private final long initialNanos;
  private final long maxNanos;

  Backoff(Duration initial, Duration max) {
    this.initialNanos = initial.toNanos();
    this.maxNanos = max.toNanos();
  }

  /** The wait after failed attempt {@code attempt} (from 1). */
  Duration delay(int attempt) {
    long base = initialNanos;
    for (int i = 1; i < attempt && base < maxNanos; i++) {
      base *= 2;
    }
    base = Math.min(base, maxNanos);
    long half = base / 2;
    return Duration.ofNanos(half + (half > 0 ? ThreadLocalRandom.current().nextLong(half + 1) : 0));
  }
}
