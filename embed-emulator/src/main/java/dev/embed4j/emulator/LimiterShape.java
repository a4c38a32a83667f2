package dev.embed4j.emulator;

/**
 * How the emulator counts a per-minute limit, as the servers and gateways in front of embedding
 * APIs do. Every shape lets through at most the limit in its first minute; they differ in when
 * capacity returns.
 */
public enum LimiterShape {
  /**
   * A bucket that holds at most the limit, starts full and refills continuously at limit / 60 s
   * (OpenAI). The {@code x-ratelimit-reset-*} header is the time until the bucket is full again.
   */
  TOKEN_BUCKET,

  /**
   * What was let through in the last 60 s, counted request by request: capacity returns 60 s after
   * each request was received (Azure OpenAI, many gateways). The reset header is the time until the
   * newest request counted leaves the window.
   */
  SLIDING_WINDOW,

  /**
   * A counter per minute that starts with the key's first request and resets to zero every 60 s
   * after it (many gateways). The reset header is the time until the current minute ends.
   */
  FIXED_WINDOW
}
