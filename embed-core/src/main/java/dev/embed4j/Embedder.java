package dev.embed4j;

import dev.embed4j.internal.Engine;
import dev.embed4j.internal.Settings;
import dev.embed4j.spi.EmbeddingProvider;
import dev.embed4j.spi.RateLimiter;
import java.math.BigDecimal;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.UnaryOperator;
import okhttp3.OkHttpClient;

/**
 * Embeds many texts with one call: validates them, packs them into batches bounded by count and by
 * tokens, sends up to {@link Builder#maxConcurrentRequests(int)} batches at once, retries what can
 * be retried, keeps under the provider's rate limits, and returns every vector at its input's index
 * together with the tokens and dollars the run cost.
 *
 * <pre>{@code
 * try (Embedder embedder = Embedder.builder()
 *     .model("text-embedding-3-small")          // key from OPENAI_API_KEY
 *     .batchSize(64).maxConcurrentRequests(64).maxAttempts(5)
 *     .requestTimeout(Duration.ofSeconds(30))
 *     .build()) {
 *   EmbeddingRun run = embedder.embed(texts);
 *   List<float[]> vectors = run.vectors();     // input order
 *   System.out.println(run.summary());         // Embedded 20000 texts in 313 batches | ... tokens | $...
 * }
 * }</pre>
 *
 * <p><b>Thread-safety and lifecycle.</b> An embedder is thread-safe and meant to be shared: it owns
 * a worker pool and one HTTP client whose connections all its runs reuse. Runs started concurrently
 * share its {@code maxConcurrentRequests}. {@link #newBuilder()} derives an embedder with other
 * settings that shares those resources, and, when it sends to the same model and key, the same
 * bound on requests in flight, pause gate and rate limiter; {@link #with(String, Integer,
 * InputType)} does the same for another model, dimensions or input type, keeps the derived embedder
 * for later calls and counts it in this one's totals. {@link #close()} on the embedder built by
 * {@link #builder()} stops its workers and releases its connections; runs still under way are
 * cancelled. Closing a derived embedder only stops it from starting new runs.
 *
 * <p><b>Totals.</b> {@link #totalTokens()} and {@link #totalCost()} add up every run of this
 * embedder, and of the embedders {@link #with} derived from it, since it was built.
 */
public final class Embedder implements AutoCloseable {
  private final Engine engine;
  private final Map<Variant, Embedder> variants = new ConcurrentHashMap<>();

  private Embedder(Engine engine) {
    this.engine = engine;
  }

  /** A builder with the defaults documented on each setter. */
  public static Builder builder() {
    return new Builder(new Settings(), null);
  }

  /**
   * A builder holding this embedder's settings, whose embedder will share its workers, connections
   * and, for the same model and key, its in-flight bound and rate limits.
   */
  public Builder newBuilder() {
    return new Builder(engine.settings().copy(), engine);
  }

  /**
   * Embeds {@code texts} and waits for the result.
   *
   * @return the run; {@link EmbeddingRun#vectors()} throws if any batch failed
   * @throws InvalidInputException if a text is null, blank or too long (nothing is sent)
   * @throws Embed4jException if the waiting thread is interrupted (the run is then cancelled)
   * @throws IllegalStateException if the embedder is closed
   */
  public EmbeddingRun embed(List<String> texts) {
    return Engine.await(engine.start(texts, null));
  }

  /**
   * Starts embedding {@code texts} and returns at once. Validation errors are thrown here, before
   * anything is sent. Cancelling the returned future cancels the calls under way and sends nothing
   * more; the batches not embedded then fail with {@link StopReason#CANCELLED}. The future completes
   * normally even when batches failed: inspect the run.
   *
   * @throws InvalidInputException if a text is null, blank or too long (nothing is sent)
   */
  public CompletableFuture<EmbeddingRun> embedAsync(List<String> texts) {
    return engine.start(texts, null);
  }

  /**
   * Embeds the texts that {@code previous} failed to embed and returns a run over all of its texts:
   * the vectors it had, plus the new ones. Tokens and cost of the returned run are those of all its
   * successful batches, old and new. Returns {@code previous} if it was complete.
   */
  public EmbeddingRun retryFailed(EmbeddingRun previous) {
    Objects.requireNonNull(previous, "previous");
    if (previous.isComplete()) {
      return previous;
    }
    return Engine.await(engine.start(previous.texts(), previous));
  }

  /**
   * Tokens, batches and cost of embedding {@code texts}, from the tokenizer and the registry price,
   * without sending anything.
   *
   * @throws InvalidInputException if a text would be rejected by {@link #embed(List)}
   */
  public CostEstimate estimate(List<String> texts) {
    return engine.estimate(texts);
  }

  /**
   * This embedder, or one derived from it for another model, dimensions or input type: what a
   * framework's per-call options ask for. A null argument keeps this embedder's value, except that
   * another model without dimensions gets its native ones. Derived embedders share this one's
   * workers, connections and, for the same model, its in-flight bound and rate limits; each is kept
   * for later calls with the same options, closed with this embedder and counted in its totals.
   *
   * @param model a model of the same provider, by registry name or {@code provider:name}, or null
   * @param dimensions shorter vectors where the model supports them, or null
   * @param inputType what the texts are for, or null
   * @throws IllegalArgumentException if the model is unknown or of another provider (it would need
   *     another key and base URL), or the options do not fit the model
   * @throws IllegalStateException if this embedder is closed
   */
  public Embedder with(String model, Integer dimensions, InputType inputType) {
    ModelSpec base = model();
    ModelSpec target = model == null || model.equals(base.name()) || model.equals(base.id())
        ? base
        : registry().get(model);
    if (!target.provider().equals(base.provider()) || (!target.equals(base) && engine.customProvider())) {
      throw new IllegalArgumentException("Model '" + model + "' (" + target.id() + ") cannot be "
          + "served by this embedder, which sends to " + base.id() + (engine.customProvider()
              ? " through its own provider" : " with its key and base URL")
          + ". Build another Embedder for " + target.id() + ".");
    }
    int dims = dimensions != null ? dimensions : target.equals(base) ? dimensions() : target.dimensions();
    InputType type = inputType != null ? inputType : inputType();
    if (target.equals(base) && dims == dimensions() && type == inputType()) {
      return this;
    }
    engine.checkOpen();
    return variants.computeIfAbsent(new Variant(target, dims, type), v -> {
      try {
        return newBuilder().model(v.model).dimensions(v.dimensions).inputType(v.inputType).build();
      } catch (IllegalStateException e) {
        throw new IllegalArgumentException(e.getMessage(), e);
      }
    });
  }

  /** Whether its model takes an input type ({@link Builder#inputType(InputType)}): Cohere's do. */
  public boolean acceptsInputType() {
    return engine.settings().acceptsInputType();
  }

  /** The model this embedder sends to. */
  public ModelSpec model() {
    return engine.settings().model();
  }

  /** The registry its model names are looked up in, also by embedders derived from it. */
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
    long total = engine.totalTokens();
    for (Embedder e : variants.values()) {
      total += e.totalTokens();
    }
    return total;
  }

  /** US dollars over all runs of this embedder and of those {@link #with} derived from it. */
  public BigDecimal totalCost() {
    BigDecimal total = engine.totalCost();
    for (Embedder e : variants.values()) {
      total = total.add(e.totalCost());
    }
    return total;
  }

  /**
   * Stops accepting runs and cancels those under way, here and in the embedders {@link #with}
   * derived from it. On an embedder from {@link #builder()} this also stops the worker threads and
   * evicts the HTTP connections it created.
   */
  @Override
  public void close() {
    variants.values().forEach(Embedder::close);
    engine.close();
  }

  @Override
  public String toString() {
    return "Embedder{" + engine.settings() + "}";
  }

  private record Variant(ModelSpec model, int dimensions, InputType inputType) {}

  /**
   * Configures an {@link Embedder}. Each setter checks its argument at once and names it in the
   * error; {@link #build()} checks that the settings fit together and fails with an {@link
   * IllegalStateException} that says what to change.
   */
  public static final class Builder {
    private final Settings settings;
    private final Engine parent;

    private Builder(Settings settings, Engine parent) {
      this.settings = settings;
      this.parent = parent;
    }

    /**
     * The model, by registry name ({@code text-embedding-3-small}) or {@code provider:name} ({@code
     * cohere:embed-v4.0}). Default: the default model of the first built-in provider whose key is
     * found ({@code text-embedding-3-small} for {@code OPENAI_API_KEY}, {@code embed-v4.0} for
     * {@code COHERE_API_KEY}). A model the registry does not know is accepted as {@code
     * openai:NAME} only together with a {@link #baseUrl} and {@link #dimensions}, for
     * OpenAI-compatible servers (its price is then 0).
     */
    public Builder model(String model) {
      settings.model(model);
      return this;
    }

    /** The model, described in full; it need not be registered. */
    public Builder model(ModelSpec model) {
      settings.model(model);
      return this;
    }

    /** Where {@link #model(String)} looks models up. Default {@link ModelRegistry#defaults()}. */
    public Builder registry(ModelRegistry registry) {
      settings.registry(registry);
      return this;
    }

    /**
     * The API key. Default: the {@code embed4j.<provider>.api-key} property, else the provider's
     * variable ({@code OPENAI_API_KEY}, {@code COHERE_API_KEY}), looked up in the {@link
     * #environment}. It is sent only to the configured base URL and never logged, printed or put in
     * an exception or event.
     */
    public Builder apiKey(String apiKey) {
      settings.apiKey(apiKey);
      return this;
    }

    /**
     * The provider's base URL, such as {@code https://api.openai.com} (a trailing {@code /v1} as in
     * {@code OPENAI_BASE_URL} is accepted). Default: the {@code embed4j.<provider>.base-url}
     * property, else the provider's variable ({@code OPENAI_BASE_URL}, {@code COHERE_BASE_URL}),
     * else its public endpoint. Plain {@code http://} is accepted only for loopback addresses unless
     * {@link #allowInsecureHttp(boolean)} is set.
     */
    public Builder baseUrl(String baseUrl) {
      settings.baseUrl(baseUrl);
      return this;
    }

    /**
     * Shorter vectors, where the model supports them (OpenAI {@code text-embedding-3-*}: any value
     * up to the native dimension; Cohere {@code embed-v4.0}: 256, 512, 1024 or 1536). Default: the
     * model's native dimension.
     */
    public Builder dimensions(int dimensions) {
      settings.dimensions(dimensions);
      return this;
    }

    /**
     * What the texts are for, for providers that take it (Cohere). Default for Cohere {@link
     * InputType#SEARCH_DOCUMENT}; setting one for a model that takes none fails at {@link #build()}.
     */
    public Builder inputType(InputType inputType) {
      settings.inputType(inputType);
      return this;
    }

    /**
     * Whether texts over the model's per-input token limit are truncated (OpenAI: here, to the
     * limit, with the model's tokenizer; Cohere: by the server, {@code truncate=END}) instead of
     * being rejected with an {@link InvalidInputException}. Default false.
     */
    public Builder truncate(boolean truncate) {
      settings.truncate(truncate);
      return this;
    }

    /**
     * The most texts per request. Default 64; capped at the model's maximum (2048 for OpenAI, 96
     * for Cohere). Batches are also bounded by the model's tokens per request.
     */
    public Builder batchSize(int batchSize) {
      settings.batchSize(batchSize);
      return this;
    }

    /** The most requests this embedder has under way at once, over all its runs. Default 16. */
    public Builder maxConcurrentRequests(int max) {
      settings.maxConcurrentRequests(max);
      return this;
    }

    /** How many times a batch is sent at most, the first attempt included. Default 5; 1 disables retries. */
    public Builder maxAttempts(int maxAttempts) {
      settings.maxAttempts(maxAttempts);
      return this;
    }

    /** The longest one request may take, from sending to the end of the reply. Default 60 s. */
    public Builder requestTimeout(Duration timeout) {
      settings.requestTimeout(timeout);
      return this;
    }

    /** The longest establishing a connection may take. Default 10 s. */
    public Builder connectTimeout(Duration timeout) {
      settings.connectTimeout(timeout);
      return this;
    }

    /**
     * The back-off between attempts: {@code initial}, doubling per attempt up to {@code max}, each
     * with random jitter of up to half its length. A server's {@code retry-after-ms} or {@code
     * retry-after} replaces it. Default 500 ms to 30 s.
     */
    public Builder retryBackoff(Duration initial, Duration max) {
      settings.retryBackoff(initial, max);
      return this;
    }

    /** The most requests per minute to send. Default: unlimited, unless learned from the provider. */
    public Builder requestsPerMinute(int rpm) {
      settings.requestsPerMinute(rpm);
      return this;
    }

    /** The most tokens per minute to send. Default: unlimited, unless learned from the provider. */
    public Builder tokensPerMinute(long tpm) {
      settings.tokensPerMinute(tpm);
      return this;
    }

    /**
     * Whether to learn the requests- and tokens-per-minute limits from the provider's {@code
     * x-ratelimit-*} headers and stay under them. Default true.
     */
    public Builder learnRateLimits(boolean learn) {
      settings.learnRateLimits(learn);
      return this;
    }

    /**
     * A rate limiter of your own, for example one shared between processes; it replaces {@link
     * #requestsPerMinute}, {@link #tokensPerMinute} and {@link #learnRateLimits}.
     */
    public Builder rateLimiter(RateLimiter limiter) {
      settings.rateLimiter(limiter);
      return this;
    }

    /**
     * A budget in US dollars for each run: no batch is sent whose estimated cost would take the run
     * over it; those batches fail with {@link StopReason#OVER_BUDGET}. Default: none.
     */
    public Builder maxCost(BigDecimal dollars) {
      settings.maxCost(dollars);
      return this;
    }

    /**
     * The longest a whole run may take; at the deadline calls under way are cancelled and the
     * batches not done fail with {@link StopReason#DEADLINE_PASSED}. Default: none.
     */
    public Builder runTimeout(Duration timeout) {
      settings.runTimeout(timeout);
      return this;
    }

    /**
     * Shows a progress bar with running tokens and cost on the console (with the optional {@code
     * me.tongfei:progressbar} library), or, without a console or the library, logs progress every
     * few seconds; and logs a summary line at the end. Default false.
     */
    public Builder showProgress(boolean show) {
      settings.showProgress(show);
      return this;
    }

    /** Adds a listener; listeners are called in the order added. */
    public Builder listener(EmbedListener listener) {
      settings.listener(listener);
      return this;
    }

    /**
     * Sends batches through a provider of your own instead of a built-in one. The model must then
     * be given as a {@link ModelSpec} (or registered) with the provider's {@link
     * EmbeddingProvider#id()}; no API key is needed.
     */
    public Builder provider(EmbeddingProvider provider) {
      settings.provider(provider);
      return this;
    }

    /**
     * The OkHttp client to derive the embedder's client from, to share its connection pool,
     * dispatcher or interceptors. Timeouts are set from this builder.
     */
    public Builder httpClient(OkHttpClient client) {
      settings.httpClient(client);
      return this;
    }

    /**
     * Where the providers' keys and base URLs are looked up: the {@code embed4j.<provider>.api-key}
     * and {@code embed4j.<provider>.base-url} properties, then the providers' own variables ({@code
     * OPENAI_API_KEY}, {@code OPENAI_BASE_URL}, {@code COHERE_API_KEY}, ...). Default: a system
     * property of that name, else the environment variable; the Spring Boot starter passes Spring's
     * {@code Environment}.
     */
    public Builder environment(UnaryOperator<String> environment) {
      settings.environment(environment);
      return this;
    }

    /**
     * Allows a plain {@code http://} base URL on a non-loopback host (the key then travels
     * unencrypted). Default false.
     */
    public Builder allowInsecureHttp(boolean allow) {
      settings.allowInsecureHttp(allow);
      return this;
    }

    /**
     * Whether {@link #build()} will find an API key: one set with {@link #apiKey}, or found in the
     * {@link #environment} for the model's provider (with no model set, for any built-in provider).
     * Always true with a {@link #provider} of your own. The Spring Boot starter uses it to fall back
     * to an offline model.
     */
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
