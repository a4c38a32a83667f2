package dev.embed4j.internal;

import dev.embed4j.CostEstimate;
import dev.embed4j.Embed4jException;
import dev.embed4j.EmbeddingRun;
import dev.embed4j.ModelSpec;
import dev.embed4j.StopReason;
import dev.embed4j.spi.EmbeddingProvider;
import java.math.BigDecimal;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.BiFunction;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One run in flight, list or stream alike. Up to {@code maxConcurrentRequests} workers each take
 * the next {@link Planner.Step}: its inputs done without a request go straight to the {@link
 * Completion}; its batch goes through the attempt loop of {@link #send}: ask the {@link RunControl}
 * whether the run goes on, acquire a {@link Reservation}, send, then either check the reply and
 * hand the batch's outcome to the {@link Completion} (which places the vectors, with those of the
 * inputs deduplicated onto them, and writes the cache), or release the reservation and follow the
 * {@link RetryPolicy}'s decision. When the last worker has no step left the run is assembled and
 * the future completed.
 */
final class Dispatch {
  private static final Logger log = LoggerFactory.getLogger(Dispatch.class);

  /** What an embedder hands each of its runs. */
  record Context(
      Settings settings,
      EmbeddingProvider provider,
      Listeners listeners,
      Reservation.Pool pool,
      RetryPolicy policy,
      SharedResources resources,
      TokenGuess guess,
      TokenDensity density) {}

  /** What is particular to one run: its input, where its results go, how it ends. */
  record Plan(
      CostEstimate estimate,
      Planner planner,
      Completion completion,
      int workers,
      BiFunction<Duration, StopReason, Run> assemble,
      Runnable onEnd) {}

  private final Context context;
  private final Settings settings;
  private final ModelSpec model;
  private final String id;
  private final Plan plan;
  private final RunControl control;
  private final CostBudget budget;
  private final Split split; // Split (issue 12): halves of the batches refused as too large
  private final AtomicInteger working = new AtomicInteger();
  private final AtomicReference<Throwable> fatal = new AtomicReference<>();
  private final RunFuture future = new RunFuture();
  private final long startNanos = System.nanoTime();

  Dispatch(Context context, String id, RunControl control, BigDecimal alreadySpent, Plan plan) {
    this.context = context;
    this.settings = context.settings();
    this.model = settings.model;
    this.id = id;
    this.control = control;
    this.plan = plan;
    this.split = new Split(model, context.density(), plan.planner()::batchId);
    this.budget = settings.maxCost == null ? null : new CostBudget(settings.maxCost, alreadySpent);
  }

  String id() {
    return id;
  }

  RunControl control() {
    return control;
  }

  CompletableFuture<EmbeddingRun> future() {
    return future;
  }

  /**
   * The input iterator or its text function failed: the planner reads no more (it threw only once
   * what was read before the failure had been planned), the batches planned so far are sent, and
   * the run's future fails with it once the workers are done.
   */
  void inputFailed(Throwable e) {
    fatal.compareAndSet(null, e);
  }

  /**
   * The sink failed (or a bug of ours): nobody can take results any more, so also cancel the
   * requests under way, and fail the run's future with it once the workers are done.
   */
  void fatal(Throwable e) {
    if (fatal.compareAndSet(null, e)) {
      control.abort(StopReason.CANCELLED, "Not embedded: run " + id + " stopped: " + e);
    }
  }

  void start() {
    context.listeners().runStarted(id, plan.estimate());
    if (plan.workers() == 0) {
      finish();
      return;
    }
    control.startDeadline(context.resources().timer());
    working.set(plan.workers());
    for (int w = 0; w < plan.workers(); w++) {
      try {
        context.resources().workers().execute(this::work);
      } catch (RejectedExecutionException e) {
        control.abort(StopReason.EMBEDDER_CLOSED, "Not embedded: the embedder was closed");
        working.addAndGet(w - plan.workers() + 1);
        work();
        return;
      }
    }
  }

  private void work() {
    try {
      Planner.Step step;
      while (true) {
        Split.Half half = split.next(); // Split (issue 12): halves first, never behind the planner
        if (half != null) {
          sendGuarded(half.batch(), half.carried());
          continue;
        }
        if ((step = nextStep()) == null) {
          break;
        }
        if (!step.done().isEmpty()) {
          plan.completion().reused(step.done(), new ArrayList<>());
        }
        if (step.batch() != null) {
          sendGuarded(step.batch(), BatchResult.Attempts.NONE);
        }
      }
    } catch (RuntimeException | Error e) {
      fatal(e); // a bug of ours or a sink's error: it must not leave the run hanging
    } finally {
      if (working.decrementAndGet() == 0) {
        finish();
      }
    }
  }

  private Planner.Step nextStep() {
    try {
      return plan.planner().next();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      control.abort(
          StopReason.CANCELLED, "Not embedded: the worker of run " + id + " was interrupted");
      return null;
    } catch (RuntimeException | Error e) {
      inputFailed(e);
      return null;
    }
  }

  private void sendGuarded(Batch batch, BatchResult.Attempts carried) {
    try {
      send(batch, carried);
    } catch (RuntimeException | Error e) {
      // A bug of ours or of a listener must not leave the batch's inputs undelivered.
      failed(
          batch,
          carried,
          System.nanoTime(),
          new Embed4jException("Batch " + batch.id() + " failed unexpectedly: " + e, e));
    }
  }

  /**
   * The attempt loop of one batch. After a failed attempt, the one place that decides what comes
   * next is the {@link RetryPolicy.Decision} below (hook point for splitting a batch that was too
   * large, or for the rate limiter's correction). {@code carried}: the attempts of the refused
   * batch this one is the first half of (Split), counted with it.
   */
  private void send(Batch batch, BatchResult.Attempts carried) {
    // Split (issue 12): over the cap by the model's learned token density, halved before sending.
    if (split.overCap(batch)) {
      halve(batch, carried);
      return;
    }
    long started = System.nanoTime();
    BatchRequest request = new BatchRequest(batch, settings, control);
    long reserved = context.guess().reserve(batch);
    BigDecimal estimatedCost = model.cost(reserved);
    int sent = carried.sent();
    int retries = carried.retries();
    int rateLimited = carried.rateLimited();
    while (true) {
      Embed4jException stop = control.stopped();
      Reservation reservation = null;
      if (stop == null) {
        try {
          reservation =
              Reservation.acquire(
                  context.pool(),
                  control,
                  budget,
                  reserved,
                  estimatedCost,
                  wait -> waited(wait, false));
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
      }
      if (reservation == null) {
        Embed4jException why = control.stopped();
        failed(
            batch,
            new BatchResult.Attempts(sent, retries, rateLimited),
            started,
            why != null
                ? why
                : new Embed4jException(
                    "Not embedded: the worker of run " + id + " was interrupted"));
        return;
      }
      sent++;
      EmbeddingProvider.Result result = null;
      Embed4jException failure;
      try {
        // A run stopped while this attempt waited for a slot sends nothing.
        result =
            reservation.send(
                () -> control.stopped() != null ? null : context.provider().embed(request));
        failure =
            result == null
                ? control.stopped()
                : ReplyCheck.unusable(result, batch, settings.dims, context.provider().id(), model);
      } catch (Exception e) {
        failure = ReplyCheck.failure(e, context.provider().id(), model, batch, control);
      }
      if (failure == null) {
        // Without the server's usage, the bill is the tokenizer's exact count.
        long tokens = result.tokens() >= 0 ? result.tokens() : batch.countExactly();
        context.guess().billed(batch, tokens);
        // Images (issue 12): image tokens are billed at the model's image rate, counted in tokens.
        BigDecimal cost = model.cost(tokens, result.imageTokens());
        tokens += result.imageTokens();
        reservation.settle(tokens, cost, result.limits());
        if (result.limits().isKnown() && !context.listeners().isEmpty()) { // issue 15 hook
          context.listeners().rateLimitsReported(model.id(), result.limits());
        }
        succeeded(
            batch,
            result.vectors(),
            tokens,
            cost,
            new BatchResult.Attempts(sent, retries, rateLimited),
            started,
            result.tokens() < 0); // the provider reported no usage: the estimate is billed
        return;
      }
      reservation.release();
      if (failure.isRateLimited()) {
        rateLimited++;
      }
      BatchResult.Attempts attempts = new BatchResult.Attempts(sent, retries, rateLimited);
      Embed4jException stopped = control.stopped();
      if (stopped != null) {
        // Stopped while this request was under way: report an abort as such, not its echo.
        failed(batch, attempts, started, control.isAbortReason(stopped) ? stopped : failure);
        return;
      }
      // Split (issue 12): a batch the provider finds too large is halved, never failed; a single
      // input it finds too long fails alone, naming its index.
      if (Split.tooLarge(failure)) {
        if (batch.size() > 1) {
          split.refused(batch, failure);
          halve(batch, attempts);
          return;
        }
        failure = split.overLong(batch, failure);
      }
      RetryPolicy.Decision decision = context.policy().decide(failure, sent);
      if (decision.stopRun() != null) {
        control.stopSending(
            decision.stopRun(),
            "Not sent: run "
                + id
                + " stopped after batch "
                + batch.id()
                + " failed: "
                + failure.getMessage(),
            failure);
      }
      if (!decision.retry()) {
        failed(batch, attempts, started, failure);
        return;
      }
      retries++;
      Duration delay = decision.delay();
      if (failure.isRateLimited()) {
        reservation.rateLimited(delay, failure); // hook (throughput): the limiter learns from it
        waited(delay, true);
      }
      if (!context.listeners().isEmpty()) {
        context.listeners().retryScheduled(id, model.id(), batch.id(), sent, delay, failure);
      }
      log.debug(
          "Run {} batch {} attempt {} failed ({}); retrying in {} ms",
          id,
          batch.id(),
          sent,
          failure.getMessage(),
          delay.toMillis());
      control.sleep(delay.toNanos());
    }
  }

  /** Puts the halves of {@code batch} on the run's queue; they end in its stead (Split). */
  private void halve(Batch batch, BatchResult.Attempts carried) {
    List<Batch> halves = split.halve(batch, carried);
    log.debug(
        "Run {} batch {} (inputs {}) is too large for {}: split into batches {} and {}",
        id,
        batch.id(),
        batch.describeIndices(),
        model.id(),
        halves.get(0).id(),
        halves.get(1).id());
  }

  private void waited(Duration wait, boolean serverRejected) {
    if (!context.listeners().isEmpty()) {
      context.listeners().rateLimitWait(id, model.id(), wait, serverRejected);
    }
  }

  private void succeeded(
      Batch batch,
      List<float[]> vectors,
      long tokens,
      BigDecimal cost,
      BatchResult.Attempts attempts,
      long started,
      boolean tokensEstimated) {
    plan.completion()
        .succeeded(
            BatchResult.succeeded(
                id,
                model.id(),
                batch,
                vectors,
                tokens,
                cost,
                attempts,
                since(started),
                tokensEstimated));
  }

  private void failed(
      Batch batch, BatchResult.Attempts attempts, long started, Embed4jException error) {
    plan.completion()
        .failed(BatchResult.failed(id, model.id(), batch, attempts, since(started), error));
  }

  private void finish() {
    control.finished();
    if (plan.onEnd() != null) {
      try {
        plan.onEnd().run();
      } catch (RuntimeException e) {
        log.warn("Closing the input of run {} failed", id, e);
      }
    }
    Throwable failure = fatal.get();
    if (failure != null) { // the input failed (or a bug of ours): say so on the run
      control.stopSending(
          StopReason.CANCELLED,
          "Not sent: run " + id + " stopped reading its input: " + failure,
          failure);
    }
    Embed4jException stopped = control.stopped();
    StopReason reason = stopped == null ? null : stopped.stopReason().orElse(null);
    Run run = plan.assemble().apply(since(startNanos), reason);
    context.listeners().runFinished(run);
    if (failure != null) {
      future.fail(failure, run);
    } else {
      future.complete(run);
    }
  }

  private static Duration since(long nanos) {
    return Duration.ofNanos(System.nanoTime() - nanos);
  }

  /** The future handed to the caller: cancelling it cancels the run. */
  private final class RunFuture extends CompletableFuture<EmbeddingRun> {
    @Override
    public boolean cancel(boolean mayInterruptIfRunning) {
      // Cancelled first, then the run told: the run, ending at once on another thread, must not
      // complete the future before it is cancelled (cancel would then answer false).
      boolean cancelled = super.cancel(mayInterruptIfRunning);
      if (cancelled) {
        control.abort(StopReason.CANCELLED, "Not embedded: run " + id + " was cancelled");
      }
      return cancelled;
    }

    void fail(Throwable failure, Run run) {
      completeExceptionally(
          failure instanceof Embed4jException
              ? failure
              : new Embed4jException(
                  "Run " + id + " stopped: " + failure + " (" + run.summary() + ")", failure));
    }
  }
}
