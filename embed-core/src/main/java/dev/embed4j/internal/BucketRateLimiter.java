package dev.embed4j.internal;

import dev.embed4j.spi.EmbeddingProvider;
import dev.embed4j.spi.RateLimiter;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

/**
 * Requests- and tokens-per-minute budgets, each a {@link Budget}: a continuously refilled bucket
 * until the server shows it counts in windows, then a window.
 *
 * <p>Limits come from the configuration, from the provider's {@code x-ratelimit-limit-*} headers,
 * or both (the lower wins); a server that reports none has its tokens-per-minute limit learned from
 * where its 429s begin. A request reserves one request and its estimated tokens before it is sent;
 * the reservation is corrected by the tokens the server billed, and given back if the request
 * failed. The server is believed over the model: when it reports less remaining than the bucket
 * holds (another client shares the key), the bucket is drained to match; a reset that no bucket
 * would need turns the budget into a window that waits for that reset.
 *
 * <p>A 429 is evidence only if its request was sent after the last 429 acted on (the rest of a wave
 * already under way counts once; the request's send time is kept per thread, as one worker
 * acquires, sends and reports). The first piece of evidence against a server without headers fixes
 * the limit at what the server let through in the minute before, and the bucket starts empty. If
 * the next request sent is refused too, before any success, no bucket explains it: the budgets
 * become windows, which wait until what was sent leaves the server's window instead of trickling
 * requests into it at limit / 60 s. Later evidence cuts a learned bucket's rate by a tenth, or
 * re-measures a learned window's limit; each billed token raises a learned bucket's limit by 1 % of
 * a token.
 *
 * <p>While learning and nothing is known yet, only one request is let through until its reply has
 * been observed: a run starts with a probe instead of a burst that could overrun a tight limit
 * before the first headers arrive.
 */
final class BucketRateLimiter implements RateLimiter {
  private static final long MINUTE_NANOS = TimeUnit.MINUTES.toNanos(1);

  private final int configuredRpm;
  private final long configuredTpm;
  private final boolean learn;
  private final Clock clock;
  private final Budget requests;
  private final Budget tokens;
  private final ThreadLocal<long[]> sentAt =
      ThreadLocal.withInitial(() -> new long[] {Long.MIN_VALUE});

  private boolean probing;
  private boolean probeInFlight;
  private boolean decided;
  private long decidedAt;
  private int successesSinceDecision;
  private boolean relearn;

  BucketRateLimiter(int configuredRpm, long configuredTpm, boolean learn, Clock clock) {
    this.configuredRpm = configuredRpm;
    this.configuredTpm = configuredTpm;
    this.learn = learn;
    this.clock = clock;
    long now = clock.nanoTime();
    this.requests = new Budget(configuredRpm, now);
    this.tokens = new Budget(configuredTpm, now);
    this.probing = learn && configuredRpm == 0 && configuredTpm == 0;
  }

  @Override
  public Duration acquire(long wanted, Duration maxWait) throws InterruptedException {
    long start = clock.nanoTime();
    long wait = maxWait.toNanos();
    long deadline = wait > Long.MAX_VALUE - Math.max(0, start) ? Long.MAX_VALUE : start + wait;
    synchronized (this) {
      while (probing && probeInFlight) {
        long left = deadline - clock.nanoTime();
        if (left <= 0) {
          return null;
        }
        TimeUnit.NANOSECONDS.timedWait(this, Math.min(left, MINUTE_NANOS));
      }
      if (probing) {
        probeInFlight = true;
      }
    }
    while (true) {
      long waitNanos = tryReserve(wanted);
      if (waitNanos == 0) {
        return Duration.ofNanos(clock.nanoTime() - start);
      }
      long left = deadline - clock.nanoTime();
      if (left <= 0) {
        endProbe();
        return null;
      }
      TimeUnit.NANOSECONDS.sleep(Math.min(waitNanos, left));
    }
  }

  /** Takes one request and the tokens if both are there; else the nanoseconds to wait. */
  private synchronized long tryReserve(long wanted) {
    long now = clock.nanoTime();
    if (relearn) {
      relearn = false;
      tokens.learn(decidedAt, now);
    }
    long wait = Math.max(requests.waitNanos(1, now), tokens.waitNanos(wanted, now));
    if (wait > 0) {
      return wait;
    }
    requests.take(1, now);
    tokens.take(wanted, now);
    sentAt.get()[0] = now;
    return 0;
  }

  @Override
  public synchronized void release(long reserved) {
    long now = clock.nanoTime();
    long sent = sentAt.get()[0];
    boolean giveBack = !decided || sent == Long.MIN_VALUE || sent - decidedAt >= 0;
    requests.release(1, giveBack, now);
    tokens.release(Math.max(0, reserved), giveBack, now);
    endProbe();
  }

  @Override
  public synchronized void settle(long estimated, long actual) {
    long now = clock.nanoTime();
    requests.settle(1, 1, now);
    tokens.settle(estimated, actual, now);
    successesSinceDecision++;
  }

  @Override
  public void rejected(Duration retryAfter) {
    long[] mine = sentAt.get();
    long sent = mine[0];
    mine[0] = Long.MIN_VALUE;
    synchronized (this) {
      long now = clock.nanoTime();
      if (sent == Long.MIN_VALUE) {
        sent = now; // reported by another thread than the one that acquired: count it as new
      }
      if (decided && sent - decidedAt < 0) {
        return; // sent before the last 429 acted on: the same wave
      }
      boolean probeFailed = decided && successesSinceDecision == 0;
      decided = true;
      decidedAt = now;
      successesSinceDecision = 0;
      boolean window = requests.isWindow() || tokens.isWindow();
      if (!window && probeFailed) {
        requests.toWindow();
        tokens.toWindow();
        window = true;
      }
      if (window) {
        relearn = learn && (!tokens.limited() || tokens.isLearned());
      } else {
        requests.rejected(now);
        tokens.rejected(now);
        relearn = learn && !tokens.limited();
      }
    }
  }

  @Override
  public void observe(EmbeddingProvider.Limits limits) {
    if (learn && limits.isKnown()) {
      synchronized (this) {
        long now = clock.nanoTime();
        long rpm = lower(configuredRpm, limits.requestLimit());
        long tpm = lower(configuredTpm, limits.tokenLimit());
        if (rpm > 0) {
          requests.known(rpm, now);
        }
        if (tpm > 0) {
          tokens.known(tpm, now);
        }
        requests.observe(limits.requestsRemaining(), nanos(limits.requestsReset()), now);
        tokens.observe(limits.tokensRemaining(), nanos(limits.tokensReset()), now);
        if (requests.isWindow() || tokens.isWindow()) {
          requests.toWindow();
          tokens.toWindow();
        }
      }
    }
    endProbe();
  }

  private static Long nanos(Duration d) {
    return d == null ? null : d.toNanos();
  }

  private static long lower(long configured, long learned) {
    if (learned <= 0) {
      return configured;
    }
    return configured <= 0 ? learned : Math.min(configured, learned);
  }

  private synchronized void endProbe() {
    if (probing) {
      probing = false;
      probeInFlight = false;
      notifyAll();
    }
  }

  @Override
  public synchronized long maxTokensPerRequest() {
    return tokens.limited() && !tokens.isLearned() ? tokens.limit() : -1;
  }

  @Override
  public synchronized String toString() {
    return "BucketRateLimiter{rpm="
        + requests
        + ", tpm="
        + tokens
        + (learn ? ", learning" : "")
        + "}";
  }
}
