package dev.embed4j.internal;

import dev.embed4j.BatchOutcome;
import dev.embed4j.Embed4jException;
import dev.embed4j.EmbeddingRun;
import dev.embed4j.ModelSpec;
import dev.embed4j.StopReason;
import dev.embed4j.spi.EmbeddingProvider;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.RejectedExecutionException;
import java.util.function.Consumer;
import okhttp3.HttpUrl;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One run in {@code RunMode.BATCH_API}, on one thread of the embedder's pool: the batches are
 * written into jobs within the caps ({@link BatchJobs}), each uploaded and created, then polled on
 * the {@link PollSchedule}; an ended job's output and error files are read ({@link BatchOutput})
 * and every vector placed at its input's index. A failed line is retried under the {@link
 * RetryPolicy} (attempts count the jobs a batch went through) in a new job, or through the realtime
 * endpoint with {@code batchRetryRealtime}; a job refused for the enqueued-token limit is submitted
 * again when another has ended. The {@link BatchState} is saved after every change and deleted at
 * the end. Cancelling the run or passing its deadline cancels the jobs; closing the embedder leaves
 * them running for a later resume.
 */
final class BatchApiRun {
  private static final Logger log = LoggerFactory.getLogger(BatchApiRun.class);

  private final Dispatch.Context context;
  private final Settings settings;
  private final ModelSpec model;
  private final String id;
  private final List<String> texts;
  private final List<String> sendTexts;
  private final EmbeddingRun previous;
  private final Consumer<Run> onFinished;
  private final Consumer<BatchApiRun> onEnded;
  private final RunControl control;
  private final BatchState state;
  private final String key;
  private final List<Batch> batches;
  private final Map<Integer, Batch> byId = new HashMap<>();
  private final Map<Integer, BatchOutcome> outcomes = new LinkedHashMap<>();
  private final Map<Integer, Integer> attempts = new HashMap<>();
  private final ResultSink.InMemory sink;
  private final BatchApiClient client;
  private final Deque<List<Batch>> pending = new ArrayDeque<>();
  private final Map<String, Active> active = new LinkedHashMap<>();
  private final RunFuture future = new RunFuture();
  private final long startNanos = System.nanoTime();

  /** A submitted job and what was last seen of it. */
  private static final class Active {
    final BatchState.Job job;
    final List<Batch> batches;
    final long tokens;
    BatchApiClient.Job seen;

    Active(BatchState.Job job, List<Batch> batches) {
      this.job = job;
      this.batches = batches;
      this.tokens = batches.stream().mapToLong(Batch::tokens).sum();
    }
  }

  BatchApiRun(
      Dispatch.Context context,
      String id,
      Preparation.Prepared prepared,
      int[] order,
      List<Batch> planned,
      EmbeddingRun previous,
      Consumer<Run> onFinished,
      Consumer<BatchApiRun> onEnded) {
    this.context = context;
    this.settings = context.settings();
    this.model = settings.model;
    this.id = id;
    this.texts = prepared.texts();
    this.sendTexts = prepared.sendTexts();
    this.previous = previous;
    this.onFinished = onFinished;
    this.onEnded = onEnded;
    this.control = new RunControl(id, settings.runTimeout, context.resources().clock());
    this.key = BatchState.key(settings, sendTexts, order);
    this.state =
        BatchState.open(settings.batchStateDirectory, key, model.id(), settings.dims, texts.size());
    this.batches = state.batches(planned, prepared.tokens());
    batches.forEach(b -> byId.put(b.id(), b));
    this.sink = new ResultSink.InMemory(texts.size());
    if (previous != null) {
      for (int i = 0; i < texts.size(); i++) {
        if (previous.isEmbedded(i)) {
          sink.keep(i, previous.vector(i));
        }
      }
    }
    HttpCall http = settings.builtIn.http(context.resources().httpClient(settings), settings.key);
    this.client =
        new BatchApiClient(
            http, HttpUrl.get(settings.base), model.name(), context.policy(), control);
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
    long tokens = batches.stream().mapToLong(Batch::tokens).sum();
    context
        .listeners()
        .runStarted(
            id,
            new Estimate(
                model.id(),
                texts.size(),
                batches.size(),
                tokens,
                model.hasExactTokenizer(),
                model.batchCost(tokens)));
    control.startDeadline(context.resources().timer());
    try {
      context.resources().workers().execute(this::run);
    } catch (RejectedExecutionException e) {
      control.abort(StopReason.EMBEDDER_CLOSED, "Not embedded: the embedder was closed");
      run();
    }
  }

  private void run() {
    try {
      if (state.resumed) {
        resume();
      } else {
        pending.addAll(split(batches));
      }
      PollSchedule schedule =
          new PollSchedule(settings.batchPollInterval, settings.batchMaxPollInterval);
      boolean changed = true;
      while (control.stopped() == null && (!pending.isEmpty() || !active.isEmpty())) {
        submitPending();
        if (active.isEmpty()) {
          continue;
        }
        if (!control.sleep(schedule.next(changed).toNanos())) {
          break;
        }
        changed = poll();
      }
    } catch (Embed4jException | UncheckedIOException e) {
      if (!control.isAborted()) {
        control.stopSending(
            e instanceof Embed4jException ? ((Embed4jException) e).stopReason().orElse(null) : null,
            "Not embedded: run " + id + " failed: " + e.getMessage(),
            e);
      }
    } catch (RuntimeException | Error e) {
      control.stopSending(null, "Not embedded: run " + id + " failed unexpectedly: " + e, e);
    }
    finish();
  }

  private List<List<Batch>> split(List<Batch> list) {
    return BatchJobs.split(
        list, sendTexts, settings, key, settings.batchEnqueuedTokenLimit, BatchJobs.MAX_BYTES);
  }

  /** Picks up the jobs of a saved state: each batch belongs to the last job that holds it. */
  private void resume() {
    Map<Integer, BatchState.Job> owner = new HashMap<>();
    for (BatchState.Job j : state.data.jobs) {
      j.batches.forEach(b -> owner.put(b, j));
      j.batches.forEach(b -> attempts.merge(b, 1, Integer::sum));
    }
    List<Batch> unsent = new ArrayList<>();
    for (Batch b : batches) {
      if (!owner.containsKey(b.id())) {
        unsent.add(b);
      }
    }
    for (BatchState.Job j : state.data.jobs) {
      List<Batch> owned = new ArrayList<>();
      j.batches.stream().filter(b -> owner.get(b) == j).forEach(b -> owned.add(byId.get(b)));
      if (!owned.isEmpty()) {
        active.put(j.id, new Active(j, owned));
      }
    }
    log.info(
        "Run {} resumes Batch API run {} from {}: {} jobs, {} batches not yet sent",
        id,
        key,
        settings.batchStateDirectory,
        active.size(),
        unsent.size());
    pending.addAll(split(unsent));
  }

  private void submitPending() {
    while (!pending.isEmpty() && control.stopped() == null) {
      List<Batch> next = pending.peek();
      long tokens = next.stream().mapToLong(Batch::tokens).sum();
      long enqueued = active.values().stream().mapToLong(a -> a.tokens).sum();
      long limit = settings.batchEnqueuedTokenLimit;
      if (limit > 0 && !active.isEmpty() && enqueued + tokens > limit) {
        return; // wait for a job to end
      }
      pending.poll();
      byte[] file = BatchJobs.write(next, sendTexts, settings, key);
      String fileId = client.upload(file, "embed4j-" + key + ".jsonl");
      BatchApiClient.Job job = client.create(fileId, Map.of("embed4j_run", id, "embed4j_key", key));
      next.forEach(b -> attempts.merge(b.id(), 1, Integer::sum));
      Active a = new Active(state.add(job.id(), fileId, next), next);
      a.seen = job;
      active.put(job.id(), a);
      log.debug("Run {} submitted Batch API job {} with {} batches", id, job.id(), next.size());
      updated(job);
    }
  }

  /** Looks at every job once; whether anything changed. */
  private boolean poll() {
    boolean changed = false;
    for (Active a : new ArrayList<>(active.values())) {
      if (control.stopped() != null) {
        return changed;
      }
      BatchApiClient.Job job = client.retrieve(a.job.id);
      BatchApiClient.Job before = a.seen;
      a.seen = job;
      if (before == null
          || !job.status().equals(before.status())
          || job.completed() != before.completed()
          || job.failed() != before.failed()) {
        changed = true;
        updated(job);
      }
      if (job.ended()) {
        active.remove(job.id());
        collect(a, job);
      }
    }
    return changed;
  }

  private void updated(BatchApiClient.Job job) {
    context
        .listeners()
        .batchJobUpdated(id, job.id(), job.status(), job.completed(), job.failed(), job.total());
  }

  private void collect(Active a, BatchApiClient.Job job) {
    Map<Integer, Batch> open = new LinkedHashMap<>();
    a.batches.forEach(b -> open.put(b.id(), b));
    Map<Integer, Embed4jException> failed = new LinkedHashMap<>();
    for (String file : new String[] {job.outputFileId(), job.errorFileId()}) {
      if (file == null) {
        continue;
      }
      client.content(
          file,
          in ->
              BatchOutput.read(
                  in,
                  key,
                  open::get,
                  settings.dims,
                  context.provider().id(),
                  model.id(),
                  line -> {
                    open.remove(line.batch().id());
                    if (line.failure() == null) {
                      succeeded(line.batch(), line.decoded());
                    } else {
                      failed.put(line.batch().id(), line.failure());
                    }
                  }));
    }
    if (job.status().equals("failed")
        && job.errorCodes().contains("token_limit_exceeded")
        && !active.isEmpty()) {
      // Refused for the tokens other jobs hold: submit again once one has ended.
      a.batches.forEach(b -> attempts.merge(b.id(), -1, Integer::sum));
      pending.addLast(a.batches);
      return;
    }
    for (Batch b : open.values()) {
      failed.put(b.id(), jobFailure(b, job));
    }
    List<Batch> retry = new ArrayList<>();
    for (Map.Entry<Integer, Embed4jException> e : failed.entrySet()) {
      Batch b = byId.get(e.getKey());
      RetryPolicy.Decision d =
          context.policy().decide(e.getValue(), attempts.getOrDefault(b.id(), 1));
      if (d.retry() && control.stopped() == null) {
        context
            .listeners()
            .retryScheduled(
                id, model.id(), b.id(), attempts.get(b.id()), Duration.ZERO, e.getValue());
        retry.add(b);
      } else {
        fail(b, e.getValue());
      }
    }
    if (retry.isEmpty()) {
      return;
    }
    if (settings.batchRetryRealtime) {
      retry.forEach(this::realtime);
    } else {
      pending.addAll(split(retry));
    }
  }

  private Embed4jException jobFailure(Batch b, BatchApiClient.Job job) {
    String why =
        switch (job.status()) {
          case "failed" -> "failed validation: " + job.errorMessage();
          case "expired" -> "expired before this line was answered";
          case "cancelled" -> "was cancelled before this line was answered";
          default -> "ended " + job.status() + " without an answer for this line";
        };
    boolean retryable =
        !job.status().equals("failed") || job.errorCodes().contains("token_limit_exceeded");
    return dev.embed4j.ProviderException.builder(context.provider().id(), model.id())
        .errorCode(job.errorCodes().isEmpty() ? null : job.errorCodes().get(0))
        .retryable(retryable && !job.status().equals("cancelled"))
        .build(
            "Batch "
                + b.id()
                + " (inputs "
                + b.describeIndices()
                + ") not embedded: Batch API job "
                + job.id()
                + " "
                + why
                + (job.errorCodes().contains("token_limit_exceeded")
                    ? ". Set batchEnqueuedTokenLimit to your account's limit for " + model.name()
                    : ""));
  }

  private void succeeded(Batch b, HttpCall.Decoded decoded) {
    Embed4jException unusable =
        ReplyCheck.unusable(
            new EmbeddingProvider.Result(decoded.vectors(), decoded.tokens(), null),
            b,
            settings.dims,
            context.provider().id(),
            model);
    if (unusable != null) {
      fail(b, unusable);
      return;
    }
    long tokens = decoded.tokens() >= 0 ? decoded.tokens() : b.tokens();
    sink.accept(b, decoded.vectors());
    end(
        BatchResult.succeeded(
            id,
            model.id(),
            b,
            decoded.vectors(),
            tokens,
            model.batchCost(tokens),
            attemptsOf(b),
            since(startNanos)));
  }

  /** A failed line sent again through {@code /v1/embeddings}, at the realtime price. */
  private void realtime(Batch b) {
    BatchRequest request = new BatchRequest(b, sendTexts, settings, control);
    for (int attempt = 1; ; attempt++) {
      Embed4jException failure;
      EmbeddingProvider.Result result = null;
      try {
        result = context.provider().embed(request);
        failure = ReplyCheck.unusable(result, b, settings.dims, context.provider().id(), model);
      } catch (Exception e) {
        failure = ReplyCheck.failure(e, context.provider().id(), model, b, control);
      }
      if (failure == null) {
        long tokens = result.tokens() >= 0 ? result.tokens() : b.tokens();
        sink.accept(b, result.vectors());
        end(
            BatchResult.succeeded(
                id,
                model.id(),
                b,
                result.vectors(),
                tokens,
                model.cost(tokens),
                attemptsOf(b),
                since(startNanos)));
        return;
      }
      RetryPolicy.Decision d = context.policy().decide(failure, attempt);
      if (!d.retry() || !control.sleep(d.delay().toNanos())) {
        fail(b, control.isAborted() ? control.stopped() : failure);
        return;
      }
    }
  }

  private BatchResult.Attempts attemptsOf(Batch b) {
    int n = Math.max(1, attempts.getOrDefault(b.id(), 1));
    return new BatchResult.Attempts(n, n - 1, 0);
  }

  private void fail(Batch b, Embed4jException error) {
    end(BatchResult.failed(id, model.id(), b, attemptsOf(b), since(startNanos), error));
  }

  private void end(BatchOutcome outcome) {
    if (outcomes.putIfAbsent(outcome.id(), outcome) != null) {
      return;
    }
    if (outcome.succeeded()) {
      context.listeners().batchSucceeded(outcome);
    } else {
      context.listeners().batchFailed(outcome);
    }
  }

  private void finish() {
    control.finished();
    Embed4jException stopped = control.stopped();
    boolean keepJobs =
        stopped != null && stopped.stopReason().orElse(null) == StopReason.EMBEDDER_CLOSED;
    if (stopped != null && !keepJobs) {
      for (Active a : active.values()) {
        try {
          updated(client.cancel(a.job.id));
        } catch (RuntimeException e) {
          log.warn("Run {} could not cancel Batch API job {}: {}", id, a.job.id, e.getMessage());
        }
      }
    }
    for (Batch b : batches) {
      if (!outcomes.containsKey(b.id())) {
        fail(
            b,
            stopped != null
                ? stopped
                : new Embed4jException("Batch " + b.id() + " was not embedded"));
      }
    }
    if (keepJobs) {
      log.info(
          "Run {} stopped waiting for its Batch API jobs {}; the same call with batchStateDirectory"
              + " {} resumes them",
          id,
          active.keySet(),
          settings.batchStateDirectory);
    } else {
      try {
        state.delete();
      } catch (UncheckedIOException e) {
        log.warn("Run {} could not delete its Batch API state: {}", id, e.getMessage());
      }
    }
    List<BatchOutcome> ordered = new ArrayList<>();
    batches.forEach(b -> ordered.add(outcomes.get(b.id())));
    Run run =
        Run.assemble(
            id,
            settings,
            texts,
            sink.vectors(),
            previous,
            ordered,
            since(startNanos),
            stopped == null ? null : stopped.stopReason().orElse(null));
    onEnded.accept(this);
    onFinished.accept(run);
    context.listeners().runFinished(run);
    future.complete(run);
  }

  private static Duration since(long nanos) {
    return Duration.ofNanos(System.nanoTime() - nanos);
  }

  /** The future handed to the caller: cancelling it cancels the run and its jobs. */
  private final class RunFuture extends CompletableFuture<EmbeddingRun> {
    @Override
    public boolean cancel(boolean mayInterruptIfRunning) {
      control.abort(StopReason.CANCELLED, "Not embedded: run " + id + " was cancelled");
      return super.cancel(mayInterruptIfRunning);
    }
  }
}
