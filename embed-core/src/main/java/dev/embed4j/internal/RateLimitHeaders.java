package dev.embed4j.internal;

import dev.embed4j.spi.EmbeddingProvider;
import java.time.Duration;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import okhttp3.Headers;

/**
 * What a reply's headers say about rate limits and retries: {@code retry-after-ms}, {@code
 * retry-after} (seconds or an HTTP date), the {@code x-ratelimit-*} limits with their Go-style
 * reset durations, and the request id.
 */
final class RateLimitHeaders {
  private static final Pattern GO_DURATION =
      Pattern.compile("(\\d+(?:\\.\\d+)?)(h|ms|us|µs|ns|m|s)");

  private RateLimitHeaders() {}

  static String requestId(Headers headers) {
    String id = headers.get("x-request-id");
    return id != null ? id : headers.get("x-trace-id");
  }

  /**
   * {@code retry-after-ms}, else {@code retry-after} in seconds or as an HTTP date; null if absent
   * or unreadable.
   */
  static Duration retryAfter(Headers headers) {
    String ms = headers.get("retry-after-ms");
    if (ms != null) {
      try {
        double value = Double.parseDouble(ms.trim());
        if (value >= 0 && value < 3_600_000) {
          return Duration.ofNanos((long) (value * 1_000_000));
        }
      } catch (NumberFormatException ignored) {
        // fall through to retry-after
      }
    }
    String after = headers.get("retry-after");
    if (after == null) {
      return null;
    }
    try {
      double seconds = Double.parseDouble(after.trim());
      return seconds >= 0 && seconds < 86_400 ? Duration.ofMillis((long) (seconds * 1000)) : null;
    } catch (NumberFormatException notSeconds) {
      try {
        ZonedDateTime at = ZonedDateTime.parse(after.trim(), DateTimeFormatter.RFC_1123_DATE_TIME);
        Duration d = Duration.between(ZonedDateTime.now(at.getZone()), at);
        return d.isNegative() ? Duration.ZERO : d;
      } catch (DateTimeParseException notDate) {
        return null;
      }
    }
  }

  /**
   * Parses a Go-style duration such as {@code 1s}, {@code 6m0s}, {@code 12ms} or {@code 1m30.5s};
   * null if unreadable.
   */
  static Duration goDuration(String value) {
    if (value == null || value.isBlank()) {
      return null;
    }
    String v = value.trim();
    Matcher m = GO_DURATION.matcher(v);
    long nanos = 0;
    int end = 0;
    while (m.find()) {
      if (m.start() != end) {
        return null;
      }
      nanos += (long) (Double.parseDouble(m.group(1)) * unitNanos(m.group(2)));
      end = m.end();
    }
    return end == v.length() && end > 0 ? Duration.ofNanos(nanos) : null;
  }

  private static long unitNanos(String unit) {
    switch (unit) {
      case "h":
        return 3_600_000_000_000L;
      case "m":
        return 60_000_000_000L;
      case "s":
        return 1_000_000_000L;
      case "ms":
        return 1_000_000L;
      case "us":
      case "µs":
        return 1_000L;
      default:
        return 1L;
    }
  }

  /**
   * The tokens text-embeddings-inference reports in {@code x-compute-tokens} (its body has no
   * usage), or -1.
   */
  static long computeTokens(Headers headers) {
    return number(headers.get("x-compute-tokens"));
  }

  /** The {@code x-ratelimit-*} headers, or {@link EmbeddingProvider.Limits#UNKNOWN}. */
  static EmbeddingProvider.Limits limits(Headers h) {
    long limitRequests = number(h.get("x-ratelimit-limit-requests"));
    long limitTokens = number(h.get("x-ratelimit-limit-tokens"));
    if (limitRequests < 0 && limitTokens < 0) {
      return EmbeddingProvider.Limits.UNKNOWN;
    }
    return new EmbeddingProvider.Limits(
        limitRequests,
        number(h.get("x-ratelimit-remaining-requests")),
        goDuration(h.get("x-ratelimit-reset-requests")),
        limitTokens,
        number(h.get("x-ratelimit-remaining-tokens")),
        goDuration(h.get("x-ratelimit-reset-tokens")));
  }

  private static long number(String v) {
    if (v == null) {
      return -1;
    }
    try {
      return Long.parseLong(v.trim());
    } catch (NumberFormatException e) {
      return -1;
    }
  }
}
