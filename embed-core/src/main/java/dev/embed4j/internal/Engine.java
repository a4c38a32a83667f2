package dev.embed4j.internal;

import dev.embed4j.CostEstimate;
import dev.embed4j.Embed4jException;
import dev.embed4j.EmbedListener;
import dev.embed4j.EmbeddingProvider;
import dev.embed4j.EmbeddingRun;
import dev.embed4j.InvalidInputException;
import dev.embed4j.ModelSpec;
import dev.embed4j.RateLimiter;
import dev.embed4j.internal.cohere.CohereProvider;
import dev.embed4j.internal.openai.OpenAiProvider;
import java.math.BigDecimal;
import java.math.MathContext;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.IntStream;
import okhttp3.HttpUrl;

/**
 * One embedder's engine: validates inputs, plans batches, starts runs and keeps the totals.
 * The dispatch of one run is {@link RunExecution}.
 */
public final class Engine {
  private static final BigDecimal MILLION = BigDecimal.valueOf(1_000_000);
  private static final int PARALLEL_COUNT_THRESHOLD = 512;

  private final EngineConfig config;
  private final SharedResources resources;
  private final EmbeddingProvider provider;
  private final Listeners listeners;
  private final AdaptiveConcurrency inFlight;
  private final PauseGate gate;
  private final RateLimiter limiter;
  private final Backoff backoff;
  private final Set<RunExecution> active = ConcurrentHashMap.newKeySet();
  private final AtomicLong totalTokens = new AtomicLong();
  private final AtomicReference<BigDecimal> totalCost = new AtomicReference<>(BigDecimal.ZERO);
  private final AtomicLong runCounter = new AtomicLong();
  private final String runPrefix = Long.toString(System.nanoTime() & 0xfffff, 36);
  private volatile boolean closed;

  public Engine(EngineConfig config, SharedResources resources) {
    this.config = config;
    this.resources = resources;
    this.provider = createProvider(config, resources);
    List<EmbedListener> all = new ArrayList<>(config.listeners());
    if (config.showProgress()) {
      all.add(new ProgressReporter());
    }
    this.listeners = new Listeners(all);
    this.inFlight = resources.slots(config);
    this.gate = resources.gate(config);
    this.limiter = resources.limiter(config);
    this.backoff = new Backoff(config.initialBackoff(), config.maxBackoff());
  }

  private static EmbeddingProvider createProvider(EngineConfig config, SharedResources resources) {
    if (config.customProvider() != null) {
      return config.customProvider();
    }
    HttpUrl base = HttpUrl.get(config.baseUrl());
    if (EngineConfig.OPENAI.equals(config.model().provider())) {
      return new OpenAiProvider(resources.httpClient(config), base, config.apiKey());
    }
    return new CohereProvider(resources.httpClient(config), base, config.apiKey());
  }

  public SharedResources resources() {
    return resources;
  }

  EngineConfig config() {
    return config;
  }

  EmbeddingProvider provider() {
    return provider;
  }

  Listeners listeners() {
    return listeners;
  }

  AdaptiveConcurrency inFlight() {
    return inFlight;
  }

  PauseGate gate() {
    return gate;
  }

  RateLimiter limiter() {
    return limiter;
  }

  Backoff backoff() {
    return backoff;
  }

  /** Validates {@code texts} and starts a run; with {@code previous}, only its failed inputs. */
  public CompletableFuture<EmbeddingRun> start(List<String> texts, EmbeddingRun previous) {
    if (closed || resources.isClosed()) {
      throw new IllegalStateException("This embedder is closed");
    }
    Prepared prepared = prepare(texts);
    int[] order;
    if (previous == null) {
      order = new int[prepared.texts.size()];
      for (int i = 0; i < order.length; i++) {
        order[i] = i;
      }
    } else {
      order = previous.failedIndices().stream().mapToInt(Integer::intValue).toArray();
    }
    int firstId = previous == null ? 0 : previous.batches().size();
    List<Batch> batches = Batch.plan(order, prepared.tokens, config.batchSize(), maxTokensPerRequest(), firstId);
    String runId = "run-" + runPrefix + "-" + runCounter.incrementAndGet();
    RunExecution run = new RunExecution(this, runId, prepared.texts, prepared.sendTexts, batches, previous);
    active.add(run);
    run.start();
    return run.future();
  }

  private long maxTokensPerRequest() {
    long max = config.model().maxTokensPerRequest();
    long limiterMax = limiter.maxTokensPerRequest();
    return limiterMax > 0 ? Math.min(max, limiterMax) : max;
  }

  /** Blocks for a run, cancelling it if the waiting thread is interrupted. */
  public EmbeddingRun await(CompletableFuture<EmbeddingRun> future) {
    try {
      return future.get();
    } catch (InterruptedException e) {
      future.cancel(true);
      Thread.currentThread().interrupt();
      throw new Embed4jException("Interrupted while waiting for the embedding run; the run was cancelled", e);
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

  public CostEstimate estimate(List<String> texts) {
    Prepared prepared = prepare(texts);
    int[] order = new int[prepared.texts.size()];
    long tokens = 0;
    for (int i = 0; i < order.length; i++) {
      order[i] = i;
      tokens += prepared.tokens[i];
    }
    int batches = Batch.plan(order, prepared.tokens, config.batchSize(), maxTokensPerRequest(), 0).size();
    return new CostEstimate(config.model().id(), order.length, batches, tokens, config.model().hasExactTokenizer(),
        cost(tokens));
  }

  BigDecimal cost(long tokens) {
    return config.model().pricePerMillionTokens().multiply(BigDecimal.valueOf(tokens))
        .divide(MILLION, MathContext.DECIMAL64);
  }

  /** Checks every text, counts its tokens and truncates where asked, before anything is sent. */
  private Prepared prepare(List<String> input) {
    if (input == null) {
      throw new IllegalArgumentException("texts must not be null");
    }
    int n = input.size();
    String[] texts = new String[n];
    for (int i = 0; i < n; i++) {
      String text = input.get(i);
      if (text == null) {
        throw new InvalidInputException(i, "Input " + i + " is null. Every text must be a non-blank string: "
            + "remove it or replace it before embedding. Nothing was sent.");
      }
      if (text.isBlank()) {
        throw new InvalidInputException(i, "Input " + i + " is " + (text.isEmpty() ? "empty" : "blank")
            + ". Providers reject empty texts (OpenAI: '$.input' is invalid): remove it or replace it with text."
            + " Nothing was sent.");
      }
      texts[i] = text;
    }
    // Token counting is the one CPU-heavy step before the first request: spread it over the cores.
    int[] tokens = new int[n];
    IntStream range = IntStream.range(0, n);
    (n >= PARALLEL_COUNT_THRESHOLD ? range.parallel() : range).forEach(i -> tokens[i] = Tokenizers.count(texts[i]));

    ModelSpec model = config.model();
    int limit = model.maxTokensPerInput();
    boolean clientTruncates = config.truncate() && model.hasExactTokenizer();
    String[] send = null;
    for (int i = 0; i < n; i++) {
      if (tokens[i] <= limit) {
        continue;
      }
      if (clientTruncates) {
        if (send == null) {
          send = texts.clone();
        }
        send[i] = Tokenizers.truncate(texts[i], limit);
        tokens[i] = Tokenizers.count(send[i]);
      } else if (config.truncate()) {
        tokens[i] = limit; // the server truncates
      } else {
        throw new InvalidInputException(i, "Input " + i + " has " + tokens[i]
            + (model.hasExactTokenizer() ? "" : " (estimated)") + " tokens, more than the " + limit + " that "
            + model.id() + " accepts per input. Split it into smaller chunks, or set truncate(true) to cut it to "
            + limit + " tokens. Nothing was sent.");
      }
    }
    List<String> list = Collections.unmodifiableList(Arrays.asList(texts));
    List<String> sendList = send == null ? list : Collections.unmodifiableList(Arrays.asList(send));
    return new Prepared(list, sendList, tokens);
  }

  void finished(RunExecution run, EmbeddingRun result) {
    active.remove(run);
    long newTokens = 0;
    BigDecimal newCost = BigDecimal.ZERO;
    for (var b : result.batches()) {
      if (b.succeeded() && run.isNew(b)) {
        newTokens += b.tokens();
        newCost = newCost.add(b.cost());
      }
    }
    totalTokens.addAndGet(newTokens);
    BigDecimal add = newCost;
    totalCost.accumulateAndGet(add, BigDecimal::add);
  }

  public long totalTokens() {
    return totalTokens.get();
  }

  public BigDecimal totalCost() {
    return totalCost.get();
  }

  public void close(boolean releaseResources) {
    closed = true;
    for (RunExecution run : active) {
      run.abort(new Embed4jException("Not embedded: the embedder was closed while run " + run.id()
          + " was under way"));
    }
    if (releaseResources) {
      if (config.customProvider() == null) {
        provider.close();
      }
      resources.close();
    }
  }

  private record Prepared(List<String> texts, List<String> sendTexts, int[] tokens) {}
}
