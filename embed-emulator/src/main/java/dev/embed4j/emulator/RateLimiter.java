package dev.embed4j.emulator;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.LongSupplier;

/**
 * Requests- and tokens-per-minute limits as two token buckets per key (API key and model family).
 * Each bucket holds at most its per-minute limit, starts full and refills continuously at
 * limit/60s. A request takes one request permit and its token count; when either bucket is short
 * the request is rejected and takes nothing, and the wait until both buckets would hold enough is
 * reported. A limit of 0 disables that bucket.
 */
final class RateLimiter {

  private static final double NANOS_PER_MINUTE = 60e9;

  enum Verdict {
    OK,
    REQUESTS,
    TOKENS,
    TOO_LARGE
  }

  /**
   * @param retryAfterMs wait before the request could succeed (0 when OK or TOO_LARGE)
   * @param used the part of the limit that was short, in use (for the 429 message)
   */
  record Outcome(
      Verdict verdict,
      long limit,
      long used,
      long requested,
      long retryAfterMs,
      Map<String, String> headers) {}

  private final long rpm;
  private final long tpm;
  private final LongSupplier nanoTime;
  private final ConcurrentHashMap<String, Buckets> buckets = new ConcurrentHashMap<>();

  RateLimiter(long rpm, long tpm, LongSupplier nanoTime) {
    this.rpm = rpm;
    this.tpm = tpm;
    this.nanoTime = nanoTime;
  }

  boolean enabled() {
    return rpm > 0 || tpm > 0;
  }

  Outcome acquire(String key, long tokens) {
    return buckets.computeIfAbsent(key, k -> new Buckets(nanoTime.getAsLong())).acquire(tokens);
  }

  private final class Buckets {
    private double requests = rpm;
    private double tokens = tpm;
    private long last;

    Buckets(long now) {
      last = now;
    }

    synchronized Outcome acquire(long need) {
      long now = nanoTime.getAsLong();
      double minutes = Math.max(0, now - last) / NANOS_PER_MINUTE;
      last = Math.max(last, now);
      requests = Math.min(rpm, requests + minutes * rpm);
      tokens = Math.min(tpm, tokens + minutes * tpm);

      if (tpm > 0 && need > tpm) {
        return new Outcome(Verdict.TOO_LARGE, tpm, 0, need, 0, Map.of());
      }
      long waitRequests = rpm > 0 && requests < 1 ? waitMs(1 - requests, rpm) : 0;
      long waitTokens = tpm > 0 && tokens < need ? waitMs(need - tokens, tpm) : 0;
      if (waitRequests > 0 || waitTokens > 0) {
        long wait = Math.max(waitRequests, waitTokens);
        return waitRequests > 0
            ? new Outcome(Verdict.REQUESTS, rpm, used(requests, rpm), 1, wait, headers())
            : new Outcome(Verdict.TOKENS, tpm, used(tokens, tpm), need, wait, headers());
      }
      if (rpm > 0) {
        requests -= 1;
      }
      if (tpm > 0) {
        tokens -= need;
      }
      return new Outcome(Verdict.OK, 0, 0, need, 0, headers());
    }

    private Map<String, String> headers() {
      Map<String, String> h = new LinkedHashMap<>();
      if (rpm > 0) {
        h.put("x-ratelimit-limit-requests", Long.toString(rpm));
      }
      if (tpm > 0) {
        h.put("x-ratelimit-limit-tokens", Long.toString(tpm));
      }
      if (rpm > 0) {
        h.put("x-ratelimit-remaining-requests", Long.toString((long) Math.floor(requests)));
      }
      if (tpm > 0) {
        h.put("x-ratelimit-remaining-tokens", Long.toString((long) Math.floor(tokens)));
      }
      if (rpm > 0) {
        h.put("x-ratelimit-reset-requests", goDuration(waitMs(rpm - requests, rpm)));
      }
      if (tpm > 0) {
        h.put("x-ratelimit-reset-tokens", goDuration(waitMs(tpm - tokens, tpm)));
      }
      return h;
    }
  }

  private static long used(double level, long limit) {
    return (long) Math.ceil(limit - level - 1e-9);
  }

  /** Milliseconds (rounded up) for a bucket refilling at limit/minute to gain {@code deficit}. */
  static long waitMs(double deficit, long limit) {
    return deficit <= 0 ? 0 : Math.max(1, (long) Math.ceil(deficit * 60_000.0 / limit - 1e-6));
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
