package dev.embed4j.internal;

import dev.embed4j.BatchOutcome;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * A run's running totals, added to as batches end and inputs are reused. A list run keeps every
 * batch outcome (its vectors are in the result anyway); a stream keeps only the failed ones.
 */
final class Tally {
  private final boolean keepAll;
  private final List<BatchOutcome> outcomes = new ArrayList<>();
  private long tokens;
  private boolean tokensEstimated;
  private BigDecimal cost = BigDecimal.ZERO;
  private int requests;
  private int retries;
  private int rateLimited;
  private int batches;
  private int failedBatches;
  private int cacheHits;
  private int duplicates;
  private long savedTokens;
  private BigDecimal savedCost = BigDecimal.ZERO;

  Tally(boolean keepAll) {
    this.keepAll = keepAll;
  }

  /** The figures at one moment (or, once the run is over, for good). */
  record Totals(
      long tokens,
      boolean tokensEstimated,
      BigDecimal cost,
      int requests,
      int retries,
      int rateLimited,
      int batches,
      int failedBatches,
      int cacheHits,
      int duplicates,
      long savedTokens,
      BigDecimal savedCost) {}

  synchronized void ended(BatchOutcome b) {
    batches++;
    tokens += b.tokens();
    tokensEstimated |= b.tokensEstimated();
    cost = cost.add(b.cost());
    requests += b.attempts();
    retries += b.retries();
    rateLimited += b.rateLimited();
    if (!b.succeeded()) {
      failedBatches++;
    }
    if (keepAll || !b.succeeded()) {
      outcomes.add(b);
    }
  }

  synchronized void reused(int hits, int dups, long tokens, BigDecimal dollars) {
    cacheHits += hits;
    duplicates += dups;
    savedTokens += tokens;
    savedCost = savedCost.add(dollars);
  }

  synchronized Totals totals() {
    return new Totals(
        tokens,
        tokensEstimated,
        cost,
        requests,
        retries,
        rateLimited,
        batches,
        failedBatches,
        cacheHits,
        duplicates,
        savedTokens,
        savedCost);
  }

  /** The kept outcomes by batch id. */
  synchronized List<BatchOutcome> outcomes() {
    List<BatchOutcome> sorted = new ArrayList<>(outcomes);
    sorted.sort(Comparator.comparingInt(BatchOutcome::id));
    return sorted;
  }
}
