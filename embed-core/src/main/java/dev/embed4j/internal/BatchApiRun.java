package dev.embed4j.internal;

import dev.embed4j.Embed4jException;
import dev.embed4j.EmbeddingRun;
import dev.embed4j.ModelSpec;
import dev.embed4j.ProviderException;
import dev.embed4j.StopReason;
import dev.embed4j.spi.EmbeddingProvider;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.BiFunction;
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
 *
 * <p>The batches are planned first, all of them, by the engine's {@link Planner} (so dedupe and the
 * cache work as in realtime: cache hits and duplicates never go into a job), then counted exactly:
 * the enqueued-token limit and the bill need the tokenizer's figures, not the planning bounds.
 * Results go to the run's {@link ResultSink} and {@link Tally} through the {@link BatchLedger}, and
 * the run is assembled as a realtime list run is.
 */
final class BatchApiRun {
  private static final Logger log = LoggerFactory.getLogger(BatchApiRun.class);

  private final Dispatch.Context context;
  private final Settings settings;
  private final ModelSpec model;
  private final String id;
  private final Setup setup;
  private final BiFunction<Duration, StopReason, Run> assemble;
  private final Consumer<BatchApiRun> onEnded;
  private final RunControl control;
  private final BatchState state;
  private final String key;
  private final List<Batch> batches = new ArrayList<>();
  private final Map<Integer, Batch> byId = new HashMap<>();
  private final BatchLedger ledger;
  private final BatchApiClient client;

  /**
   * Held while a job is being uploaded and created and until its state is saved: {@link #close}
   * waits for it, so that a job OpenAI has created is never left out of the state (a later call
   * would send its batches again, and both jobs would be paid).
   */
  private final ReentrantLock submitting = new ReentrantLock();

  private final Deque<List<Batch>> pending = new ArrayDeque<>();
  private final Map<String, Active> active = Collections.synchronizedMap(new LinkedHashMap<>());
  private boolean jobsCancelled; // guarded by cancelLock
  private final Object cancelLock = new Object();
  private final RunFuture future = new RunFuture();

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

  /**
   * What the engine prepared for a list run: its inputs, the positions to send (all, or those a
   * previous run failed), the first batch id, the per-request token cap, where results go, and the
   * run's dedupe, cache and cache keys (each null when off).
   */
  record Setup(
      Input[] inputs,
      int[] order,
      int firstBatchId,
      long maxTokens,
      ResultSink sink,
      Dedupe dedupe,
      CacheAccess cache,
      CacheKeys keys) {}

  BatchApiRun(
      Dispatch.Context context,
      String id,
      RunControl control,
      Tally tally,
      Setup setup,
      BiFunction<Duration, StopReason, Run> assemble,
      Consumer<BatchApiRun> onEnded) {
    this.context = context;
    this.settings = context.settings();
    this.model = settings.model;
    this.id = id;
    this.setup = setup;
    this.assemble = assemble;
    this.onEnded = onEnded;
    this.control = control;
    this.key = BatchState.key(settings, setup.inputs(), setup.order());
    this.state =
        BatchState.open(
            settings.batchStateDirectory, key, model.id(), settings.dims, setup.inputs().length);
    this.ledger =
        new BatchLedger(
            id, model, context.listeners(), tally, setup.sink(), setup.dedupe(), setup.cache());
    HttpCall http = settings.builtIn.http(context.resources().httpClient(settings), settings.key);
    this.client =
        new BatchApiClient(
            http, HttpUrl.get(settings.base), model.name(), context.policy(), control);
  }

  String id() {
    return id;
  }

  CompletableFuture<EmbeddingRun> future() {
    return future;
  }

  void start() {
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
      plan();
      long tokens = batches.stream().mapToLong(Batch::tokens).sum();
      context
          .listeners()
          .runStarted(
              id,
              new Estimate(
                  model.id(),
                  setup.inputs().length,
                  batches.size(),
                  tokens,
                  model.hasExactTokenizer(),
                  model.batchCost(tokens)));
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
        list, settings, key, settings.batchEnqueuedTokenLimit, BatchJobs.MAX_BYTES);
  }

  /**
   * The batches: planned from the inputs, or those of the saved state (whose leaders the dedupe
   * learns first) plus any planned now from the inputs no saved batch holds (they were cache hits
   * or duplicates of the JVM that submitted; a hit may since have left the cache).
   */
  private void plan() {
    int[] order = setup.order();
    int firstId = setup.firstBatchId();
    if (state.resumed) {
      batches.addAll(state.saved(setup.inputs()));
      Set<Integer> held = new HashSet<>();
      for (Batch b : batches) {
        for (Input in : b.inputs()) {
          held.add(in.position);
          if (setup.dedupe() != null) {
            setup.dedupe().follows(in);
          }
        }
        firstId = Math.max(firstId, b.id() + 1);
      }
      order = Arrays.stream(order).filter(i -> !held.contains(i)).toArray();
    }
    Planner planner =
        new Planner(
            Sources.of(setup.inputs(), order),
            setup.dedupe(),
            setup.cache(),
            setup.keys(),
            null,
            control,
            settings.batch,
            setup.maxTokens(),
            true,
            firstId);
    List<Batch> planned = new ArrayList<>();
    try {
      Planner.Step step;
      while ((step = planner.next()) != null) {
        if (!step.done().isEmpty()) {
          ledger.reused(step.done());
        }
        if (step.batch() != null) {
          Batch b = step.batch();
          long exact = b.countExactly(); // the limit and the bill need the tokenizer's count
          planned.add(new Batch(b.id(), b.inputs(), exact, exact));
        }
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      control.abort(StopReason.CANCELLED, "Not embedded: run " + id + " was interrupted");
    }
    state.planned(planned);
    batches.addAll(planned);
    batches.forEach(b -> byId.put(b.id(), b));
  }

  /** Picks up the jobs of a saved state: each batch belongs to the last job that holds it. */
  private void resume() {
    ledger.sent(state.sends());
    Map<String, List<Integer>> owned = state.owners();
    for (BatchState.Job j : state.data.jobs) {
      List<Integer> mine = owned.get(j.id);
      if (mine != null) {
        active.put(j.id, new Active(j, mine.stream().map(byId::get).toList()));
      }
    }
    List<Batch> unsent = batches.stream().filter(b -> !ledger.wasSent(b)).toList();
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
      BatchApiClient.Job job;
      submitting.lock();
      try {
        if (control.stopped() != null) {
          return;
        }
        pending.poll();
        byte[] file = BatchJobs.write(next, settings, key);
        String fileId = client.upload(file, "embed4j-" + key + ".jsonl");
        job = client.create(fileId, Map.of("embed4j_run", id, "embed4j_key", key));
        ledger.sent(next, 1);
        Active a = new Active(state.add(job.id(), fileId, next), next);
        a.seen = job;
        active.put(job.id(), a);
      } finally {
        submitting.unlock();
      }
      log.debug("Run {} submitted Batch API job {} with {} batches", id, job.id(), next.size());
      updated(job);
    }
  }

  /** Looks at every job once; whether anything changed. */
  private boolean poll() {
    boolean changed = false;
    for (Active a : jobs()) {
      if (control.stopped() != null) {
        return changed;
      }
      BatchApiClient.Job job;
      try {
        job = client.retrieve(a.job.id);
      } catch (Embed4jException e) {
        if (e instanceof ProviderException && ((ProviderException) e).statusCode() == 404) {
          // A saved job this key cannot see (deleted, or another project): send its batches again.
          log.warn(
              "Run {} cannot find Batch API job {}; its batches go into a new job", id, a.job.id);
          active.remove(a.job.id);
          pending.addAll(split(a.batches));
          changed = true;
          continue;
        }
        if (!e.isRetryable() || control.isAborted()) {
          throw e;
        }
        // A day-long wait outlives network trouble: look again at the next poll.
        log.warn("Run {} could not look at Batch API job {}: {}", id, a.job.id, e.getMessage());
        continue;
      }
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
      ledger.sent(a.batches, -1);
      pending.addLast(a.batches);
      return;
    }
    for (Batch b : open.values()) {
      failed.put(b.id(), job.unanswered(b, context.provider().id(), model));
    }
    List<Batch> retry = new ArrayList<>();
    for (Map.Entry<Integer, Embed4jException> e : failed.entrySet()) {
      Batch b = byId.get(e.getKey());
      RetryPolicy.Decision d = context.policy().decide(e.getValue(), ledger.attempts(b));
      if (d.retry() && control.stopped() == null) {
        context
            .listeners()
            .retryScheduled(
                id, model.id(), b.id(), ledger.attempts(b), Duration.ZERO, e.getValue());
        retry.add(b);
      } else {
        ledger.failed(b, e.getValue());
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

  private void succeeded(Batch b, HttpCall.Decoded decoded) {
    Embed4jException unusable =
        ReplyCheck.unusable(
            new EmbeddingProvider.Result(decoded.vectors(), decoded.tokens(), null),
            b,
            settings.dims,
            context.provider().id(),
            model);
    if (unusable != null) {
      ledger.failed(b, unusable);
      return;
    }
    long tokens = decoded.tokens() >= 0 ? decoded.tokens() : b.tokens();
    ledger.succeeded(b, decoded.vectors(), tokens, model.batchCost(tokens));
  }

  /** A failed line sent again through {@code /v1/embeddings}, at the realtime price. */
  private void realtime(Batch b) {
    try {
      EmbeddingProvider.Result result = RealtimeRetry.send(context, b, control);
      long tokens = result.tokens() >= 0 ? result.tokens() : b.countExactly();
      ledger.succeeded(b, result.vectors(), tokens, model.cost(tokens));
    } catch (Embed4jException e) {
      ledger.failed(b, e);
    }
  }

  private void finish() {
    control.finished();
    Embed4jException stopped = control.stopped();
    StopReason reason = stopped == null ? null : stopped.stopReason().orElse(null);
    // Cancelled or past its deadline: the jobs are cancelled. Otherwise (embedder closed, a failure
    // of ours) jobs still running are left to a later call with the same state directory.
    // Without a state directory nobody could collect them: they are cancelled too.
    boolean cancelJobs =
        reason == StopReason.CANCELLED
            || reason == StopReason.DEADLINE_PASSED
            || (stopped != null && settings.batchStateDirectory == null);
    boolean keepJobs = !active.isEmpty() && !cancelJobs;
    if (cancelJobs) {
      cancelJobs();
    }
    for (Batch b : batches) {
      if (!ledger.ended(b)) {
        ledger.failed(
            b,
            stopped != null
                ? stopped
                : new Embed4jException("Batch " + b.id() + " was not embedded"));
      }
    }
    if (keepJobs) {
      log.info(
          "Run {} stopped waiting for its Batch API jobs {}; {}",
          id,
          active.keySet(),
          "the same call with batchStateDirectory "
              + settings.batchStateDirectory
              + " resumes them");
    } else {
      try {
        state.delete();
      } catch (UncheckedIOException e) {
        log.warn("Run {} could not delete its Batch API state: {}", id, e.getMessage());
      }
    }
    Run run = assemble.apply(ledger.since(), reason);
    onEnded.accept(this);
    context.listeners().runFinished(run);
    future.complete(run);
  }

  /**
   * The embedder is closing: stop waiting. The jobs keep running for a later call with the same
   * state directory; without one they are cancelled now, while the connections are still open.
   */
  void close(String message) {
    control.abort(StopReason.EMBEDDER_CLOSED, message);
    try { // an upload and a creation in flight: each is bounded by the request timeout
      if (submitting.tryLock(
          settings.requestTimeout.toMillis() * 2 + 1000, TimeUnit.MILLISECONDS)) {
        submitting.unlock();
      } else {
        log.warn("Run {} closed while a Batch API job was still being created", id);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    if (settings.batchStateDirectory == null) {
      cancelJobs();
    }
  }

  private List<Active> jobs() {
    synchronized (active) {
      return new ArrayList<>(active.values());
    }
  }

  /**
   * Cancels the jobs once; a second caller (the poll thread and {@code close()} racing) waits until
   * the first is done, so {@code close()} returns only after OpenAI was asked.
   */
  private void cancelJobs() {
    synchronized (cancelLock) {
      if (jobsCancelled) {
        return;
      }
      jobsCancelled = true;
      for (Active a : jobs()) {
        try {
          updated(client.cancel(a.job.id));
        } catch (RuntimeException e) {
          log.warn("Run {} could not cancel Batch API job {}: {}", id, a.job.id, e.getMessage());
        }
      }
    }
  }

  /** The future handed to the caller: cancelling it cancels the run and its jobs. */
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
  }
}
