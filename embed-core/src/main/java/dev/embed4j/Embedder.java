package dev.embed4j;

import dev.embed4j.internal.Engine;
import dev.embed4j.internal.Settings;
import dev.embed4j.spi.EmbeddingCache;
import dev.embed4j.spi.EmbeddingProvider;
import dev.embed4j.spi.RateLimiter;
import java.math.BigDecimal;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;
import java.util.function.Supplier;
import java.util.function.UnaryOperator;
import java.util.stream.Stream;
import okhttp3.OkHttpClient;

/**
 * Embeds many texts with one call: validates them, packs them into batches bounded by count and by
 * tokens, sends up to {@link Builder#maxConcurrentRequests(int)} batches at once, retries what can
 * be retried, keeps under the provider's rate limits, and returns every vector at its input's index
 * with the tokens and dollars the run cost. Identical texts are sent once and texts found in the
 * {@linkplain Builder#cache cache} not at all; for more texts than memory holds, {@link
 * #stream(Iterator, Function)} reads them lazily and hands each vector to a sink as it arrives.
 *
 * <pre>{@code
 * try (Embedder embedder = Embedder.builder().model("text-embedding-3-small").build()) {
 *   EmbeddingRun run = embedder.embed(texts);  // key from OPENAI_API_KEY
 *   List<float[]> vectors = run.vectors();     // input order
 *   System.out.println(run.summary());         // Embedded 20000 texts in 313 batches | ...
 * }
 * }</pre>
 *
 * <p><b>Thread-safety and lifecycle.</b> Thread-safe and meant to be shared: it owns a worker pool
 * and one HTTP client that all its runs use, and concurrent runs share its {@code
 * maxConcurrentRequests}. Embedders derived with {@link #newBuilder()} or {@link #with} share those
 * resources and, for the same model and key, the in-flight bound, pause gate and rate limiter.
 * {@link #close()} cancels the runs under way; on an embedder from {@link #builder()} it also stops
 * the workers and releases the connections.
 */
public final class Embedder implements AutoCloseable {
  private final Engine engine;
  private final Map<Engine, Embedder> derivedViews = new ConcurrentHashMap<>();

  private Embedder(Engine engine) {
    this.engine = engine;
  }

  /** A builder with the defaults documented on each setter. */
  public static Builder builder() {
    return new Builder(new Settings(), null);
  }

  /** A builder with this embedder's settings whose embedder shares its resources and pacing. */
  public Builder newBuilder() {
    return new Builder(engine.settings().copy(), engine);
  }

  /**
   * Embeds {@code texts} and waits for the run; {@link EmbeddingRun#vectors()} throws if a batch
   * failed. Identical texts are sent once ({@link Builder#dedupe}), texts found in the {@link
   * Builder#cache cache} not at all. For more texts than fit in memory with their vectors, {@link
   * #stream(Iterator, Function) stream} them.
   *
   * @throws InvalidInputException if a text is null, blank or too long (nothing is sent)
   * @throws Embed4jException if the waiting thread is interrupted (the run is then cancelled)
   * @throws IllegalStateException if the embedder is closed
   */
  public EmbeddingRun embed(List<String> texts) {
    return Engine.await(engine.start(texts, null));
  }

  /**
   * Starts embedding and returns at once; bad input is thrown here, before anything is sent.
   * Cancelling the future cancels the calls under way; unfinished batches then fail with {@link
   * StopReason#CANCELLED}. It completes normally even when batches failed: inspect the run.
   */
  public CompletableFuture<EmbeddingRun> embedAsync(List<String> texts) {
    return engine.start(texts, null);
  }

  /**
   * Embeds {@link EmbedInput}s, text and images, and waits for the run: one vector per input, in
   * order, with the batching, concurrency, retries, splitting and cost of {@link #embed(List)};
   * image tokens are priced at the model's {@link ModelSpec#pricePerMillionImageTokens() image
   * rate}. The run's {@link EmbeddingRun#texts() texts} are the inputs' {@link
   * EmbedInput#toString() descriptions}; {@link #retryFailed(EmbeddingRun)} sends the failed inputs
   * themselves again.
   *
   * @throws InvalidInputException if an input is null, blank, too long, or has an image the model
   *     cannot take (only a model that {@link ModelSpec#acceptsImages() accepts images} embeds
   *     one); nothing is sent
   * @throws IllegalStateException if the embedder is closed
   */
  public EmbeddingRun embedInputs(List<EmbedInput> inputs) {
    return Engine.await(engine.startInputs(inputs, null));
  }

  /** As {@link #embedInputs(List)}, returning at once as {@link #embedAsync(List)} does. */
  public CompletableFuture<EmbeddingRun> embedInputsAsync(List<EmbedInput> inputs) {
    return engine.startInputs(inputs, null);
  }

  /**
   * Embeds only what {@code previous} failed to embed: a run over all its texts, with its vectors,
   * tokens and cost plus the new ones; {@code previous} itself if it was complete.
   *
   * @throws IllegalArgumentException if {@code previous} was streamed (it keeps no texts)
   */
  public EmbeddingRun retryFailed(EmbeddingRun previous) {
    return Engine.await(engine.retry(Objects.requireNonNull(previous, "previous")));
  }

  /**
   * A streamed run over {@code texts}, read lazily: see {@link EmbeddingStream}. Nothing is read or
   * sent until it is started with {@link EmbeddingStream#to}.
   *
   * @throws IllegalStateException in {@link RunMode#BATCH_API}, which embeds lists only (a Batch
   *     API job answers hours after its whole input was uploaded): call {@link #embed(List)}
   */
  public EmbeddingStream<String> stream(Iterator<String> texts) {
    return stream(texts, Function.identity());
  }

  /**
   * A streamed run over items of your own, each carrying its text (and your id and metadata), read
   * lazily: the sink gets every item back with its vector or error. See {@link EmbeddingStream}.
   *
   * @param text the text of an item (a null or blank text fails that item alone)
   */
  public <T> EmbeddingStream<T> stream(
      Iterator<? extends T> items, Function<? super T, String> text) {
    return engine.stream(
        Objects.requireNonNull(items, "items"), Objects.requireNonNull(text, "text"), null);
  }

  /**
   * Like {@link #stream(Iterator, Function)} over a {@link Stream}, which is closed when the run
   * ends.
   */
  public <T> EmbeddingStream<T> stream(
      Stream<? extends T> items, Function<? super T, String> text) {
    Objects.requireNonNull(items, "items");
    return engine.stream(items.iterator(), Objects.requireNonNull(text, "text"), items::close);
  }

  /**
   * A dry run: tokens, batches and cost from the tokenizer and the price list (the Batch API price
   * in {@link RunMode#BATCH_API}); nothing is sent. Every text is counted, as if neither dedupe nor
   * the cache saved anything.
   */
  public CostEstimate estimate(List<String> texts) {
    return engine.estimate(texts);
  }

  /**
   * This embedder, or one derived for other per-call options (null keeps this one's; another model
   * without dimensions gets its native ones). Derived embedders share this one's workers,
   * connections and, for the same model, its pacing; each is kept for later calls with the same
   * options, closed with this embedder and counted in its totals.
   *
   * @param model a model of the same provider, by name or {@code provider:name}, or null
   * @throws IllegalArgumentException if the model is unknown or of another provider, or the options
   *     do not fit it
   * @throws IllegalStateException if this embedder is closed
   */
  public Embedder with(String model, Integer dimensions, InputType inputType) {
    Engine derived = engine.derive(model, dimensions, inputType);
    return derived == engine ? this : derivedViews.computeIfAbsent(derived, Embedder::new);
  }

  /**
   * Whether its model takes an {@link Builder#inputType input type} (Cohere's, Voyage's, Jina's and
   * Gemini's do).
   */
  public boolean acceptsInputType() {
    return engine.settings().acceptsInputType();
  }

  /** The model this embedder sends to. */
  public ModelSpec model() {
    return engine.settings().model();
  }

  /** The registry its model names are looked up in. */
  public ModelRegistry registry() {
    return engine.settings().registry();
  }

  /** The dimensions of the vectors it returns. */
  public int dimensions() {
    return engine.settings().dimensions();
  }

  /** The input type it sends, or null for models that take none. */
  public InputType inputType() {
    return engine.settings().inputType();
  }

  /** Tokens billed over all runs of this embedder and of those {@link #with} derived from it. */
  public long totalTokens() {
    return engine.totalTokens();
  }

  /** US dollars over all runs of this embedder and of those {@link #with} derived from it. */
  public BigDecimal totalCost() {
    return engine.totalCost();
  }

  /** Cancels runs under way, here and in those {@link #with} derived; see the class comment. */
  @Override
  public void close() {
    engine.close();
  }

  @Override
  public String toString() {
    return "Embedder{" + engine.settings() + "}";
  }

  /**
   * Configures an {@link Embedder}. Each setter checks its argument at once and names it in the
   * error; {@link #build()} checks that the settings fit together and fails with an {@link
   * IllegalStateException} that says what to change.
   *
   * <p><b>Model, key, base URL.</b> Without {@link #model(String)}, the model is that of the first
   * built-in provider whose key is found ({@code text-embedding-3-small} for OpenAI, {@code
   * embed-v4.0} for Cohere). An unregistered {@code openai:NAME} is accepted with a base URL and
   * {@link #dimensions}, for OpenAI-compatible servers (price 0). Keys and base URLs not set here
   * are looked up in the {@link #environment}: {@code embed4j.<provider>.api-key} / {@code
   * .base-url}, then the provider's variables ({@code OPENAI_API_KEY}, {@code OPENAI_BASE_URL},
   * {@code COHERE_API_KEY}, {@code COHERE_BASE_URL}). The key is sent only to the base URL and
   * never logged or put in an exception, event or {@code toString()}; plain {@code http://} is
   * accepted only for loopback hosts unless {@link #allowInsecureHttp(boolean)}.
   */
  public static final class Builder {
    private final Settings settings;
    private final Engine parent;

    private Builder(Settings settings, Engine parent) {
      this.settings = settings;
      this.parent = parent;
    }

    /** Each setter hands its argument to the settings, which check it. */
    private Builder apply(Settings checked) {
      return this;
    }

    /** The model, by registry name or {@code provider:name}; default: see {@link Builder}. */
    public Builder model(String model) {
      return apply(settings.model(model));
    }

    /** The model, described in full; it need not be registered. */
    public Builder model(ModelSpec model) {
      return apply(settings.model(model));
    }

    /** Where {@link #model(String)} looks models up. Default {@link ModelRegistry#defaults()}. */
    public Builder registry(ModelRegistry registry) {
      return apply(settings.registry(registry));
    }

    /** The API key; default from the {@link #environment}. Never logged or shown. */
    public Builder apiKey(String apiKey) {
      return apply(settings.apiKey(apiKey));
    }

    /** The base URL; default from the {@link #environment}, else the public endpoint. */
    public Builder baseUrl(String baseUrl) {
      return apply(settings.baseUrl(baseUrl));
    }

    /** Shorter vectors, where the model supports them. Default: the native dimensions. */
    public Builder dimensions(int dimensions) {
      return apply(settings.dimensions(dimensions));
    }

    /**
     * What the texts are for, where the provider takes it (Cohere, Voyage, Jina, Gemini). Default:
     * {@code SEARCH_DOCUMENT} for those.
     */
    public Builder inputType(InputType inputType) {
      return apply(settings.inputType(inputType));
    }

    /** Cut texts over the per-input limit instead of rejecting them. Default false. */
    public Builder truncate(boolean truncate) {
      return apply(settings.truncate(truncate));
    }

    /**
     * Texts per request, capped at the model's maximum; batches are also capped by tokens. Default
     * 64.
     */
    public Builder batchSize(int batchSize) {
      return apply(settings.batchSize(batchSize));
    }

    /** Requests under way at once, over all runs of this embedder. Default 16. */
    public Builder maxConcurrentRequests(int max) {
      return apply(settings.maxConcurrentRequests(max));
    }

    /** Sends per batch at most, the first included; 1 disables retries. Default 5. */
    public Builder maxAttempts(int maxAttempts) {
      return apply(settings.maxAttempts(maxAttempts));
    }

    /** The longest one request may take, from sending to the end of the reply. Default 60 s. */
    public Builder requestTimeout(Duration timeout) {
      return apply(settings.requestTimeout(timeout));
    }

    /** The longest establishing a connection may take. Default 10 s. */
    public Builder connectTimeout(Duration timeout) {
      return apply(settings.connectTimeout(timeout));
    }

    /**
     * The first back-off, doubled per attempt with jitter; the server's delay wins. Default 500 ms.
     */
    public Builder initialBackoff(Duration initial) {
      return apply(settings.initialBackoff(initial));
    }

    /** The longest back-off between attempts, at least the initial one. Default 30 s. */
    public Builder maxBackoff(Duration max) {
      return apply(settings.maxBackoff(max));
    }

    /** Requests per minute at most. Default: unlimited unless learned from the provider. */
    public Builder requestsPerMinute(int rpm) {
      return apply(settings.requestsPerMinute(rpm));
    }

    /** Tokens per minute at most. Default: unlimited unless learned from the provider. */
    public Builder tokensPerMinute(long tpm) {
      return apply(settings.tokensPerMinute(tpm));
    }

    /**
     * Whether to learn and keep the limits of the {@code x-ratelimit-*} headers, or, from a server
     * that sends none, the tokens-per-minute limit from where its 429s begin. Default true.
     */
    public Builder learnRateLimits(boolean learn) {
      return apply(settings.learnRateLimits(learn));
    }

    /**
     * A limiter of your own instead of the built-in one, bound to each provider, key and model it
     * paces. {@link RateLimiter#redis(String)} shares the limits between processes and takes its
     * limits from {@link #requestsPerMinute(int)}, {@link #tokensPerMinute(long)} and {@link
     * #learnRateLimits(boolean)}.
     */
    public Builder rateLimiter(RateLimiter limiter) {
      return apply(settings.rateLimiter(limiter));
    }

    /** US dollars per run; batches over it fail {@link StopReason#OVER_BUDGET}. Default: none. */
    public Builder maxCost(BigDecimal dollars) {
      return apply(settings.maxCost(dollars));
    }

    /**
     * A deadline per run; unfinished batches fail {@link StopReason#DEADLINE_PASSED}. Default:
     * none.
     */
    public Builder runTimeout(Duration timeout) {
      return apply(settings.runTimeout(timeout));
    }

    /** A console progress bar, or a progress log line without one. Default false. */
    public Builder showProgress(boolean show) {
      return apply(settings.showProgress(show));
    }

    /** Adds a listener; listeners are called in the order added. */
    public Builder listener(EmbedListener listener) {
      return apply(settings.listener(listener));
    }

    /** A provider of your own; the model is then a {@link ModelSpec} with its id. No key needed. */
    public Builder provider(EmbeddingProvider provider) {
      return apply(settings.provider(provider));
    }

    /** The OkHttp client to derive from (connection pool, interceptors); timeouts are set here. */
    public Builder httpClient(OkHttpClient client) {
      return apply(settings.httpClient(client));
    }

    /** Where keys and base URLs are looked up by name. Default: system property, else variable. */
    public Builder environment(UnaryOperator<String> environment) {
      return apply(settings.environment(environment));
    }

    /**
     * Authenticates with a bearer token instead of an API key: {@code supplier} is asked before
     * every request (so it may refresh an expiring token; cache it there) and its token is sent as
     * {@code Authorization: Bearer <token>} in place of the provider's key header. For Azure OpenAI
     * with Microsoft Entra ID, e.g. {@code () -> credential.getTokenSync(new
     * TokenRequestContext().addScopes("https://cognitiveservices.azure.com/.default")).getToken()}.
     * With a supplier no API key is needed. The token is never logged or put in an exception, event
     * or {@code toString()}; a supplier that returns null or blank fails the batch with nothing
     * sent. Default: none.
     */
    public Builder tokenSupplier(Supplier<String> supplier) {
      return apply(settings.tokenSupplier(supplier));
    }

    /**
     * Allows plain {@code http://} to a non-loopback host, sending the key unencrypted. Default
     * false.
     */
    public Builder allowInsecureHttp(boolean allow) {
      return apply(settings.allowInsecureHttp(allow));
    }

    /**
     * A store of vectors already paid for: a text found there under the same provider, model,
     * dimensions, input type and truncation is not sent, and its vector lands at its own index.
     * Default: none. The embedder never closes it.
     */
    public Builder cache(EmbeddingCache cache) {
      return apply(settings.cache(cache));
    }

    /**
     * Sends identical texts of a run once and places the vector at every index where the text
     * occurs; they are billed once. Default true.
     */
    public Builder dedupe(boolean dedupe) {
      return apply(settings.dedupe(dedupe));
    }

    /**
     * How runs are sent. Default {@link RunMode#REALTIME}. With {@link RunMode#BATCH_API} (OpenAI
     * models only) every run goes through OpenAI's Batch API at its price, half the realtime one:
     * its batches become the lines of JSONL jobs (at most 50,000 requests, 50,000 inputs and 200 MB
     * per job, and the {@link #batchEnqueuedTokenLimit}), which are uploaded, run within 24 hours,
     * polled and collected, each vector placed at its input's index. {@link Embedder#embed(List)}
     * and every framework call that embeds through this embedder (LangChain4j's {@code embedAll},
     * Spring AI's {@code embed(List)}) then <b>blocks until the jobs end, up to a day</b>; use
     * {@link Embedder#embedAsync(List)} to wait elsewhere. Cancelling the run's future cancels the
     * jobs; closing the embedder leaves them running, to be collected by the same call of a later
     * embedder with the same {@link #batchStateDirectory} (without one, nobody could collect them,
     * so they are cancelled). {@code maxAttempts} bounds the jobs a batch goes through; {@code
     * requestsPerMinute}, {@code tokensPerMinute} and {@code maxConcurrentRequests} do not apply
     * (the Batch API has its own pool).
     */
    public Builder mode(RunMode mode) {
      return apply(settings.mode(mode));
    }

    /**
     * Where Batch API runs keep their state (job ids, and which input each line carries), one small
     * JSON file per run, so that the same call with the same texts and settings, by this or a later
     * JVM, resumes waiting for the jobs already submitted instead of submitting them again. The
     * file is deleted when its run ends. Default: none (state in memory only; a new JVM submits
     * anew).
     */
    public Builder batchStateDirectory(Path directory) {
      return apply(settings.batchStateDirectory(directory));
    }

    /**
     * How long a Batch API run waits before its first look at a job, and after each change of its
     * status or counts; doubled while nothing changes, up to {@link #batchMaxPollInterval}. Default
     * 10 s.
     */
    public Builder batchPollInterval(Duration interval) {
      return apply(settings.batchPollInterval(interval));
    }

    /** The longest wait between two looks at a Batch API job. Default 5 min. */
    public Builder batchMaxPollInterval(Duration interval) {
      return apply(settings.batchMaxPollInterval(interval));
    }

    /**
     * Whether Batch API lines that failed (or expired) with a retryable error are sent again
     * through the realtime endpoint, at the realtime price, instead of in a new job. Default false.
     */
    public Builder batchRetryRealtime(boolean realtime) {
      return apply(settings.batchRetryRealtime(realtime));
    }

    /**
     * The enqueued-token limit of the model on your account (OpenAI shows it on the limits page of
     * the platform; it depends on the usage tier). Each Batch API job then holds at most this many
     * tokens and jobs are submitted only while the run's enqueued tokens stay under it. Default:
     * unknown; a job over the account's limit fails validation with {@code token_limit_exceeded}
     * and is submitted again when another job of the run has ended.
     */
    public Builder batchEnqueuedTokenLimit(long tokens) {
      return apply(settings.batchEnqueuedTokenLimit(tokens));
    }

    /** Whether {@link #build()} will find an API key (set, or in the {@link #environment}). */
    public boolean apiKeyFound() {
      return settings.apiKeyFound();
    }

    /**
     * Builds the embedder.
     *
     * @throws IllegalArgumentException if the model is unknown
     * @throws IllegalStateException if the settings do not fit together (dimensions or input type
     *     the model does not accept, no API key, an insecure base URL)
     */
    public Embedder build() {
      return new Embedder(Engine.create(settings.freeze(), parent));
    }
  }
}
