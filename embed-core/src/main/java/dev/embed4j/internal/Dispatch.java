package dev.embed4j.internal;

import dev.embed4j.BatchOutcome;
import dev.embed4j.Embed4jException;
import dev.embed4j.EmbeddingRun;
import dev.embed4j.Input;
import dev.embed4j.ModelSpec;
import dev.embed4j.StopReason;
import dev.embed4j.spi.EmbeddingProvider;
import java.math.BigDecimal;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One run in flight. Up to {@code maxConcurrentRequests} workers take batches in order from a
 * shared cursor; for each batch a worker loops over attempts: ask the {@link RunControl} whether
 * the run goes on, acquire a {@link Reservation}, send, then either check the reply and hand its
 * vectors to the {@link ResultSink}, or release the reservation and follow the {@link
 * RetryPolicy}'s decision. When the last batch has ended the run is assembled and the future
 * completed.
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
      TokenDensity density) {}

  private final Context context;
  private final Settings settings;
  private final ModelSpec model;
  private final String id;
  private final List<String> texts;
  private final List<String> sendTexts;
  private final List<Input> inputs; // images (Inputs): the run's inputs, else null
  private final List<Batch> batches;
  private final EmbeddingRun previous;
  private final ResultSink.InMemory sink;
  // By batch id: the planned batches, and the halves of those split (Split).
  private final Map<Integer, BatchOutcome> outcomes = new TreeMap<>();
  private final Split split;
  private final AtomicInteger cursor = new AtomicInteger();
  private final AtomicInteger remaining;
  private final RunControl control;
  private final CostBudget budget;
  private final Consumer<Run> onFinished;
  private final RunFuture future = new RunFuture();
  private final long startNanos = System.nanoTime();

  Dispatch(
      Context context,
      String id,
      Preparation.Prepared prepared,
      List<Batch> batches,
      EmbeddingRun previous,
      Consumer<Run> onFinished) {
    this.context = context;
    this.settings = context.settings();
    this.model = settings.model;
    this.id = id;
    this.texts = prepared.texts();
    this.sendTexts = prepared.sendTexts();
    this.inputs = prepared.inputs();
    this.batches = batches;
    this.previous = previous;
    this.onFinished = onFinished;
    this.sink = new ResultSink.InMemory(texts.size());
    this.split =
        new Split(
            model,
            prepared.tokens(),
            context.density(),
            batches.isEmpty() ? 0 : batches.get(batches.size() - 1).id() + 1);
    this.remaining = new AtomicInteger(batches.size());
    this.control = new RunControl(id, settings.runTimeout, context.resources().clock());
    this.budget =
        settings.maxCost == null
            ? null
            : new CostBudget(
                settings.maxCost, previous == null ? BigDecimal.ZERO : previous.cost());
    if (previous != null) {
      for (int i = 0; i < texts.size(); i++) {
        if (previous.isEmbedded(i)) {
          sink.keep(i, previous.vector(i));
        }
      }
    }
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

  void start() {
    Listeners listeners = context.listeners();
    if (!listeners.isEmpty()) {
      long tokens = 0;
      for (Batch b : batches) {
        tokens += b.tokens();
      }
      listeners.runStarted(
          id,
          new Estimate(
              model.id(),
              texts.size(),
              batches.size(),
              tokens,
              model.hasExactTokenizer(),
              model.cost(tokens)));
    }
    if (batches.isEmpty()) {
      finish();
      return;
    }
    control.startDeadline(context.resources().timer());
    int workers = Math.min(settings.maxConcurrentRequests, batches.size());
    for (int w = 0; w < workers; w++) {
      try {
        context.resources().workers().execute(this::work);
      } catch (RejectedExecutionException e) {
        control.abort(StopReason.EMBEDDER_CLOSED, "Not embedded: the embedder was closed");
        work();
        return;
      }
    }
  }

  private void work() {
    int next;
    while ((next = cursor.getAndIncrement()) < batches.size()) {
      send(batches.get(next), BatchResult.Attempts.NONE);
    }
  }

  private void send(Batch batch, BatchResult.Attempts carried) {
    try {
      process(batch, carried);
    } catch (RuntimeException | Error e) {
      // A bug of ours or of a listener must not leave the run hanging.
      end(
          BatchResult.failed(
              id,
              model.id(),
              batch,
              carried,
              Duration.ZERO,
              new Embed4jException("Batch " + batch.id() + " failed unexpectedly: " + e, e)));
    }
  }

  /**
   * {@code carried}: the attempts of the batch this one is half of, counted with the first half.
   */
  private void process(Batch batch, BatchResult.Attempts carried) {
    // Split (issue 12): over the cap by the model's learned token density, halved before sending.
    if (split.overCap(batch)) {
      halve(batch, carried);
      return;
    }
    long started = System.nanoTime();
    BatchRequest request = new BatchRequest(batch, sendTexts, inputs, settings, control);
    BigDecimal estimatedCost = model.cost(batch.tokens());
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
                  batch.tokens(),
                  estimatedCost,
                  wait -> waited(wait, false));
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
      }
      if (reservation == null) {
        Embed4jException why = control.stopped();
        fail(
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
        long tokens = result.tokens() >= 0 ? result.tokens() : batch.tokens();
        // Images (issue 12): image tokens are billed at the model's image rate, counted in tokens.
        BigDecimal cost = model.cost(tokens, result.imageTokens());
        tokens += result.imageTokens();
        reservation.settle(tokens, cost, result.limits());
        sink.accept(batch, result.vectors());
        end(
            BatchResult.succeeded(
                id,
                model.id(),
                batch,
                result.vectors(),
                tokens,
                cost,
                new BatchResult.Attempts(sent, retries, rateLimited),
                since(started)));
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
        fail(batch, attempts, started, control.isAbortReason(stopped) ? stopped : failure);
        return;
      }
      // Split (issue 12): a batch the provider finds too large is halved, never failed; a single
      // input it finds too long fails alone, naming its index.
      if (Split.tooLarge(failure)) {
        if (batch.indices().length > 1) {
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
        fail(batch, attempts, started, failure);
        return;
      }
      retries++;
      Duration delay = decision.delay();
      if (failure.isRateLimited()) {
        reservation.rateLimited(delay);
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

  /** Sends the two halves of {@code batch} in turn; they end in its stead (Split). */
  private void halve(Batch batch, BatchResult.Attempts carried) {
    List<Batch> halves = split.halves(batch);
    log.debug(
        "Run {} batch {} (inputs {}) is too large for {}: split into batches {} and {}",
        id,
        batch.id(),
        batch.describeIndices(),
        model.id(),
        halves.get(0).id(),
        halves.get(1).id());
    remaining.incrementAndGet(); // two outcomes instead of one
    send(halves.get(0), carried);
    send(halves.get(1), BatchResult.Attempts.NONE);
  }

  private void waited(Duration wait, boolean serverRejected) {
    if (!context.listeners().isEmpty()) {
      context.listeners().rateLimitWait(id, model.id(), wait, serverRejected);
    }
  }

  private void fail(
      Batch batch, BatchResult.Attempts attempts, long started, Embed4jException error) {
    end(BatchResult.failed(id, model.id(), batch, attempts, since(started), error));
  }

  private void end(BatchOutcome outcome) {
    synchronized (outcomes) {
      if (outcomes.putIfAbsent(outcome.id(), outcome) != null) {
        return;
      }
    }
    if (outcome.succeeded()) {
      context.listeners().batchSucceeded(outcome);
    } else {
      context.listeners().batchFailed(outcome);
    }
    if (remaining.decrementAndGet() == 0) {
      finish();
    }
  }

  private void finish() {
    control.finished();
    Embed4jException stopped = control.stopped();
    List<BatchOutcome> ended;
    synchronized (outcomes) {
      ended = List.copyOf(outcomes.values());
    }
    Run run =
        Run.assemble(
            id,
            settings,
            texts,
            sink.vectors(),
            previous,
            ended,
            since(startNanos),
            stopped == null ? null : stopped.stopReason().orElse(null));
    onFinished.accept(run);
    context.listeners().runFinished(run);
    future.complete(run);
  }

  private static Duration since(long nanos) {
    return Duration.ofNanos(System.nanoTime() - nanos);
  }

  /** The future handed to the caller: cancelling it cancels the run. */
  private final class RunFuture extends CompletableFuture<EmbeddingRun> {
    @Override
    public boolean cancel(boolean mayInterruptIfRunning) {
      control.abort(StopReason.CANCELLED, "Not embedded: run " + id + " was cancelled");
      return super.cancel(mayInterruptIfRunning);
    }
  }
}
