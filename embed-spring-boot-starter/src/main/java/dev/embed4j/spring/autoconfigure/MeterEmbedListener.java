package dev.embed4j.spring.autoconfigure;

import dev.embed4j.BatchOutcome;
import dev.embed4j.EmbedListener;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.math.BigDecimal;

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
  static final String REUSED = "embed4j.reused";
  static final String SAVED_TOKENS = "embed4j.saved.tokens";
  static final String SAVED_COST = "embed4j.saved.cost";

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

  @Override
  public void inputsReused(
      String runId,
      String model,
      int cacheHits,
      int duplicates,
      long savedTokens,
      BigDecimal savedCost) {
    reused(model, "cache", cacheHits);
    reused(model, "duplicate", duplicates);
    Counter.builder(SAVED_TOKENS)
        .description("Tokens not billed: texts found in the cache or identical to one sent")
        .baseUnit("tokens")
        .tag("model", model)
        .register(registry)
        .increment(savedTokens);
    Counter.builder(SAVED_COST)
        .description("US dollars of the tokens not billed, at the model's registry price")
        .baseUnit("dollars")
        .tag("model", model)
        .register(registry)
        .increment(savedCost.doubleValue());
  }

  private void reused(String model, String source, int texts) {
    if (texts > 0) {
      Counter.builder(REUSED)
          .description("Texts not sent: found in the cache, or identical to a text sent")
          .tag("model", model)
          .tag("source", source)
          .register(registry)
          .increment(texts);
    }
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
