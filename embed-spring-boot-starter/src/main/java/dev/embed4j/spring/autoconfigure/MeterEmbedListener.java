package dev.embed4j.spring.autoconfigure;

import dev.embed4j.BatchOutcome;
import dev.embed4j.EmbedListener;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;

/**
 * Counts per model, when each batch ends: billed tokens, dollars, batches by outcome, and the
 * batch's {@link BatchOutcome#retries() retries} and {@link BatchOutcome#rateLimited() rate-limited
 * attempts}, as core counts them; so the counters add up to {@code EmbeddingRun.retries()} and
 * {@code EmbeddingRun.rateLimited()}.
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
    ended(batch, "success");
  }

  @Override
  public void batchFailed(BatchOutcome batch) {
    ended(batch, "failure");
  }

  private void ended(BatchOutcome batch, String outcome) {
    Counter.builder(BATCHES)
        .description("Batches ended, by outcome")
        .tag("model", batch.model())
        .tag("outcome", outcome)
        .register(registry)
        .increment();
    Counter.builder(RETRIES)
        .description("Attempts that failed with a retryable error and were retried")
        .tag("model", batch.model())
        .register(registry)
        .increment(batch.retries());
    Counter.builder(RATE_LIMITED)
        .description(
            "Attempts the provider answered as rate limited (HTTP 429, not an exhausted quota)")
        .tag("model", batch.model())
        .register(registry)
        .increment(batch.rateLimited());
  }
}
