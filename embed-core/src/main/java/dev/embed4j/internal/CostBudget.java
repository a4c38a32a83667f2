package dev.embed4j.internal;

import java.math.BigDecimal;

/** A run's dollar budget: spent plus reserved never exceeds the maximum. */
final class CostBudget {
  private final BigDecimal max;
  private BigDecimal committed;

  CostBudget(BigDecimal max, BigDecimal alreadySpent) {
    this.max = max;
    this.committed = alreadySpent;
  }

  BigDecimal max() {
    return max;
  }

  synchronized boolean reserve(BigDecimal estimate) {
    BigDecimal next = committed.add(estimate);
    if (next.compareTo(max) > 0) {
      return false;
    }
    committed = next;
    return true;
  }

  synchronized void settle(BigDecimal estimate, BigDecimal actual) {
    committed = committed.subtract(estimate).add(actual);
  }

  synchronized void release(BigDecimal estimate) {
    committed = committed.subtract(estimate);
  }

  synchronized BigDecimal committed() {
    return committed;
  }
}
