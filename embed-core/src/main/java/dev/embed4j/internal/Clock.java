package dev.embed4j.internal;

/**
 * The time source of pacing, rate limits and deadlines, in nanoseconds (Caffeine's {@code Ticker}
 * shape). One clock is held by an embedder's shared resources; tests pass a fake one to run the
 * pacing algorithms in microseconds, without sleeping.
 */
@FunctionalInterface
interface Clock {
  Clock SYSTEM = System::nanoTime;

  long nanoTime();
}
