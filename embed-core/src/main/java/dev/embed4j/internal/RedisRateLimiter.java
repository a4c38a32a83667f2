package dev.embed4j.internal;

import dev.embed4j.spi.EmbeddingProvider;
import dev.embed4j.spi.RateLimiter;
import io.github.bucket4j.BucketConfiguration;
import io.github.bucket4j.ConsumptionProbe;
import io.github.bucket4j.TokensInheritanceStrategy;
import io.github.bucket4j.distributed.BucketProxy;
import io.github.bucket4j.distributed.proxy.ProxyManager;
import io.lettuce.core.ScriptOutputType;
import io.lettuce.core.SetArgs;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

/**
 * One scope's limits shared through Redis: two Bucket4j buckets (requests, tokens) refilled
 * continuously, the limits in force (configured, or learned from the provider's headers by any
 * process) and a pause that a 429 seen by any process sets for all. Keys: {@code
 * embed4j:rl:{id}:requests}, {@code :tokens}, {@code :limits} ({@code "rpm tpm"}, kept an hour
 * after the last change) and {@code :pause} (expires when the pause ends, so Redis's clock
 * decides).
 *
 * <p>A local {@link BucketRateLimiter} with the same settings runs beside it: it paces while
 * nothing is known yet (the first request probes the limits) and while Redis is down, and it learns
 * from every reply, so the fallback starts from what was learned. Settling and releasing go to the
 * limiter that paces at that moment; across a switch a few tokens may be counted in the other one.
 */
final class RedisRateLimiter implements RateLimiter {
  private static final long LIMITS_REFRESH_NANOS = TimeUnit.SECONDS.toNanos(1);
  private static final long DEFAULT_PAUSE_MS = 1_000;
  private static final String EXTEND_PAUSE =
      "local t = redis.call('PTTL', KEYS[1]) if t < tonumber(ARGV[1]) then"
          + " redis.call('SET', KEYS[1], '1', 'PX', ARGV[1]) end return 0";

  private final RedisLink link;
  private final Scope scope;
  private final Clock clock;
  private final BucketRateLimiter local;
  private final byte[] requestsKey;
  private final byte[] tokensKey;
  private final byte[] limitsKey;
  private final byte[] pauseKey;
  private volatile long rpm;
  private volatile long tpm;
  private volatile long limitsReadAt;
  private boolean limitsRead;
  private ProxyManager<byte[]> bucketsOf;
  private BucketProxy requests;
  private BucketProxy tokens;

  RedisRateLimiter(RedisLink link, Scope scope, Clock clock) {
    this.link = link;
    this.scope = scope;
    this.clock = clock;
    this.local =
        new BucketRateLimiter(
            scope.requestsPerMinute(), scope.tokensPerMinute(), scope.learn(), clock);
    String prefix = "embed4j:rl:{" + scope.id() + "}:";
    this.requestsKey = bytes(prefix + "requests");
    this.tokensKey = bytes(prefix + "tokens");
    this.limitsKey = bytes(prefix + "limits");
    this.pauseKey = bytes(prefix + "pause");
    this.rpm = scope.requestsPerMinute();
    this.tpm = scope.tokensPerMinute();
  }

  @Override
  public Duration acquire(long wanted, Duration maxWait) throws InterruptedException {
    long start = clock.nanoTime();
    long wait = maxWait.toNanos();
    long deadline = wait > Long.MAX_VALUE - Math.max(0, start) ? Long.MAX_VALUE : start + wait;
    while (true) {
      long left = deadline - clock.nanoTime();
      if (!shared()) {
        Duration waited = local.acquire(wanted, Duration.ofNanos(Math.max(0, left)));
        return waited == null ? null : Duration.ofNanos(clock.nanoTime() - start);
      }
      long waitNanos;
      try {
        waitNanos = tryReserve(wanted);
      } catch (RuntimeException e) {
        link.failed(e);
        continue;
      }
      if (waitNanos == 0) {
        return Duration.ofNanos(clock.nanoTime() - start);
      }
      left = deadline - clock.nanoTime();
      if (left <= 0) {
        return null;
      }
      TimeUnit.NANOSECONDS.sleep(Math.min(waitNanos, left));
    }
  }

  /**
   * Whether to pace on the shared buckets now: Redis is up and a limit is known (configured,
   * learned here, or learned by another process).
   */
  private boolean shared() {
    if (!link.up()) {
      return false;
    }
    try {
      refreshLimits();
    } catch (RuntimeException e) {
      link.failed(e);
      return false;
    }
    return rpm > 0 || tpm > 0;
  }

  /** Takes one request and the tokens if the pause is over and both are there; else the wait. */
  private long tryReserve(long wanted) {
    long pause = link.sync().pttl(pauseKey);
    if (pause > 0) {
      return TimeUnit.MILLISECONDS.toNanos(pause);
    }
    long limit = tpm;
    long need = limit > 0 ? Math.min(wanted, limit) : 0;
    BucketProxy t = need > 0 ? tokens() : null;
    if (t != null) {
      ConsumptionProbe probe = t.tryConsumeAndReturnRemaining(need);
      if (!probe.isConsumed()) {
        return Math.max(1, probe.getNanosToWaitForRefill());
      }
    }
    BucketProxy r = rpm > 0 ? requests() : null;
    if (r != null) {
      ConsumptionProbe probe = r.tryConsumeAndReturnRemaining(1);
      if (!probe.isConsumed()) {
        if (t != null) {
          t.addTokens(need);
        }
        return Math.max(1, probe.getNanosToWaitForRefill());
      }
    }
    return 0;
  }

  @Override
  public void release(long reserved) {
    if (!pacedShared()) {
      local.release(reserved);
      return;
    }
    long limit = tpm;
    if (limit > 0 && reserved > 0) {
      try {
        tokens().addTokens(Math.min(reserved, limit));
      } catch (RuntimeException e) {
        link.failed(e);
      }
    }
  }

  @Override
  public void settle(long estimated, long actual) {
    if (!pacedShared()) {
      local.settle(estimated, actual);
      return;
    }
    long limit = tpm;
    long diff = actual - Math.min(estimated, limit);
    if (limit > 0 && diff != 0) {
      try {
        if (diff > 0) {
          tokens().consumeIgnoringRateLimits(diff);
        } else {
          tokens().addTokens(-diff);
        }
      } catch (RuntimeException e) {
        link.failed(e);
      }
    }
  }

  private boolean pacedShared() {
    return !link.isDown() && (rpm > 0 || tpm > 0);
  }

  @Override
  public void rejected(Duration retryAfter) {
    local.rejected(retryAfter);
    if (link.isDown()) {
      return;
    }
    long ms = retryAfter == null ? DEFAULT_PAUSE_MS : Math.max(1, retryAfter.toMillis());
    try {
      link.sync()
          .eval(EXTEND_PAUSE, ScriptOutputType.INTEGER, new byte[][] {pauseKey}, bytes("" + ms));
    } catch (RuntimeException e) {
      link.failed(e);
    }
  }

  @Override
  public void observe(EmbeddingProvider.Limits limits) {
    local.observe(limits);
    if (!scope.learn() || !limits.isKnown() || link.isDown()) {
      return;
    }
    try {
      long newRpm = lower(scope.requestsPerMinute(), limits.requestLimit());
      long newTpm = lower(scope.tokensPerMinute(), limits.tokenLimit());
      if (newRpm != rpm || newTpm != tpm) {
        link.sync().set(limitsKey, bytes(newRpm + " " + newTpm), SetArgs.Builder.px(3_600_000));
        adopt(newRpm, newTpm, true);
      }
      drainTo(rpm > 0 ? requests() : null, limits.requestsRemaining());
      drainTo(tpm > 0 ? tokens() : null, limits.tokensRemaining());
    } catch (RuntimeException e) {
      link.failed(e);
    }
  }

  /** Reads the limits another process may have learned, at most once a second. */
  private void refreshLimits() {
    long now = clock.nanoTime();
    if (limitsRead && now - limitsReadAt < LIMITS_REFRESH_NANOS) {
      return;
    }
    byte[] stored = link.sync().get(limitsKey);
    limitsReadAt = now;
    limitsRead = true;
    if (stored != null) {
      String[] parts = new String(stored, StandardCharsets.UTF_8).split(" ");
      adopt(Long.parseLong(parts[0]), Long.parseLong(parts[1]), false);
    }
  }

  private synchronized void adopt(long newRpm, long newTpm, boolean store) {
    ProxyManager<byte[]> manager = link.buckets();
    boolean rpmChanged = newRpm != rpm;
    boolean tpmChanged = newTpm != tpm;
    rpm = newRpm;
    tpm = newTpm;
    if (store && bucketsOf == manager) {
      if (rpmChanged && newRpm > 0 && requests != null) {
        requests.replaceConfiguration(config(newRpm), TokensInheritanceStrategy.AS_IS);
      }
      if (tpmChanged && newTpm > 0 && tokens != null) {
        tokens.replaceConfiguration(config(newTpm), TokensInheritanceStrategy.AS_IS);
      }
    }
  }

  private synchronized BucketProxy requests() {
    proxies();
    return requests;
  }

  private synchronized BucketProxy tokens() {
    proxies();
    return tokens;
  }

  /** The two buckets; their configuration is used when Redis holds none (first use, expiry). */
  private void proxies() {
    ProxyManager<byte[]> manager = link.buckets();
    if (bucketsOf != manager) {
      bucketsOf = manager;
      requests = manager.builder().build(requestsKey, () -> config(Math.max(1, rpm)));
      tokens = manager.builder().build(tokensKey, () -> config(Math.max(1, tpm)));
    }
  }

  private static BucketConfiguration config(long perMinute) {
    return BucketConfiguration.builder()
        .addLimit(limit -> limit.capacity(perMinute).refillGreedy(perMinute, Duration.ofMinutes(1)))
        .build();
  }

  private static void drainTo(BucketProxy bucket, long remaining) {
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

  private static byte[] bytes(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  @Override
  public long maxTokensPerRequest() {
    long limit = tpm;
    return limit > 0 ? limit : local.maxTokensPerRequest();
  }

  @Override
  public String toString() {
    return "RedisRateLimiter{scope="
        + scope.id()
        + ", rpm="
        + (rpm > 0 ? rpm : "unlimited")
        + ", tpm="
        + (tpm > 0 ? tpm : "unlimited")
        + (link.isDown() ? ", Redis down: local limits" : "")
        + "}";
  }
}
