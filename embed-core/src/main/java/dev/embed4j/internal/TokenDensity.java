package dev.embed4j.internal;

import java.util.concurrent.atomic.AtomicLong;

/**
 * How many of a model's tokens the provider counts for each token of the local estimate, learned
 * from the provider's refusals of requests as too large. It starts at 1 (the estimate is trusted)
 * and only grows, to at most {@value #MAX}; one per engine, and an engine serves one model.
 *
 * <p>A request planned at {@code e} estimated tokens against a cap of {@code c} and refused as too
 * large shows a factor above {@code c / e}: the new factor is {@code n / e} when the provider said
 * it counted {@code n} tokens, else {@code c / e} with a margin of {@value #MARGIN}. A refusal of a
 * batch under half the cap by the corrected estimate teaches nothing (a per-input or count limit
 * was more likely hit than the tokens of the request); so a denser tokenizer is learned in a few
 * refusals, each at most doubling the factor. Requests are then planned at {@code cap / factor}
 * estimated tokens. Thread-safe, lock-free.
 */
final class TokenDensity {
  static final double MAX = 16;
  static final double MARGIN = 1.1;

  private final AtomicLong bits = new AtomicLong(Double.doubleToLongBits(1.0));

  /** Provider tokens per estimated token, at least 1. */
  double factor() {
    return Double.longBitsToDouble(bits.get());
  }

  /** The estimate as the provider would count it, rounded up. */
  long corrected(long estimated) {
    double f = factor();
    return f == 1.0 ? estimated : (long) Math.ceil(estimated * f);
  }

  /** The estimated tokens a request may carry to stay under {@code cap} provider tokens. */
  long budget(long cap) {
    double f = factor();
    return f == 1.0 ? cap : Math.max(1, (long) Math.floor(cap / f));
  }

  /**
   * Learns from a refusal of {@code estimated} tokens against a cap of {@code cap}; {@code counted}
   * is the provider's own count if it said it, else -1. Returns whether the factor grew.
   */
  boolean refused(long estimated, long cap, long counted) {
    if (estimated <= 0 || cap <= 0) {
      return false;
    }
    double target;
    if (counted > cap) {
      target = Math.min(MAX, (double) counted / estimated);
    } else if (corrected(estimated) * 2 < cap) {
      return false; // well under the cap by the estimate: some other limit was hit
    } else {
      target = Math.min(MAX, (double) cap / estimated * MARGIN);
    }
    while (true) {
      long current = bits.get();
      if (target <= Double.longBitsToDouble(current)) {
        return false;
      }
      if (bits.compareAndSet(current, Double.doubleToLongBits(target))) {
        return true;
      }
    }
  }
}
