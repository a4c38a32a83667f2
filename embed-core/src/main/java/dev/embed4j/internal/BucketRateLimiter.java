package dev.embed4j.internal;

import dev.embed4j.spi.EmbeddingProvider;
import dev.embed4j.spi.RateLimiter;
import io.github.bucket4j.Bucket;
import io.github.bucket4j.TimeMeter;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

/**
 * Requests- and tokens-per-minute budgets as two Bucket4j token buckets that refill continuously,
 * the way the providers' own limiters do.
 *
 * <p>Limits come from the configuration, from the provider's {@code x-ratelimit-limit-*} headers,
 * or both (the lower wins). A request reserves one request and its estimated tokens before it is
 * sent; the reservation is corrected by the tokens the server billed, and given back if the request
 * failed. When the server reports fewer tokens or requests remaining than the bucket holds (another
 * client shares the key), the bucket is drained to match.
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
  private final TimeMeter meter;

  private volatile Bucket requests;
  private volatile Bucket tokens;
  private long rpm;
  private long tpm;
  private boolean probing;
  private boolean probeInFlight;

  BucketRateLimiter(int configuredRpm, long configuredTpm, boolean learn, Clock clock) {
    this.configuredRpm = configuredRpm;
    this.configuredTpm = configuredTpm;
    this.learn = learn;
    this.clock = clock;
    this.meter =
        new TimeMeter() {
          @Override
          public long currentTimeNanos() {
            return clock.nanoTime();
          }

          @Override
          public boolean isWallClockBased() {
            return false;
          }
        };
    this.probing = learn && configuredRpm == 0 && configuredTpm == 0;
    configure(configuredRpm, configuredTpm);
  }

  private synchronized void configure(long newRpm, long newTpm) {
    if (newRpm != rpm) {
      rpm = newRpm;
      requests = newRpm > 0 ? bucket(newRpm) : null;
    }
    if (newTpm != tpm) {
      tpm = newTpm;
      tokens = newTpm > 0 ? bucket(newTpm) : null;
    }
  }

  private Bucket bucket(long perMinute) {
    return Bucket.builder()
        .addLimit(limit -> limit.capacity(perMinute).refillGreedy(perMinute, Duration.ofMinutes(1)))
        .withCustomTimePrecision(meter)
        .build();
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
  private long tryReserve(long wanted) {
    Bucket r = requests;
    Bucket t = tokens;
    long need = t == null ? 0 : Math.min(wanted, tpm);
    synchronized (this) {
      long wait = 0;
      if (r != null) {
        wait = Math.max(wait, r.estimateAbilityToConsume(1).getNanosToWaitForRefill());
      }
      if (t != null && need > 0) {
        wait = Math.max(wait, t.estimateAbilityToConsume(need).getNanosToWaitForRefill());
      }
      if (wait > 0) {
        return wait;
      }
      if (r != null) {
        r.tryConsume(1);
      }
      if (t != null && need > 0) {
        t.tryConsume(need);
      }
      return 0;
    }
  }

  @Override
  public void release(long reserved) {
    Bucket t = tokens;
    if (t != null && reserved > 0) {
      t.addTokens(Math.min(reserved, tpm));
    }
    endProbe();
  }

  @Override
  public void settle(long estimated, long actual) {
    Bucket t = tokens;
    if (t != null) {
      long diff = actual - Math.min(estimated, tpm);
      if (diff > 0) {
        t.consumeIgnoringRateLimits(diff);
      } else if (diff < 0) {
        t.addTokens(-diff);
      }
    }
  }

  @Override
  public void observe(EmbeddingProvider.Limits limits) {
    if (learn && limits.isKnown()) {
      long newRpm = lower(configuredRpm, limits.requestLimit());
      long newTpm = lower(configuredTpm, limits.tokenLimit());
      if (newRpm != rpm || newTpm != tpm) {
        configure(newRpm, newTpm);
      }
      drainTo(requests, limits.requestsRemaining());
      drainTo(tokens, limits.tokensRemaining());
    }
    endProbe();
  }

  private static void drainTo(Bucket bucket, long remaining) {
    if (bucket != null && remaining >= 0) {
      long excess = bucket.getAvailableTokens() - remaining;
      if (excess > 0) {
        bucket.tryConsumeAsMuchAsPossible(excess);
      }
    }
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
  public long maxTokensPerRequest() {
    return tpm > 0 ? tpm : -1;
  }

  @Override
  public synchronized String toString() {
    return "BucketRateLimiter{rpm="
        + (rpm > 0 ? rpm : "unlimited")
        + ", tpm="
        + (tpm > 0 ? tpm : "unlimited")
        + (learn ? ", learning" : "")
        + "}";
  }
}
