package dev.embed4j.spring.autoconfigure;

import dev.embed4j.BatchOutcome;
import dev.embed4j.EmbedListener;
import dev.embed4j.ProviderException;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;

/**
 * Counts per model: billed tokens, dollars, batches by outcome, retries and 429 replies. A 429 is
 * counted once, when it is retried or, as the last attempt, when its batch fails; so the counter
 * agrees with {@code EmbeddingRun.rateLimited()}.
 */
final class MeterEmbedListener implements EmbedListener {
  static final String TOKENS = "embed4j.tokens";
  static final String COST = "embed4j.cost";
  static final String BATCHES = "embed4j.batches";
  static final String RETRIES = "embed4j.retries";
  static final String RATE_LIMITED = "embed4j.rate_limited";

  private final MeterRegistry registry;

  MeterEmbedListener(MeterRegistry registry) {
    this.registry = registry;
  }

  @Override
  public void batchSucceeded(BatchOutcome batch) {
    Counter.builder(TOKENS)
        .description("Tokens billed by the embedding provider")
        .baseUnit("tokens")
        .tag("model", batch.model())
        .register(registry)
        .increment(batch.tokens());
    Counter.builder(COST)
        .description("US dollars of the billed tokens at the model's registry price")
        .baseUnit("dollars")
        .tag("model", batch.model())
        .register(registry)
        .increment(batch.cost().doubleValue());
    batches(batch, "success");
  }

  @Override
  public void batchFailed(BatchOutcome batch) {
    batches(batch, "failure");
    if (batch.error().map(MeterEmbedListener::isRateLimited).orElse(false)) {
      rateLimited(batch.model());
    }
  }

  @Override
  public void retryScheduled(RetryScheduled event) {
    Counter.builder(RETRIES)
        .description("Attempts that failed with a retryable error and were retried")
        .tag("model", event.model())
        .register(registry)
        .increment();
    if (isRateLimited(event.reason())) {
      rateLimited(event.model());
    }
  }

  private void batches(BatchOutcome batch, String outcome) {
    Counter.builder(BATCHES)
        .description("Batches ended, by outcome")
        .tag("model", batch.model())
        .tag("outcome", outcome)
        .register(registry)
        .increment();
  }

  private void rateLimited(String model) {
    Counter.builder(RATE_LIMITED)
        .description("Replies with HTTP status 429 (rate limited)")
        .tag("model", model)
        .register(registry)
        .increment();
  }

  private static boolean isRateLimited(Throwable error) {
    return error instanceof ProviderException && ((ProviderException) error).statusCode() == 429;
  }
}
