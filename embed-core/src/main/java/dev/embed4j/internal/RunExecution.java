package dev.embed4j.internal;

import dev.embed4j.AuthenticationException;
import dev.embed4j.BatchOutcome;
import dev.embed4j.Embed4jException;
import dev.embed4j.EmbedListener;
import dev.embed4j.EmbeddingProvider;
import dev.embed4j.EmbeddingRun;
import dev.embed4j.ProviderException;
import dev.embed4j.RateLimitException;
import java.io.IOException;
import java.math.BigDecimal;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One run in flight. Up to {@code maxConcurrentRequests} workers take batches in order from a
 * shared cursor; for each batch a worker loops over attempts: wait at the pool's pause gate,
 * reserve from the rate limiter and the cost budget, send (holding one of the embedder's
 * in-flight permits), then either place the vectors at their input indices or classify the
 * failure and retry after the back-off or the server's delay. A 429 closes the pause gate for
 * the whole pool; a rejected key, an exhausted quota or an exhausted budget stops new sends for
 * the run; cancellation and the run's deadline also cancel the calls under way.
 */
final class RunExecution implements EmbeddingProvider.Cancellation {
  private static final Logger log = LoggerFactory.getLogger(RunExecution.class);

  private final Engine engine;
  private final EngineConfig config;
  private final String id;
  private final List<String> texts;
  private final List<String> sendTexts;
  private final List<Batch> batches;
  private final EmbeddingRun previous;
  private final float[][] vectors;
  private final BatchOutcome[] outcomes;
  private final AtomicInteger cursor = new AtomicInteger();
  private final AtomicInteger remaining;
  private final AtomicInteger retries = new AtomicInteger();
  private final AtomicInteger rateLimited = new AtomicInteger();
  private final AtomicReference<Embed4jException> stopSending = new AtomicReference<>();
  private final AtomicReference<Embed4jException> aborted = new AtomicReference<>();
  private final CountDownLatch abortLatch = new CountDownLatch(1);
  private final Set<Runnable> cancelActions = ConcurrentHashMap.newKeySet();
  private final CostBudget budget;
  private final RunFuture future = new RunFuture();
  private final long startNanos = System.nanoTime();
  private final long deadlineNanos;
  private volatile ScheduledFuture<?> deadlineTimer;

  RunExecution(Engine engine, String id, List<String> texts, List<String> sendTexts, List<Batch> batches,
      EmbeddingRun previous) {
    this.engine = engine;
    this.config = engine.config();
    this.id = id;
    this.texts = texts;
    this.sendTexts = sendTexts;
    this.batches = batches;
    this.previous = previous;
    this.vectors = new float[texts.size()][];
    this.outcomes = new BatchOutcome[batches.size()];
    this.remaining = new AtomicInteger(batches.size());
    this.budget = config.maxCost() == null ? null : new CostBudget(config.maxCost(),
        previous == null ? BigDecimal.ZERO : previous.cost());
    this.deadlineNanos = config.runTimeout() == null ? Long.MAX_VALUE : startNanos + config.runTimeout().toNanos();
    if (previous != null) {
      for (int i = 0; i < vectors.length; i++) {
        if (previous.isEmbedded(i)) {
          vectors[i] = previous.vector(i);
        }
      }
    }
  }

  String id() {
    return id;
  }

  CompletableFuture<EmbeddingRun> future() {
    return future;
  }

  boolean isNew(BatchOutcome b) {
    return b.runId().equals(id);
  }

  void start() {
    Listeners listeners = engine.listeners();
    if (!listeners.isEmpty()) {
      long tokens = 0;
      for (Batch b : batches) {
        tokens += b.tokens();
      }
      listeners.runStarted(new EmbedListener.RunStarted(id, config.model().id(), texts.size(), batches.size(),
          tokens, engine.cost(tokens)));
    }
    if (batches.isEmpty()) {
      finish();
      return;
    }
    if (config.runTimeout() != null) {
      deadlineTimer = engine.resources().timer().schedule(() -> abort(new Embed4jException("Not embedded: run "
          + id + " passed its runTimeout of " + config.runTimeout() + " before this batch was done")),
          config.runTimeout().toNanos(), TimeUnit.NANOSECONDS);
    }
    int workers = Math.min(config.maxConcurrentRequests(), batches.size());
    for (int w = 0; w < workers; w++) {
      try {
        engine.resources().workers().execute(this::work);
      } catch (RejectedExecutionException e) {
        abort(new Embed4jException("Not embedded: the embedder was closed", e));
        work();
        return;
      }
    }
  }

  private void work() {
    int next;
    while ((next = cursor.getAndIncrement()) < batches.size()) {
      Batch batch = batches.get(next);
      try {
        process(batch);
      } catch (RuntimeException | Error e) {
        // A bug of ours or of a listener must not leave the run hanging.
        fail(batch, 0, System.nanoTime(), new Embed4jException("Batch " + batch.id() + " failed unexpectedly: " + e, e));
      }
    }
  }

  private void process(Batch batch) {
    long started = System.nanoTime();
    int attempts = 0;
    List<String> batchTexts = new ArrayList<>(batch.indices().length);
    for (int i : batch.indices()) {
      batchTexts.add(sendTexts.get(i));
    }
    EmbeddingProvider.Request request = new EmbeddingProvider.Request(config.model(), batchTexts,
        config.dimensions(), config.inputType(), config.truncate(), this);
    BigDecimal estimatedCost = engine.cost(batch.tokens());
    while (true) {
      Embed4jException stop = stopReason();
      if (stop != null) {
        fail(batch, attempts, started, stop);
        return;
      }
      PauseGate.Admission admission = waitAtGate();
      if (admission == null || !reserveRateLimit(batch)) {
        fail(batch, attempts, started, stopReasonOr("Not embedded: run " + id + " was stopped"));
        return;
      }
      if (budget != null && !budget.reserve(estimatedCost)) {
        engine.limiter().release(batch.tokens());
        stopSending(new Embed4jException("Not sent: the estimated " + EmbeddingRun.formatDollars(estimatedCost)
            + " of batch " + batch.id() + " would take run " + id + " over its maxCost of "
            + EmbeddingRun.formatDollars(config.maxCost()) + " (" + EmbeddingRun.formatDollars(budget.committed())
            + " already spent or reserved). Raise maxCost or embed fewer texts."));
        continue;
      }
      attempts++;
      EmbeddingProvider.Result result;
      Embed4jException failure;
      try {
        result = send(request);
        failure = check(result, batch);
      } catch (ProviderException e) {
        result = null;
        failure = e;
      } catch (IOException e) {
        result = null;
        failure = new ProviderException(config.model().provider(), config.model().name(), 0, null, null, true, null,
            "Request failed before a reply was received: " + describe(e), e);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        result = null;
        failure = stopReasonOr("Not embedded: the worker was interrupted");
      } catch (RuntimeException e) {
        result = null;
        failure = new Embed4jException("Provider " + config.model().provider() + " failed on batch " + batch.id()
            + ": " + e, e);
      }
      if (failure == null) {
        succeed(batch, attempts, started, result, estimatedCost);
        return;
      }
      engine.limiter().release(batch.tokens());
      if (budget != null) {
        budget.release(estimatedCost);
      }
      Embed4jException stopped = stopReason();
      if (stopped != null) {
        // The run was cancelled or stopped while this request was under way: report why, not the abort's echo.
        fail(batch, attempts, started, stopped == aborted.get() ? stopped : failure);
        return;
      }
      if (failure instanceof ProviderException && ((ProviderException) failure).statusCode() == 429) {
        rateLimited.incrementAndGet();
      }
      if (failure instanceof AuthenticationException || isQuotaExhausted(failure)) {
        stopSending(new Embed4jException("Not sent: run " + id + " stopped after batch " + batch.id()
            + " failed: " + failure.getMessage(), failure));
      }
      if (!failure.isRetryable() || attempts >= config.maxAttempts()) {
        fail(batch, attempts, started, failure);
        return;
      }
      Duration delay = delayAfter(failure, attempts);
      retries.incrementAndGet();
      Listeners listeners = engine.listeners();
      if (failure instanceof RateLimitException) {
        engine.gate().rateLimited(delay, admission.ticket());
        if (!listeners.isEmpty()) {
          listeners.rateLimitWait(new EmbedListener.RateLimitWait(id, config.model().id(), delay, true));
        }
      }
      if (!listeners.isEmpty()) {
        listeners.retryScheduled(new EmbedListener.RetryScheduled(id, config.model().id(), batch.id(), attempts,
            delay, failure));
      }
      log.debug("Run {} batch {} attempt {} failed ({}); retrying in {} ms", id, batch.id(), attempts,
          failure.getMessage(), delay.toMillis());
      sleep(delay.toNanos());
    }
  }

  private EmbeddingProvider.Result send(EmbeddingProvider.Request request) throws IOException, InterruptedException {
    AdaptiveConcurrency slots = engine.inFlight();
    long generation = slots.acquire();
    try {
      if (stopReason() != null) {
        throw new InterruptedException("stopped");
      }
      EmbeddingProvider.Result result = engine.provider().embed(request);
      slots.succeeded();
      engine.gate().succeeded();
      return result;
    } catch (RateLimitException e) {
      slots.rateLimited(generation);
      throw e;
    } finally {
      slots.release();
    }
  }

  private Duration delayAfter(Embed4jException failure, int attempts) {
    if (failure instanceof ProviderException) {
      Duration serverDelay = ((ProviderException) failure).retryAfter().orElse(null);
      if (serverDelay != null) {
        return serverDelay;
      }
    }
    return engine.backoff().delay(attempts);
  }

  private static boolean isQuotaExhausted(Embed4jException e) {
    return e instanceof ProviderException && ((ProviderException) e).errorCode()
        .filter("insufficient_quota"::equals).isPresent();
  }

  /** A reply we cannot use is a failure of the batch, never a shifted or missing vector. */
  private Embed4jException check(EmbeddingProvider.Result result, Batch batch) {
    String problem = null;
    List<float[]> got = result.vectors();
    if (got.size() != batch.indices().length) {
      problem = "the reply had " + got.size() + " embeddings for " + batch.indices().length + " texts";
    } else {
      for (int i = 0; i < got.size(); i++) {
        float[] v = got.get(i);
        if (v == null) {
          problem = "the reply had no embedding for text " + i + " of the batch";
          break;
        }
        if (v.length != config.dimensions()) {
          problem = "the reply's embedding " + i + " has " + v.length + " dimensions, not " + config.dimensions();
          break;
        }
      }
    }
    if (problem == null) {
      return null;
    }
    return new ProviderException(config.model().provider(), config.model().name(), 200, null, null, true, null,
        "Unusable reply for batch " + batch.id() + ": " + problem, null);
  }

  private void succeed(Batch batch, int attempts, long started, EmbeddingProvider.Result result,
      BigDecimal estimatedCost) {
    long tokens = result.tokens() >= 0 ? result.tokens() : batch.tokens();
    BigDecimal cost = engine.cost(tokens);
    engine.limiter().settle(batch.tokens(), tokens);
    engine.limiter().observe(result.limits());
    if (budget != null) {
      budget.settle(estimatedCost, cost);
    }
    int[] indices = batch.indices();
    List<float[]> got = result.vectors();
    for (int i = 0; i < indices.length; i++) {
      vectors[indices[i]] = got.get(i);
    }
    BatchOutcome outcome = new BatchOutcome(id, config.model().id(), batch.id(), batch.indexList(), got, tokens, cost,
        attempts, Duration.ofNanos(System.nanoTime() - started), null);
    end(batch, outcome);
  }

  private void fail(Batch batch, int attempts, long started, Embed4jException error) {
    BatchOutcome outcome = new BatchOutcome(id, config.model().id(), batch.id(), batch.indexList(), null, 0,
        BigDecimal.ZERO, attempts, Duration.ofNanos(System.nanoTime() - started), error);
    end(batch, outcome);
  }

  private void end(Batch batch, BatchOutcome outcome) {
    int slot = batch.id() - firstId();
    synchronized (outcomes) {
      if (outcomes[slot] != null) {
        return;
      }
      outcomes[slot] = outcome;
    }
    Listeners listeners = engine.listeners();
    if (outcome.succeeded()) {
      listeners.batchSucceeded(outcome);
    } else {
      listeners.batchFailed(outcome);
    }
    if (remaining.decrementAndGet() == 0) {
      finish();
    }
  }

  private int firstId() {
    return batches.isEmpty() ? 0 : batches.get(0).id();
  }

  private void finish() {
    ScheduledFuture<?> timer = deadlineTimer;
    if (timer != null) {
      timer.cancel(false);
    }
    List<BatchOutcome> all = new ArrayList<>();
    if (previous != null) {
      for (BatchOutcome b : previous.batches()) {
        if (b.succeeded()) {
          all.add(b);
        }
      }
    }
    all.addAll(List.of(outcomes));
    int earlierRetries = previous == null ? 0 : previous.retries();
    int earlier429 = previous == null ? 0 : previous.rateLimited();
    EmbeddingRun run = new EmbeddingRun(id, config.model(), config.dimensions(), texts, vectors, all,
        Duration.ofNanos(System.nanoTime() - startNanos), earlierRetries + retries.get(),
        earlier429 + rateLimited.get());
    engine.finished(this, run);
    engine.listeners().runFinished(run);
    future.complete(run);
  }

  // --- waiting, stopping, cancelling ---

  /** Waits for this worker's turn at the pool's pause gate; null if the run was aborted meanwhile. */
  private PauseGate.Admission waitAtGate() {
    PauseGate.Admission admission = engine.gate().admit();
    if (admission.waitNanos() > 0 && !sleep(admission.waitNanos())) {
      return null;
    }
    return aborted.get() == null ? admission : null;
  }

  private boolean reserveRateLimit(Batch batch) {
    try {
      long left = deadlineNanos - System.nanoTime();
      Duration waited = engine.limiter().acquire(batch.tokens(), Duration.ofNanos(Math.max(0, left)));
      if (waited == null) {
        abort(new Embed4jException("Not embedded: run " + id + " passed its runTimeout of " + config.runTimeout()
            + " while waiting for the rate limit"));
        return false;
      }
      if (waited.toMillis() >= 50 && !engine.listeners().isEmpty()) {
        engine.listeners().rateLimitWait(new EmbedListener.RateLimitWait(id, config.model().id(), waited, false));
      }
      if (aborted.get() != null) {
        engine.limiter().release(batch.tokens());
        return false;
      }
      return true;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }

  /** Sleeps, waking early if the run is aborted; false if it was. */
  private boolean sleep(long nanos) {
    try {
      long until = Math.min(System.nanoTime() + nanos, deadlineNanos);
      long left = until - System.nanoTime();
      if (left > 0 && abortLatch.await(left, TimeUnit.NANOSECONDS)) {
        return false;
      }
      return aborted.get() == null;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }

  private Embed4jException stopReason() {
    Embed4jException a = aborted.get();
    return a != null ? a : stopSending.get();
  }

  private Embed4jException stopReasonOr(String message) {
    Embed4jException reason = stopReason();
    return reason != null ? reason : new Embed4jException(message);
  }

  /** No new request is sent; those under way finish. */
  void stopSending(Embed4jException reason) {
    stopSending.compareAndSet(null, reason);
  }

  /** No new request is sent, and those under way are cancelled. */
  void abort(Embed4jException reason) {
    if (aborted.compareAndSet(null, reason)) {
      abortLatch.countDown();
      for (Runnable action : cancelActions) {
        try {
          action.run();
        } catch (RuntimeException e) {
          log.debug("Cancelling a call of run {} failed", id, e);
        }
      }
    }
  }

  @Override
  public boolean isCancelled() {
    return aborted.get() != null;
  }

  @Override
  public Runnable onCancel(Runnable action) {
    cancelActions.add(action);
    if (aborted.get() != null) {
      action.run();
    }
    return () -> cancelActions.remove(action);
  }

  private static String describe(IOException e) {
    String message = e.getMessage();
    return e.getClass().getSimpleName() + (message == null ? "" : ": " + message);
  }

  /** The future handed to the caller: cancelling it cancels the run. */
  private final class RunFuture extends CompletableFuture<EmbeddingRun> {
    @Override
    public boolean cancel(boolean mayInterruptIfRunning) {
      abort(new Embed4jException("Not embedded: run " + id + " was cancelled"));
      return super.cancel(mayInterruptIfRunning);
    }
  }

  /** The run's dollar budget: spent plus reserved never exceeds the maximum. */
  private static final class CostBudget {
    private final BigDecimal max;
    private BigDecimal committed;

    CostBudget(BigDecimal max, BigDecimal alreadySpent) {
      this.max = max;
      this.committed = alreadySpent;
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
}
