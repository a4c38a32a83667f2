package dev.embed4j.emulator;

import java.util.ArrayDeque;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.LongSupplier;

/**
 * Requests-, tokens- and inputs-per-minute limits per key (API key and model family), each counted
 * in one {@link LimiterShape}. A request takes one request, its tokens and its inputs; when any
 * limit is short the request is rejected and takes nothing, and the wait until all would have
 * enough is reported. A limit of 0 disables it.
 *
 * <p>The retry delay a rejection reports may be capped ({@code maxRetryAfterMs}) or left out, and
 * the {@code x-ratelimit-*} headers (requests and tokens, as OpenAI sends them; no provider reports
 * inputs) may be left out, as Cohere does.
 */
final class RateLimiter {

  static final long WINDOW_NANOS = 60_000_000_000L;

  enum Verdict {
    OK,
    REQUESTS,
    TOKENS,
    INPUTS,
    TOO_LARGE
  }

  /** What the limiter was built with; see {@link EmbeddingEmulator.Builder}. */
  record Config(
      long rpm,
      long tpm,
      long ipm,
      LimiterShape shape,
      boolean headers,
      boolean retryAfter,
      long maxRetryAfterMs) {
    Config(long rpm, long tpm) {
      this(rpm, tpm, 0, LimiterShape.TOKEN_BUCKET, true, true, -1);
    }
  }

  /**
   * @param retryAfterMs wait before the request could succeed (0 when OK or TOO_LARGE), uncapped
   * @param used the part of the limit that was short, in use (for the 429 message)
   */
  record Outcome(
      Verdict verdict,
      long limit,
      long used,
      long requested,
      long retryAfterMs,
      Map<String, String> headers) {}

  private final Config config;
  private final LongSupplier nanoTime;
  private final ConcurrentHashMap<String, Limits> limits = new ConcurrentHashMap<>();

  RateLimiter(long rpm, long tpm, LongSupplier nanoTime) {
    this(new Config(rpm, tpm), nanoTime);
  }

  RateLimiter(Config config, LongSupplier nanoTime) {
    this.config = config;
    this.nanoTime = nanoTime;
  }

  boolean enabled() {
    return config.rpm > 0 || config.tpm > 0 || config.ipm > 0;
  }

  Outcome acquire(String key, long tokens) {
    return acquire(key, tokens, 0);
  }

  Outcome acquire(String key, long tokens, long inputs) {
    return limits.computeIfAbsent(key, k -> new Limits()).acquire(tokens, inputs);
  }

  /** {@code retry-after} (and {@code retry-after-ms}) for a rejection, capped or left out. */
  Map<String, String> retryHeaders(Outcome o, boolean withMs) {
    Map<String, String> h = new LinkedHashMap<>();
    if (!config.retryAfter) {
      return h;
    }
    long ms =
        config.maxRetryAfterMs >= 0
            ? Math.min(o.retryAfterMs(), config.maxRetryAfterMs)
            : o.retryAfterMs();
    if (withMs) {
      h.put("retry-after-ms", Long.toString(ms));
    }
    h.put("retry-after", Long.toString((ms + 999) / 1000));
    return h;
  }

  private final class Limits {
    private final Meter requests = meter(config.rpm);
    private final Meter tokens = meter(config.tpm);
    private final Meter inputs = meter(config.ipm);

    synchronized Outcome acquire(long needTokens, long needInputs) {
      long now = nanoTime.getAsLong();
      if (tokens != null && needTokens > tokens.limit) {
        return new Outcome(Verdict.TOO_LARGE, tokens.limit, 0, needTokens, 0, Map.of());
      }
      if (inputs != null && needInputs > inputs.limit) {
        return new Outcome(Verdict.TOO_LARGE, inputs.limit, 0, needInputs, 0, Map.of());
      }
      long waitRequests = requests == null ? 0 : requests.waitNanos(now, 1);
      long waitTokens = tokens == null ? 0 : tokens.waitNanos(now, needTokens);
      long waitInputs = inputs == null ? 0 : inputs.waitNanos(now, needInputs);
      long wait = Math.max(waitRequests, Math.max(waitTokens, waitInputs));
      if (wait > 0) {
        long ms = toMs(wait);
        if (waitRequests > 0) {
          return rejected(Verdict.REQUESTS, requests, now, 1, ms);
        }
        return waitTokens > 0
            ? rejected(Verdict.TOKENS, tokens, now, needTokens, ms)
            : rejected(Verdict.INPUTS, inputs, now, needInputs, ms);
      }
      if (requests != null) {
        requests.take(now, 1);
      }
      if (tokens != null) {
        tokens.take(now, needTokens);
      }
      if (inputs != null) {
        inputs.take(now, needInputs);
      }
      return new Outcome(Verdict.OK, 0, 0, needTokens, 0, headers(now));
    }

    private Outcome rejected(Verdict v, Meter m, long now, long need, long ms) {
      return new Outcome(v, m.limit, m.limit - m.remaining(now), need, ms, headers(now));
    }

    private Map<String, String> headers(long now) {
      Map<String, String> h = new LinkedHashMap<>();
      if (!config.headers) {
        return h;
      }
      if (requests != null) {
        h.put("x-ratelimit-limit-requests", Long.toString(requests.limit));
      }
      if (tokens != null) {
        h.put("x-ratelimit-limit-tokens", Long.toString(tokens.limit));
      }
      if (requests != null) {
        h.put("x-ratelimit-remaining-requests", Long.toString(requests.remaining(now)));
      }
      if (tokens != null) {
        h.put("x-ratelimit-remaining-tokens", Long.toString(tokens.remaining(now)));
      }
      if (requests != null) {
        h.put("x-ratelimit-reset-requests", goDuration(toMs(requests.resetNanos(now))));
      }
      if (tokens != null) {
        h.put("x-ratelimit-reset-tokens", goDuration(toMs(tokens.resetNanos(now))));
      }
      return h;
    }
  }

  private Meter meter(long limit) {
    if (limit <= 0) {
      return null;
    }
    switch (config.shape) {
      case SLIDING_WINDOW:
        return new SlidingWindow(limit);
      case FIXED_WINDOW:
        return new FixedWindow(limit);
      default:
        return new TokenBucket(limit, nanoTime.getAsLong());
    }
  }

  /** One per-minute limit of one key; callers hold the key's lock. */
  private abstract static class Meter {
    final long limit;

    Meter(long limit) {
      this.limit = limit;
    }

    /** Nanoseconds until {@code need} would fit; 0 if it fits now. */
    abstract long waitNanos(long now, long need);

    abstract void take(long now, long need);

    /** What could be taken now, rounded down. */
    abstract long remaining(long now);

    /** Nanoseconds until the whole limit is available again. */
    abstract long resetNanos(long now);
  }

  private static final class TokenBucket extends Meter {
    private double level;
    private long last;

    TokenBucket(long limit, long now) {
      super(limit);
      level = limit;
      last = now;
    }

    private void refill(long now) {
      if (now - last > 0) {
        level = Math.min(limit, level + (double) (now - last) * limit / WINDOW_NANOS);
        last = now;
      }
    }

    @Override
    long waitNanos(long now, long need) {
      refill(now);
      return level >= need ? 0 : nanosFor(need - level);
    }

    @Override
    void take(long now, long need) {
      refill(now);
      level -= need;
    }

    @Override
    long remaining(long now) {
      refill(now);
      return (long) Math.floor(level + 1e-9);
    }

    @Override
    long resetNanos(long now) {
      refill(now);
      return nanosFor(limit - level);
    }

    private long nanosFor(double deficit) {
      return deficit <= 1e-9 ? 0 : (long) Math.ceil(deficit * WINDOW_NANOS / limit);
    }
  }

  private static final class SlidingWindow extends Meter {
    private final ArrayDeque<long[]> counted = new ArrayDeque<>(); // {received at, amount}
    private long sum;

    SlidingWindow(long limit) {
      super(limit);
    }

    private void expire(long now) {
      while (!counted.isEmpty() && now - counted.peekFirst()[0] >= WINDOW_NANOS) {
        sum -= counted.pollFirst()[1];
      }
    }

    @Override
    long waitNanos(long now, long need) {
      expire(now);
      long freed = limit - sum;
      if (freed >= need) {
        return 0;
      }
      for (long[] c : counted) {
        freed += c[1];
        if (freed >= need) {
          return c[0] + WINDOW_NANOS - now;
        }
      }
      throw new IllegalStateException("need over the limit: " + need); // checked by the caller
    }

    @Override
    void take(long now, long need) {
      expire(now);
      counted.addLast(new long[] {now, need});
      sum += need;
    }

    @Override
    long remaining(long now) {
      expire(now);
      return limit - sum;
    }

    @Override
    long resetNanos(long now) {
      expire(now);
      return counted.isEmpty() ? 0 : counted.peekLast()[0] + WINDOW_NANOS - now;
    }
  }

  private static final class FixedWindow extends Meter {
    private boolean started;
    private long start;
    private long used;

    FixedWindow(long limit) {
      super(limit);
    }

    private void roll(long now) {
      if (!started) {
        started = true;
        start = now;
      } else if (now - start >= WINDOW_NANOS) {
        start += (now - start) / WINDOW_NANOS * WINDOW_NANOS;
        used = 0;
      }
    }

    @Override
    long waitNanos(long now, long need) {
      roll(now);
      return limit - used >= need ? 0 : start + WINDOW_NANOS - now;
    }

    @Override
    void take(long now, long need) {
      roll(now);
      used += need;
    }

    @Override
    long remaining(long now) {
      roll(now);
      return limit - used;
    }

    @Override
    long resetNanos(long now) {
      roll(now);
      return used == 0 ? 0 : start + WINDOW_NANOS - now;
    }
  }

  private static long toMs(long nanos) {
    return nanos <= 0 ? 0 : Math.max(1, (nanos + 999_999) / 1_000_000);
  }

  /** Formats milliseconds as Go's {@code time.Duration.String()} would: 12ms, 1.2s, 6m0s. */
  static String goDuration(long ms) {
    if (ms == 0) {
      return "0s";
    }
    if (ms < 1000) {
      return ms + "ms";
    }
    StringBuilder sb = new StringBuilder();
    long h = ms / 3_600_000;
    long m = ms / 60_000 % 60;
    long s = ms / 1000 % 60;
    long frac = ms % 1000;
    if (h > 0) {
      sb.append(h).append('h');
    }
    if (h > 0 || m > 0) {
      sb.append(m).append('m');
    }
    sb.append(s);
    if (frac > 0) {
      String f = String.format("%03d", frac);
      sb.append('.').append(f.replaceAll("0+$", ""));
    }
    return sb.append('s').toString();
  }
}
