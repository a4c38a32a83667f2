package dev.embed4j.internal;

import dev.embed4j.BatchOutcome;
import dev.embed4j.EmbedInput;
import dev.embed4j.EmbeddingRun;
import dev.embed4j.EmbeddingSink;
import dev.embed4j.StopReason;
import java.math.BigDecimal;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.BiConsumer;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.stream.IntStream;

/**
 * Puts a run together, a list or a stream: its preparation, source, dedupe, cache access, planner,
 * completion and sink, handed to one {@link Dispatch}. A list is checked in full first (bad input
 * fails before anything is sent), remembers every vector for dedupe and plans every input even
 * after a stop; a stream reads lazily under a window of undelivered inputs.
 */
final class RunSetup {
  private final Dispatch.Context context;
  private final Settings settings;
  private final CacheKeys keys;
  private final long maxTokens;
  private final BiConsumer<Dispatch, Tally> finished;

  RunSetup(
      Dispatch.Context context,
      CacheKeys keys,
      long maxTokens,
      BiConsumer<Dispatch, Tally> finished) {
    this.context = context;
    this.settings = context.settings();
    this.keys = keys;
    this.maxTokens = maxTokens;
    this.finished = finished;
  }

  /** What a list run is made of, before it is handed to a dispatch or a Batch API run. */
  private record ListRun(
      String id,
      Input[] inputs,
      List<String> kept,
      int[] order,
      ResultSink.InMemory sink,
      long tokens,
      int batches,
      int firstBatchId,
      RunControl control,
      Tally tally,
      CacheAccess cache,
      Dedupe dedupe,
      EmbeddingRun previous) {

    Run assemble(Settings settings, Duration duration, StopReason reason) {
      return Run.ofList(id, settings, kept, sink, previous, tally, duration, reason);
    }
  }

  /**
   * Plans a run over prepared {@code inputs} ({@code kept}: what the run reports as its texts);
   * with {@code previous}, over the inputs it failed. {@code reusable}: whether dedupe and the
   * cache may serve them (texts, not images).
   */
  private ListRun prepare(
      String id, Input[] inputs, List<String> kept, EmbeddingRun previous, boolean reusable) {
    int[] order =
        previous == null
            ? IntStream.range(0, inputs.length).toArray()
            : previous.failedIndices().stream().mapToInt(Integer::intValue).toArray();
    ResultSink.InMemory sink = new ResultSink.InMemory(inputs.length);
    if (previous != null) {
      for (int i = 0; i < inputs.length; i++) {
        if (previous.isEmbedded(i)) {
          sink.vectors[i] = previous.vector(i);
        }
      }
    }
    Input[] sent = new Input[order.length];
    long tokens = 0;
    for (int i = 0; i < order.length; i++) {
      sent[i] = inputs[order[i]];
      tokens += sent[i].estimate;
    }
    return new ListRun(
        id,
        inputs,
        kept,
        order,
        sink,
        tokens,
        Batch.count(sent, settings.batch, maxTokens),
        // Split (issue 12): halves have ids past the planned ones: continue after the highest.
        previous == null
            ? 0
            : previous.batches().stream().mapToInt(BatchOutcome::id).max().orElse(-1) + 1,
        control(id),
        new Tally(true),
        reusable ? cache(id) : null,
        settings.dedupe && reusable ? new Dedupe(true, inputs.length) : null,
        previous);
  }

  private ListRun prepare(String id, List<String> texts, EmbeddingRun previous) {
    Input[] inputs = Preparation.forList(settings.model, settings.truncate, exact()).all(texts);
    return prepare(id, inputs, List.copyOf(texts), previous, true);
  }

  /** A run over {@code texts}; with {@code previous}, over the inputs it failed. */
  Dispatch list(
      String id, List<String> texts, EmbeddingRun previous, AtomicReference<Dispatch> self) {
    return dispatch(prepare(id, texts, previous), self, null);
  }

  /**
   * Images (issue 12): a run over {@code inputs}, text and images; with {@code previous}, over the
   * inputs it failed. Neither deduplicated nor cached (their keys are texts); {@code done} gets the
   * run and its inputs, for a later retry.
   */
  Dispatch inputs(
      String id,
      List<EmbedInput> inputs,
      EmbeddingRun previous,
      AtomicReference<Dispatch> self,
      BiConsumer<EmbeddingRun, List<EmbedInput>> done) {
    Input[] prepared = Inputs.prepare(inputs, settings.model, settings.truncate);
    List<String> described = new ArrayList<>(prepared.length);
    for (Input in : prepared) {
      described.add(in.text);
    }
    List<EmbedInput> kept = List.copyOf(inputs);
    return dispatch(
        prepare(id, prepared, List.copyOf(described), previous, false),
        self,
        run -> done.accept(run, kept));
  }

  /** {@code withInputs}: null for a run of texts, else told of the run of inputs when it ends. */
  private Dispatch dispatch(ListRun run, AtomicReference<Dispatch> self, Consumer<Run> withInputs) {
    Planner planner =
        new Planner(
            Sources.of(run.inputs(), run.order()),
            run.dedupe(),
            run.cache(),
            run.cache() == null ? null : keys,
            null,
            run.control(),
            settings.batch,
            maxTokens,
            true,
            run.firstBatchId());
    Dispatch.Plan plan =
        new Dispatch.Plan(
            new Estimate(
                settings.model.id(),
                run.inputs().length,
                run.batches(),
                run.tokens(),
                exact() && settings.model.hasExactTokenizer(),
                settings.model.cost(run.tokens())),
            planner,
            new Completion(
                run.id(),
                settings.model,
                context.listeners(),
                run.tally(),
                run.sink(),
                run.dedupe(),
                run.cache()),
            Math.min(settings.maxConcurrentRequests, run.batches()),
            (duration, reason) -> {
              finished.accept(self.get(), run.tally());
              Run done = run.assemble(settings, duration, reason);
              if (withInputs != null) {
                withInputs.accept(done);
              }
              return done;
            },
            null);
    EmbeddingRun previous = run.previous();
    BigDecimal spent = previous == null ? BigDecimal.ZERO : previous.cost();
    return new Dispatch(context, run.id(), run.control(), spent, plan);
  }

  /**
   * A list run through OpenAI's Batch API (Batch API mode), assembled as a realtime one; {@code
   * closed} is told when it no longer needs closing.
   */
  BatchApiRun batchApi(
      String id, List<String> texts, EmbeddingRun previous, Consumer<BatchApiRun> closed) {
    ListRun run = prepare(id, texts, previous);
    return new BatchApiRun(
        context,
        id,
        run.control(),
        run.tally(),
        new BatchApiRun.Setup(
            run.inputs(),
            run.order(),
            run.firstBatchId(),
            maxTokens,
            run.sink(),
            run.dedupe(),
            run.cache(),
            keys),
        (duration, reason) -> {
          finished.accept(null, run.tally());
          return run.assemble(settings, duration, reason);
        },
        closed);
  }

  /** A run over {@code items}, read lazily, delivered to {@code sink}. */
  <T> Dispatch stream(
      String id,
      Iterator<? extends T> items,
      Function<? super T, String> text,
      Runnable onClose,
      EmbeddingSink<T> sink,
      boolean ordered,
      int expectedSize,
      AtomicReference<Dispatch> self) {
    RunControl control = control(id);
    Tally tally = new Tally(false);
    int windowSize = 2 * settings.batch * Math.max(1, settings.maxConcurrentRequests);
    Semaphore window = new Semaphore(windowSize);
    @SuppressWarnings("unchecked")
    ResultSink.Streamed out =
        new ResultSink.Streamed(
            (EmbeddingSink<Object>) (EmbeddingSink<?>) sink,
            ordered,
            window,
            windowSize,
            e ->
                self.get()
                    .fatal(new Sources.InputFailure("The sink of run " + id + " threw: " + e, e)));
    CacheAccess cache = cache(id);
    Dedupe dedupe = settings.dedupe ? new Dedupe(false) : null;
    Planner planner =
        new Planner(
            Sources.of(
                items, text, Preparation.forStream(settings.model, settings.truncate, exact())),
            dedupe,
            cache,
            cache == null ? null : keys,
            window,
            control,
            settings.batch,
            maxTokens,
            false,
            0);
    Dispatch.Plan plan =
        new Dispatch.Plan(
            new Estimate(settings.model.id(), expectedSize, 0, 0, false, BigDecimal.ZERO),
            planner,
            new Completion(id, settings.model, context.listeners(), tally, out, dedupe, cache),
            settings.maxConcurrentRequests,
            (duration, reason) -> {
              finished.accept(self.get(), tally);
              return Run.ofStream(id, settings, planner.read(), out, tally, duration, reason);
            },
            onClose);
    return new Dispatch(context, id, control, BigDecimal.ZERO, plan);
  }

  private RunControl control(String id) {
    return new RunControl(id, settings.runTimeout, context.resources().clock());
  }

  private CacheAccess cache(String runId) {
    return settings.cache == null ? null : new CacheAccess(settings.cache, settings.dims, runId);
  }

  /** Whether every text is counted exactly: a budget needs it; otherwise bounds will do. */
  private boolean exact() {
    return settings.maxCost != null;
  }
}
