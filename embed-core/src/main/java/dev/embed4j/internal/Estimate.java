package dev.embed4j.internal;

import dev.embed4j.CostEstimate;
import java.math.BigDecimal;

/** A {@link CostEstimate}: the plan of a run, or a dry run's answer. */
record Estimate(String model, int texts, int batches, long tokens, boolean exact, BigDecimal cost)
    implements CostEstimate {}
