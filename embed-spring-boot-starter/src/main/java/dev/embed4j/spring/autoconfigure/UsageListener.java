package dev.embed4j.spring.autoconfigure;

import dev.embed4j.BatchOutcome;
import dev.embed4j.EmbedListener;
import dev.embed4j.EmbeddingRun;
import dev.embed4j.spi.EmbeddingProvider;
import java.math.BigDecimal;
import java.time.Clock;
import java.time.Instant;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Adds up, per model and since the application started, what the {@code embed4j} Actuator endpoint
 * reports. Keeps numbers only: never a text, a vector or a key. Thread-safe; each callback is a few
 * additions under the model's lock.
 */
final class UsageListener implements EmbedListener {
  private final Clock clock;
  private final Instant started;
  private final Map<String, ModelUsage> models = new ConcurrentHashMap<>();

  UsageListener(Clock clock) {
    this.clock = clock;
    this.started = clock.instant();
  }

  @Override
  public void batchSucceeded(BatchOutcome batch) {
    usage(batch.model()).batch(batch, true);
  }

  @Override
  public void batchFailed(BatchOutcome batch) {
    usage(batch.model()).batch(batch, false);
  }

  @Override
  public void runFinished(EmbeddingRun run) {
    usage(run.model().id()).run(run.isComplete());
  }

  @Override
  public void rateLimitsReported(String model, EmbeddingProvider.Limits limits) {
    usage(model).limits(limits, clock.instant());
  }

  /** Texts answered from the cache or as duplicates, with the tokens and dollars that saved. */
  @Override
  public void inputsReused(
      String runId,
      String model,
      int cacheHits,
      int duplicates,
      long savedTokens,
      BigDecimal savedCost) {
    usage(model).reused(cacheHits, duplicates, savedTokens, savedCost);
  }

  /** What was counted so far, by model id in alphabetical order. */
  Embed4jEndpoint.Report report() {
    Map<String, Embed4jEndpoint.ModelReport> out = new TreeMap<>();
    models.forEach((model, usage) -> out.put(model, usage.report()));
    return new Embed4jEndpoint.Report(started, out);
  }

  private ModelUsage usage(String model) {
    return models.computeIfAbsent(model, m -> new ModelUsage());
  }

  private static final class ModelUsage {
    private long runs;
    private long incompleteRuns;
    private long texts;
    private long failedTexts;
    private long batches;
    private long failedBatches;
    private long tokens;
    private BigDecimal cost = BigDecimal.ZERO;
    private long retries;
    private long rateLimited;
    private long cacheHits;
    private long duplicates;
    private long savedTokens;
    private BigDecimal savedCost = BigDecimal.ZERO;
    private Embed4jEndpoint.Limits limits;

    synchronized void batch(BatchOutcome batch, boolean succeeded) {
      if (succeeded) {
        batches++;
        texts += batch.size();
        tokens += batch.tokens();
        cost = cost.add(batch.cost());
      } else {
        failedBatches++;
        failedTexts += batch.size();
      }
      retries += batch.retries();
      rateLimited += batch.rateLimited();
    }

    synchronized void run(boolean complete) {
      runs++;
      if (!complete) {
        incompleteRuns++;
      }
    }

    synchronized void limits(EmbeddingProvider.Limits reported, Instant at) {
      limits =
          new Embed4jEndpoint.Limits(
              known(reported.requestLimit()),
              known(reported.tokenLimit()),
              known(reported.requestsRemaining()),
              known(reported.tokensRemaining()),
              at);
    }

    synchronized void reused(int hits, int dups, long tokensSaved, BigDecimal costSaved) {
      cacheHits += hits;
      duplicates += dups;
      savedTokens += tokensSaved;
      savedCost = savedCost.add(costSaved);
    }

    synchronized Embed4jEndpoint.ModelReport report() {
      return new Embed4jEndpoint.ModelReport(
          runs,
          incompleteRuns,
          texts,
          failedTexts,
          batches,
          failedBatches,
          tokens,
          cost,
          retries,
          rateLimited,
          cacheHits,
          duplicates,
          savedTokens,
          savedCost,
          limits);
    }

    private static Long known(long value) {
      return value >= 0 ? value : null;
    }
  }
}
