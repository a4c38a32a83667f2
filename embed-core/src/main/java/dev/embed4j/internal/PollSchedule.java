package dev.embed4j.internal;

import java.time.Duration;

/**
 * When a Batch API run looks at its jobs again: after the poll interval while something changes,
 * and twice as long after each look at which nothing changed, up to the maximum. A pure function of
 * the looks so far, so that tests need no clock.
 */
final class PollSchedule {
  private final long initialNanos;
  private final long maxNanos;
  private long nextNanos;

  PollSchedule(Duration initial, Duration max) {
    this.initialNanos = initial.toNanos();
    this.maxNanos = Math.max(initialNanos, max.toNanos());
    this.nextNanos = initialNanos;
  }

  /** The wait before the next look, given whether the last look saw a change. */
  Duration next(boolean changed) {
    long wait = changed ? initialNanos : nextNanos;
    nextNanos = wait >= maxNanos / 2 ? maxNanos : wait * 2;
    return Duration.ofNanos(wait);
  }
}
