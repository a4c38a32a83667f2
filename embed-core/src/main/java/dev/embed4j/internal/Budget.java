package dev.embed4j.internal;

import java.util.ArrayDeque;
import java.util.concurrent.TimeUnit;

/**
 * One per-minute limit (requests or tokens) as the client models it, in one of two shapes, because
 * servers count in both: a bucket that refills continuously at limit / 60 s (OpenAI), or a window
 * in which capacity returns only when what was sent leaves it (sliding or fixed 60-s windows: Azure
 * OpenAI, gateways). Not thread-safe: {@link BucketRateLimiter} holds its lock around every call.
 *
 * <p>Both shapes count what is in flight and keep a log of what was billed in the last minute, by
 * the time its reply came (the server counted it earlier, so the log never frees capacity before
 * the server does). In the window shape, what is available is the limit less what is in flight and
 * less the log; an entry leaves the log 60 s after its reply, or when the server's reported reset
 * ({@code x-ratelimit-reset-*}) has passed, whichever is first. In the bucket shape the log only
 * measures: what the server let through in the minute before a 429 is the first estimate of a limit
 * it never reported.
 *
 * <p>The shape starts as a bucket. It turns into a window when the server's headers contradict a
 * bucket (a reset far from the time a bucket would need to refill what was used) or, without
 * headers, when {@link BucketRateLimiter} sees a 429 that a bucket cannot explain. A bucket's limit
 * that the server never reported is adapted: each billed amount raises it by 1 % of that amount, a
 * 429 cuts it by a tenth (AIMD on the rate, not only on the requests in flight). A window's learned
 * limit is what the server let through in the window of a 429, measured again at the next 429.
 */
final class Budget {
  static final long MINUTE = TimeUnit.MINUTES.toNanos(1);
  private static final long MARGIN = TimeUnit.MILLISECONDS.toNanos(100);
  private static final long POLL = TimeUnit.MILLISECONDS.toNanos(50);
  private static final double INCREASE = 0.01;
  private static final double DECREASE = 0.9;

  private double limit; // per minute; <= 0: none
  private boolean learned;
  private boolean window;
  private double level;
  private long refilledAt;
  private long inFlight;
  private final ArrayDeque<long[]> billed = new ArrayDeque<>(); // {reply at, amount}
  private long billedSum;
  private long serverLeft = Long.MAX_VALUE; // window: what the server said remains, less since
  private boolean resetPending;
  private long resetAt;
  private long resetCovers;

  Budget(long limit, long now) {
    this.limit = limit;
    this.level = limit;
    this.refilledAt = now;
  }

  boolean limited() {
    return limit > 0;
  }

  long limit() {
    return (long) limit;
  }

  boolean isWindow() {
    return window;
  }

  boolean isLearned() {
    return learned;
  }

  /** A limit configured or reported by the server; the bucket starts full. */
  void known(long perMinute, long now) {
    if (perMinute != (long) limit || learned) {
      refill(now);
      level = limit <= 0 ? perMinute : Math.min(level, perMinute);
      limit = perMinute;
      learned = false;
    }
  }

  /**
   * After a 429 at {@code since} from a server that never reported this limit: the limit is what it
   * let through in the last minute (billed or in flight); the bucket was empty at {@code since}.
   */
  boolean learn(long since, long now) {
    expire(now);
    long measured = billedSum + inFlight;
    if (measured <= 0) {
      return false;
    }
    limit = measured;
    learned = true;
    level = 0;
    refilledAt = since;
    refill(now);
    return true;
  }

  /** A 429 the bucket did not predict: nothing is left; a learned limit is cut. */
  void rejected(long now) {
    refill(now);
    level = Math.min(level, 0);
    if (learned) {
      limit = Math.max(1, limit * DECREASE);
    }
  }

  /** Count in windows from now on. */
  void toWindow() {
    window = true;
  }

  /** Nanoseconds until {@code need} (at most the limit) could be taken; 0 if now. */
  long waitNanos(long need, long now) {
    if (limit <= 0) {
      return 0;
    }
    double n = Math.min(need, limit);
    if (!window) {
      refill(now);
      return level >= n ? 0 : Math.max(1, (long) Math.ceil((n - level) * MINUTE / limit));
    }
    expire(now);
    double free = Math.min(serverLeft, limit - inFlight - billedSum);
    if (free >= n) {
      return 0;
    }
    long wait = resetPending ? resetAt - now : Long.MAX_VALUE;
    for (long[] e : billed) {
      free += e[1];
      if (free >= n) {
        wait = Math.min(wait, e[0] + MINUTE + MARGIN - now);
        break;
      }
    }
    return wait == Long.MAX_VALUE ? POLL : Math.max(1, wait); // else wait for replies in flight
  }

  void take(long need, long now) {
    if (limit > 0) {
      refill(now);
      level -= Math.min(need, limit);
    }
    inFlight += need;
    if (serverLeft != Long.MAX_VALUE) {
      serverLeft -= need;
    }
  }

  void settle(long estimated, long actual, long now) {
    inFlight -= estimated;
    if (limit > 0) {
      refill(now);
      level -= actual - Math.min(estimated, limit);
      if (learned && !window) {
        limit += actual * INCREASE;
      }
    }
    billed.addLast(new long[] {now, actual});
    billedSum += actual;
    expire(now);
  }

  /**
   * A request taken was not billed; {@code giveBack} false if it was sent before a 429 that emptied
   * the bucket (what it took is not there to give back).
   */
  void release(long estimated, boolean giveBack, long now) {
    inFlight -= estimated;
    if (serverLeft != Long.MAX_VALUE && giveBack) {
      serverLeft += estimated;
    }
    if (limit > 0 && giveBack) {
      refill(now);
      level = Math.min(limit, level + Math.min(estimated, limit));
    }
  }

  /** What the server said remains and when the whole limit returns (null if it did not say). */
  void observe(long remaining, Long resetNanos, long now) {
    if (limit <= 0) {
      return;
    }
    refill(now);
    expire(now);
    if (remaining >= 0 && level > remaining) {
      level = remaining;
    }
    if (resetNanos == null) {
      return;
    }
    if (!window && remaining >= 0) {
      double bucketReset = (limit - remaining) * MINUTE / limit;
      if (Math.abs(resetNanos - bucketReset) > bucketReset / 2 + 2 * TimeUnit.SECONDS.toNanos(1)) {
        window = true;
      }
    }
    if (window && remaining >= 0) {
      serverLeft = remaining;
    }
    resetPending = true;
    resetAt = now + resetNanos + MARGIN;
    resetCovers = now;
  }

  private void refill(long now) {
    long elapsed = now - refilledAt;
    if (elapsed > 0) {
      level = Math.min(limit, level + elapsed * limit / MINUTE);
      refilledAt = now;
    }
  }

  private void expire(long now) {
    if (resetPending && now - resetAt >= 0) {
      resetPending = false;
      serverLeft = Long.MAX_VALUE;
      while (!billed.isEmpty() && billed.peekFirst()[0] - resetCovers <= 0) {
        billedSum -= billed.pollFirst()[1];
      }
    }
    while (!billed.isEmpty() && now - billed.peekFirst()[0] >= MINUTE + MARGIN) {
      long amount = billed.pollFirst()[1];
      billedSum -= amount;
      if (serverLeft != Long.MAX_VALUE) {
        serverLeft = Math.min((long) limit, serverLeft + amount); // the server no longer counts it
      }
    }
  }

  @Override
  public String toString() {
    return limit <= 0
        ? "unlimited"
        : (long) limit + (learned ? " learned" : "") + (window ? " per window" : " per bucket");
  }
}
