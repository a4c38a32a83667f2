package dev.embed4j.internal;

import dev.embed4j.CostEstimate;
import dev.embed4j.Embed4jException;
import dev.embed4j.EmbedInput;
import dev.embed4j.EmbedListener;
import dev.embed4j.EmbeddingRun;
import dev.embed4j.EmbeddingSink;
import dev.embed4j.EmbeddingStream;
import dev.embed4j.InputType;
import dev.embed4j.ModelSpec;
import dev.embed4j.RunMode;
import dev.embed4j.StopReason;
import dev.embed4j.spi.EmbeddingProvider;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.WeakHashMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Function;
import okhttp3.HttpUrl;

/**
 * One embedder's machinery: prepares and plans each run and hands it to a {@link Dispatch} with
 * what it needs (settings, provider, listeners, the pool's pacing, the retry policy, the shared
 * resources), and keeps the embedder's totals.
 */
public final class Engine {
  private final Settings settings;
  private final SharedResources resources;
  private final boolean ownsResources;
  private final EmbeddingProvider provider;
  private final Dispatch.Context context;
  private final CacheKeys cacheKeys;
  private final Set<Dispatch> active = ConcurrentHashMap.newKeySet();
  private final Set<BatchApiRun> batchRuns = ConcurrentHashMap.newKeySet(); // Batch API mode
  private final Map<Variant, Engine> variants = new ConcurrentHashMap<>();
  private final AtomicLong totalTokens = new AtomicLong();
  private final AtomicReference<BigDecimal> totalCost = new AtomicReference<>(BigDecimal.ZERO);
  private final AtomicLong runCounter = new AtomicLong();
  // Images (issue 12): the inputs of the runs of EmbedInputs, for retryFailed; dropped with the
  // run.
  private final Map<EmbeddingRun, List<EmbedInput>> inputRuns =
      Collections.synchronizedMap(new WeakHashMap<>());
  private final String runPrefix = Long.toString(System.nanoTime() & 0xfffff, 36);
  private volatile boolean closed;

  private Engine(Settings settings, SharedResources resources, boolean ownsResources) {
    this.settings = settings;
    this.resources = resources;
    this.ownsResources = ownsResources;
    this.provider =
        settings.provider != null
            ? settings.provider
            : settings.builtIn.create( // providers hook: tokenSupplier (Entra ID bearer tokens)
                resources.httpClient(settings),
                HttpUrl.get(settings.base),
                settings.key,
                settings.tokenSupplier);
    List<EmbedListener> all = new ArrayList<>(settings.listeners);
    if (settings.showProgress) {
      all.add(new ProgressReporter(ProgressReporter.consoleAvailable()));
      if (settings.mode == RunMode.BATCH_API) { // Batch API mode: the jobs' states and spend
        all.add(new BatchProgress(settings.model));
      }
    }
    this.context =
        new Dispatch.Context(
            settings,
            provider,
            new Listeners(all),
            resources.pool(settings),
            new RetryPolicy(settings.maxAttempts, settings.initialBackoff, settings.maxBackoff),
            resources,
            new TokenGuess(),
            new TokenDensity()); // Split (issue 12): what this engine's model counts per estimate
    this.cacheKeys = settings.cache == null ? null : new CacheKeys(settings);
  }

  /**
   * The engine of frozen {@code settings}; with a {@code parent} that is still open, it shares the
   * parent's threads, connections and pacing.
   */
  public static Engine create(Settings settings, Engine parent) {
    if (parent != null && !parent.resources.isClosed()) {
      return new Engine(settings, parent.resources, false);
    }
    return new Engine(settings, new SharedResources(settings, Clock.SYSTEM), true);
  }

  /** The frozen settings. */
  public Settings settings() {
    return settings;
  }

  /** Whether batches go to a provider of the user's own rather than a built-in one. */
  public boolean customProvider() {
    return settings.provider != null;
  }

  /**
   * @throws IllegalStateException if the embedder is closed
   */
  public void checkOpen() {
    if (closed || resources.isClosed()) {
      throw new IllegalStateException("This embedder is closed");
    }
  }

  /**
   * The engine derived for other options (null arguments keep this one's; another model without
   * dimensions gets its native ones), kept for later calls; this one if they are its own.
   *
   * @throws IllegalArgumentException if the model is unknown, of another provider, or does not
   *     accept the options
   */
  public Engine derive(String modelName, Integer dimensions, InputType inputType) {
    checkOpen();
    ModelSpec base = settings.model;
    ModelSpec target =
        modelName == null || modelName.equals(base.name()) || modelName.equals(base.id())
            ? base
            : settings.registry.get(modelName);
    boolean custom = settings.provider != null;
    if (!target.provider().equals(base.provider()) || (custom && !target.equals(base))) {
      throw new IllegalArgumentException(
          "Model '"
              + modelName
              + "' ("
              + target.id()
              + ") cannot be"
              + " served by this embedder, which sends to "
              + base.id()
              + (custom ? " through its own provider" : " with its key and base URL")
              + ". Build another"
              + " Embedder for "
              + target.id()
              + ".");
    }
    int dims =
        dimensions != null ? dimensions : target.equals(base) ? settings.dims : target.dimensions();
    InputType type = inputType != null ? inputType : settings.type;
    if (target.equals(base) && dims == settings.dims && type == settings.type) {
      return this;
    }
    return variants.computeIfAbsent(
        new Variant(target, dims, type),
        v -> {
          try {
            return create(
                settings.copy().model(target).dimensions(dims).inputType(type).freeze(), this);
          } catch (IllegalStateException e) {
            throw new IllegalArgumentException(e.getMessage(), e);
          }
        });
  }

  private record Variant(ModelSpec model, int dimensions, InputType inputType) {}

  /** Embeds what {@code previous} did not; {@code previous} itself if it is complete. */
  public CompletableFuture<EmbeddingRun> retry(EmbeddingRun previous) {
    if (previous instanceof Run && ((Run) previous).streamed()) {
      throw new IllegalArgumentException(
          "Run "
              + previous.id()
              + " was streamed and keeps no texts: it cannot be retried. Stream the items its"
              + " sink received with an error again.");
    }
    return previous.isComplete()
        ? CompletableFuture.completedFuture(previous)
        : start(previous.texts(), previous);
  }

  /** Validates {@code texts} and starts a run; with {@code previous}, only its failed inputs. */
  public CompletableFuture<EmbeddingRun> start(List<String> texts, EmbeddingRun previous) {
    checkOpen();
    // Images (issue 12): a run of inputs is retried with its inputs, not their descriptions.
    List<EmbedInput> contents = previous == null ? null : inputRuns.get(previous);
    if (contents != null) {
      return startInputs(contents, previous);
    }
    if (settings.mode == RunMode.BATCH_API) { // Batch API mode: its own runner, same result
      BatchApiRun run = setup().batchApi(nextRunId(), texts, previous, batchRuns::remove);
      batchRuns.add(run);
      run.start();
      return run.future();
    }
    AtomicReference<Dispatch> self = new AtomicReference<>();
    return launch(self, setup().list(nextRunId(), texts, previous, self));
  }

  /**
   * Validates {@code inputs} (text and images) and starts a run; with {@code previous}, only its
   * failed inputs. Neither deduplicated nor cached (only texts are, so far).
   */
  public CompletableFuture<EmbeddingRun> startInputs(
      List<EmbedInput> inputs, EmbeddingRun previous) {
    checkOpen();
    AtomicReference<Dispatch> self = new AtomicReference<>();
    return launch(self, setup().inputs(nextRunId(), inputs, previous, self, inputRuns::put));
  }

  /** A stream of {@code items}, started later by {@link Streaming}. */
  public <T> EmbeddingStream<T> stream(
      Iterator<? extends T> items, Function<? super T, String> text, Runnable onClose) {
    checkOpen();
    if (settings.mode == RunMode.BATCH_API) { // Batch API mode: list runs only
      if (onClose != null) {
        onClose.run();
      }
      throw new IllegalStateException(
          "Embedder.stream(...) is not available in RunMode.BATCH_API: a Batch API run uploads"
              + " every batch before the first vector comes back, hours later, so it cannot"
              + " stream. Call embed(List) or embedAsync(List) with the texts (in chunks if they"
              + " do not fit in memory), or build the embedder with RunMode.REALTIME to stream.");
    }
    return new Streaming<>(this, items, text, onClose);
  }

  /** Starts a stream: see {@link EmbeddingStream}. */
  <T> CompletableFuture<EmbeddingRun> startStream(
      Iterator<? extends T> items,
      Function<? super T, String> text,
      Runnable onClose,
      EmbeddingSink<T> sink,
      boolean ordered,
      int expectedSize) {
    checkOpen();
    AtomicReference<Dispatch> self = new AtomicReference<>();
    return launch(
        self, setup().stream(nextRunId(), items, text, onClose, sink, ordered, expectedSize, self));
  }

  private RunSetup setup() {
    return new RunSetup(context, cacheKeys, maxTokensPerRequest(), this::finished);
  }

  private CompletableFuture<EmbeddingRun> launch(AtomicReference<Dispatch> self, Dispatch run) {
    self.set(run);
    active.add(run);
    run.start();
    return run.future();
  }

  private String nextRunId() {
    return "run-" + runPrefix + "-" + runCounter.incrementAndGet();
  }

  /** Tokens, batches and cost from the tokenizer and the price list, nothing sent. */
  public CostEstimate estimate(List<String> texts) {
    Input[] inputs = Preparation.forList(settings.model, settings.truncate, true).all(texts);
    long tokens = 0;
    for (Input in : inputs) {
      tokens += in.tokens;
    }
    return new Estimate(
        settings.model.id(),
        inputs.length,
        Batch.count(inputs, settings.batch, maxTokensPerRequest()),
        tokens,
        settings.model.hasExactTokenizer(),
        settings.mode == RunMode.BATCH_API // Batch API mode: its price
            ? settings.model.batchCost(tokens)
            : settings.model.cost(tokens));
  }

  /** Blocks for a run, cancelling it if the waiting thread is interrupted. */
  public static EmbeddingRun await(CompletableFuture<EmbeddingRun> future) {
    try {
      return future.get();
    } catch (InterruptedException e) {
      future.cancel(true);
      Thread.currentThread().interrupt();
      throw new Embed4jException(
          StopReason.CANCELLED,
          "Interrupted while waiting for the embedding run; the run was cancelled",
          e);
    } catch (ExecutionException e) {
      Throwable cause = e.getCause();
      if (cause instanceof RuntimeException) {
        throw (RuntimeException) cause;
      }
      if (cause instanceof Error) {
        throw (Error) cause;
      }
      throw new Embed4jException("The embedding run failed: " + cause, cause);
    }
  }

  private long maxTokensPerRequest() {
    long max = settings.model.maxTokensPerRequest();
    long limiterMax = context.pool().limiter().maxTokensPerRequest();
    // Split (issue 12): planned smaller once the provider showed it counts more than the estimate.
    return context.density().budget(limiterMax > 0 ? Math.min(max, limiterMax) : max);
  }

  private void finished(Dispatch run, Tally tally) {
    if (run != null) { // null: a Batch API run, not in active
      active.remove(run);
    }
    Tally.Totals totals = tally.totals();
    totalTokens.addAndGet(totals.tokens());
    totalCost.accumulateAndGet(totals.cost(), BigDecimal::add);
  }

  /** Tokens billed over all runs, those of the derived engines included. */
  public long totalTokens() {
    return totalTokens.get() + variants.values().stream().mapToLong(Engine::totalTokens).sum();
  }

  /** US dollars over all runs, those of the derived engines included. */
  public BigDecimal totalCost() {
    return variants.values().stream()
        .map(Engine::totalCost)
        .reduce(totalCost.get(), BigDecimal::add);
  }

  /**
   * Cancels the runs under way and starts no more; an engine that owns its resources also stops the
   * workers and evicts its connections.
   */
  public void close() {
    closed = true;
    variants.values().forEach(Engine::close);
    for (Dispatch run : active) {
      run.control()
          .abort(
              StopReason.EMBEDDER_CLOSED,
              "Not embedded: the embedder was closed while run " + run.id() + " was under way");
    }
    for (BatchApiRun run : batchRuns) { // Batch API mode: stop waiting (see BatchApiRun.close)
      run.close(
          "Not embedded: the embedder was closed while run " + run.id() + " waited for its jobs");
    }
    if (ownsResources) {
      if (settings.provider == null) {
        provider.close();
      }
      resources.close();
    }
  }
}
