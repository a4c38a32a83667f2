package dev.embed4j.internal;

import dev.embed4j.Embed4jException;
import dev.embed4j.ProviderException;
import dev.embed4j.StopReason;
import dev.embed4j.spi.EmbeddingProvider;
import dev.embed4j.spi.RateLimiter;
import java.math.BigDecimal;
import java.time.Duration;

/**
 * What one attempt holds before and while it is sent, acquired once and then either settled with
 * what the server billed or released: a turn at the pool's pause gate, one request and the batch's
 * estimated tokens from the rate limiter, its estimated dollars from the run's budget, and a slot
 * among the requests in flight (held only during the call).
 */
final class Reservation {

  /** The pacing shared by every request of one endpoint, key and model. */
  record Pool(PauseGate gate, RateLimiter limiter, AdaptiveConcurrency slots) {}

  /** Sends a batch while holding a slot. */
  @FunctionalInterface
  interface Call {
    EmbeddingProvider.Result send() throws Exception;
  }

  private final Pool pool;
  private final CostBudget budget;
  private final long tokens;
  private final BigDecimal cost;
  private final long ticket;
  private long generation;
  private boolean open = true;

  private Reservation(Pool pool, CostBudget budget, long tokens, BigDecimal cost, long ticket) {
    this.pool = pool;
    this.budget = budget;
    this.tokens = tokens;
    this.cost = cost;
    this.ticket = ticket;
  }

  /** Reports how long the client's own rate limiter made a request wait. */
  @FunctionalInterface
  interface Waited {
    void waited(Duration wait);
  }

  /**
   * Waits for the gate and the rate limiter and reserves the budget; null if the run stopped
   * meanwhile (over budget included: then the run is told to stop sending).
   */
  static Reservation acquire(
      Pool pool, RunControl control, CostBudget budget, long tokens, BigDecimal cost, Waited waited)
      throws InterruptedException {
    PauseGate.Admission admission = pool.gate().admit();
    if (admission.waitNanos() > 0 && !control.sleep(admission.waitNanos()) || control.isAborted()) {
      return null;
    }
    Duration wait = pool.limiter().acquire(tokens, control.timeLeft());
    if (wait == null) {
      control.deadlinePassed();
      return null;
    }
    if (wait.toMillis() >= 50) {
      waited.waited(wait);
    }
    if (control.isAborted()) {
      pool.limiter().release(tokens);
      return null;
    }
    if (budget != null && !budget.reserve(cost)) {
      pool.limiter().release(tokens);
      control.stopSending(
          StopReason.OVER_BUDGET,
          "Not sent: the estimated "
              + dollars(cost)
              + " would take the run over its maxCost of "
              + dollars(budget.max())
              + " ("
              + dollars(budget.committed())
              + " already spent or reserved). Raise maxCost or"
              + " embed fewer texts.",
          null);
      return null;
    }
    return new Reservation(pool, budget, tokens, cost, admission.ticket());
  }

  /** Sends while holding a slot among the requests in flight. */
  EmbeddingProvider.Result send(Call call) throws Exception {
    generation = pool.slots().acquire();
    try {
      EmbeddingProvider.Result result = call.send();
      pool.slots().succeeded();
      pool.gate().succeeded();
      return result;
    } finally {
      pool.slots().release();
    }
  }

  /** The request was billed {@code billedTokens} costing {@code billedCost}. */
  void settle(long billedTokens, BigDecimal billedCost, EmbeddingProvider.Limits limits) {
    if (open) {
      open = false;
      pool.limiter().settle(tokens, billedTokens);
      pool.limiter().observe(limits);
      if (budget != null) {
        budget.settle(cost, billedCost);
      }
    }
  }

  /** The request failed, so it was not billed: give back what it reserved. */
  void release() {
    if (open) {
      open = false;
      pool.limiter().release(tokens);
      if (budget != null) {
        budget.release(cost);
      }
    }
  }

  /**
   * The server answered 429 with {@code failure}: tell the rate limiter its model was wrong, pause
   * the pool for {@code pause} (paced by the gate only when no limiter models the limit), shrink
   * the bound on requests in flight.
   */
  void rateLimited(Duration pause, Embed4jException failure) {
    RateLimiter limiter = pool.limiter();
    limiter.rejected(
        failure instanceof ProviderException
            ? ((ProviderException) failure).retryAfter().orElse(null)
            : null);
    pool.slots().rateLimited(generation);
    pool.gate().rateLimited(pause, ticket, limiter == RateLimiter.NONE);
  }

  private static String dollars(BigDecimal d) {
    return dev.embed4j.EmbeddingRun.formatDollars(d);
  }
}
