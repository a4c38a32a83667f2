package dev.embed4j.internal;

/**
 * Bounds the requests in flight, and adapts the bound to 429s the way TCP adapts its window:
 * additive increase, multiplicative decrease. A 429 halves the bound, once per "window" (only a
 * request sent after the last decrease can decrease it again, so a burst of 429s from requests
 * already under way counts once); every {@code bound} successes raise it by one, back up to the
 * configured maximum. A pool that hits a server limit without rate-limit headers thus settles just
 * under it instead of waking all its workers into the limit again after every pause.
 */
final class AdaptiveConcurrency {
  private final int max;
  private int bound;
  private int inFlight;
  private int successes;
  private long generation;

  AdaptiveConcurrency(int max) {
    this.max = max;
    this.bound = max;
  }

  /** Waits for a slot; returns the generation the request is sent in. */
  synchronized long acquire() throws InterruptedException {
    while (inFlight >= bound) {
      wait();
    }
    inFlight++;
    return generation;
  }

  synchronized void release() {
    inFlight--;
    notifyAll();
  }

  synchronized void succeeded() {
    if (bound < max && ++successes >= bound) {
      bound++;
      successes = 0;
      notifyAll();
    }
  }

  synchronized void rateLimited(long sentInGeneration) {
    if (sentInGeneration == generation) {
      bound = Math.max(1, bound / 2);
      successes = 0;
      generation++;
    }
  }

  synchronized int bound() {
    return bound;
  }
}
