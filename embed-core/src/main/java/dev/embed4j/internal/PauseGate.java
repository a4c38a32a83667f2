package dev.embed4j.internal;

import java.time.Duration;
import java.util.concurrent.TimeUnit;

/**
 * Pool-wide back-off for one provider, key and model. A 429 closes the gate until the server's
 * retry delay has passed, and every worker passes the gate before sending, so the pool answers a
 * rate limit together instead of each request on its own clock.
 *
 * <p>The server's delay says when <em>one</em> request may go, not when all waiting workers may. A
 * rate limiter that models the limit ({@link BucketRateLimiter}, or one shared by processes)
 * decides that; without one, after a 429 the gate also paces: it admits workers one spacing apart,
 * the spacing starting at the server's delay and growing by half on a further 429 of a request
 * admitted after the last growth (429s of requests already admitted or under way count once); every
 * ten successes halve it again, until pacing stops. A pool running into a limit it was not told
 * about (no rate-limit headers) thus settles near the server's rate instead of waking into it all
 * at once.
 */
final class PauseGate {
  private static final long MAX_SPACING = TimeUnit.MINUTES.toNanos(1);
  private static final long MIN_SPACING = TimeUnit.MILLISECONDS.toNanos(1);
  private static final int SUCCESSES_TO_SPEED_UP = 10;

  private final Clock clock;
  private long openAt;
  private long tickets;
  private long lastGrowthTicket = -1;
  private long spacing;
  private int successes;

  PauseGate(Clock clock) {
    this.clock = clock;
    this.openAt = clock.nanoTime();
  }

  /**
   * Reserves this worker's turn: how long to wait for it, and its ticket for {@link #rateLimited}.
   */
  synchronized Admission admit() {
    long now = clock.nanoTime();
    long at = openAt - now > 0 ? openAt : now;
    if (spacing > 0) {
      openAt = at + spacing;
    }
    return new Admission(at - now, tickets++);
  }

  /**
   * A 429 for the request admitted with {@code ticket}: close the gate for {@code pause}, and pace
   * what follows unless a rate limiter does ({@code pace} false).
   */
  synchronized void rateLimited(Duration pause, long ticket, boolean pace) {
    long now = clock.nanoTime();
    long nanos = Math.max(MIN_SPACING, pause.toNanos());
    if (now + nanos - openAt > 0) {
      openAt = now + nanos;
    }
    if (pace && ticket > lastGrowthTicket) {
      spacing = Math.min(MAX_SPACING, Math.max(nanos, spacing + spacing / 2));
      lastGrowthTicket = tickets - 1;
    }
    successes = 0;
  }

  /** A request went through: pace less. */
  synchronized void succeeded() {
    if (spacing > 0 && ++successes >= SUCCESSES_TO_SPEED_UP) {
      spacing = spacing / 2 < MIN_SPACING ? 0 : spacing / 2;
      successes = 0;
    }
  }

  /** A worker's turn at the gate. */
  record Admission(long waitNanos, long ticket) {}
}
