package dev.embed4j;

import java.math.BigDecimal;

/**
 * What embedding a list of texts would take and cost, computed from the tokenizer and the registry
 * price without sending anything ({@link Embedder#estimate(java.util.List)}); also the plan a run
 * starts with ({@link EmbedListener#runStarted}). Immutable.
 */
public interface CostEstimate {

  /** The model id, {@code provider:name}. */
  String model();

  /** How many texts. */
  int texts();

  /** How many requests the batcher would send. */
  int batches();

  /** The token count of all texts. */
  long tokens();

  /**
   * Whether {@link #tokens()} comes from the model's own tokenizer; when false it is an estimate,
   * and the bill may differ.
   */
  boolean exact();

  /** US dollars for {@link #tokens()} at the registry price. */
  BigDecimal cost();
}
