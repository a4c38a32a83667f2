package dev.embed4j;

import java.math.BigDecimal;

/**
 * What embedding a list of texts would take and cost, computed from the tokenizer and the
 * registry price without sending anything ({@link Embedder#estimate(java.util.List)}).
 *
 * @param model the model id, {@code provider:name}
 * @param texts how many texts
 * @param batches how many requests the batcher would send
 * @param tokens the token count of all texts
 * @param exact whether {@code tokens} comes from the model's own tokenizer; when false it is an
 *     estimate, and the bill may differ
 * @param cost US dollars for {@code tokens} at the registry price
 */
public record CostEstimate(String model, int texts, int batches, long tokens, boolean exact, BigDecimal cost) {}
