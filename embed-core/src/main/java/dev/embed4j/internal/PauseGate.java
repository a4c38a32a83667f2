package dev.embed4j.internal;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Pool-wide back-off: a 429 closes the gate of its provider, key and model until the server's
 * retry delay has passed, and every worker waits at the gate before sending, so a rate limit
 * is answered by the whole pool at once instead of by each request on its own clock.
 */
public final class PauseGate {
  private final AtomicLong openAtNanos = new AtomicLong(System.nanoTime());

  /** Keeps the gate closed for at least {@code pause} from now. */
  public void pauseFor(Duration pause) {
    long until = System.nanoTime() + pause.toNanos();
    openAtNanos.accumulateAndGet(until, (a, b) -> a - b >= 0 ? a : b);
  }

  /** Nanoseconds until the gate opens; 0 if open. */
  public long remainingNanos() {
    long remaining = openAtNanos.get() - System.nanoTime();
    return Math.max(0, remaining);
  }
}
