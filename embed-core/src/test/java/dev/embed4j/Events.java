package dev.embed4j;

import java.time.Duration;

/** Listener callbacks as values, for tests to collect and assert on. */
final class Events {
  private Events() {}

  record RunStarted(String runId, CostEstimate plan) {
    int texts() {
      return plan.texts();
    }

    int batches() {
      return plan.batches();
    }
  }

  record RetryScheduled(
      String runId,
      String model,
      int batchId,
      int attempt,
      Duration delay,
      Embed4jException reason) {}

  record RateLimitWait(String runId, String model, Duration delay, boolean serverRejected) {}
}
