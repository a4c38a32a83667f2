package dev.embed4j;

import dev.embed4j.internal.Engine;
import dev.embed4j.internal.EngineConfig;
import dev.embed4j.internal.SharedResources;
import java.math.BigDecimal;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.function.UnaryOperator;
import okhttp3.OkHttpClient;

/**
 * Embeds many texts with one call: validates them, packs them into batches bounded by count and
 * by tokens, sends up to {@link Builder#maxConcurrentRequests(int)} batches at once, retries
 * what can be retried, keeps under the provider's rate limits, and returns every vector at its
 * input's index together with the tokens and dollars the run cost.
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
 * <p><b>Thread-safety and lifecycle.</b> An embedder is thread-safe and meant to be shared:
 * it owns a worker pool and one HTTP client whose connections all its runs reuse. Runs started
 * concurrently share its {@code maxConcurrentRequests}. {@link #newBuilder()} derives an
 * embedder with other settings (another input type, say) that shares those resources, and,
 * when it sends to the same model, the same bound on requests in flight.
 * {@link #close()} on the embedder built by {@link #builder()} stops its workers and releases
 * its connections; runs still under way are cancelled. Closing a derived embedder only stops
 * it from starting new runs.
 *
 * <p><b>Totals.</b> {@link #totalTokens()} and {@link #totalCost()} add up every run of this
 * embedder since it was built.
 */
public final class Embedder implements AutoCloseable {
  private final EngineConfig config;
  private final Engine engine;
  private final boolean ownsResources;

  private Embedder(EngineConfig config, SharedResources resources, boolean ownsResources) {
    this.config = config;
    this.engine = new Engine(config, resources);
    this.ownsResources = ownsResources;
  }

  /** A builder with the defaults documented on each setter. */
  public static Builder builder() {
    return new Builder();
  }

  /** A builder holding this embedder's settings whose embedder will share its workers and connections. */
  public Builder newBuilder() {
    Builder b = new Builder(config);
    b.shared = engine.resources();
    return b;
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
    return engine.await(engine.start(texts, null));
  }

  /**
   * Starts embedding {@code texts} and returns at once. Validation errors are thrown here, before
   * anything is sent. Cancelling the returned future cancels the calls under way and sends
   * nothing more; the batches not embedded then fail with a cancellation error. The future
   * completes normally even when batches failed: inspect the run.
   *
   * @throws InvalidInputException if a text is null, blank or too long (nothing is sent)
   */
  public CompletableFuture<EmbeddingRun> embedAsync(List<String> texts) {
    return engine.start(texts, null);
  }

  /**
   * Embeds the texts that {@code previous} failed to embed and returns a run over all of its
   * texts: the vectors it had, plus the new ones. Tokens and cost of the returned run are those
   * of all its successful batches, old and new. Returns {@code previous} if it was complete.
   */
  public EmbeddingRun retryFailed(EmbeddingRun previous) {
    Objects.requireNonNull(previous, "previous");
    if (previous.isComplete()) {
      return previous;
    }
    return engine.await(engine.start(previous.texts(), previous));
  }

  /**
   * Tokens, batches and cost of embedding {@code texts}, from the tokenizer and the registry
   * price, without sending anything.
   *
   * @throws InvalidInputException if a text would be rejected by {@link #embed(List)}
   */
  public CostEstimate estimate(List<String> texts) {
    return engine.estimate(texts);
  }

  /** The model this embedder sends to. */
  public ModelSpec model() {
    return config.model();
  }

  /** The registry its model names are looked up in, also by embedders derived with {@link #newBuilder()}. */
  public ModelRegistry registry() {
    return config.registry();
  }

  /** The dimensions of the vectors it returns. */
  public int dimensions() {
    return config.dimensions();
  }

  /** The input type it sends, or null for models that take none. */
  public InputType inputType() {
    return config.inputType();
  }

  /** Tokens billed over all runs of this embedder. */
  public long totalTokens() {
    return engine.totalTokens();
  }

  /** US dollars over all runs of this embedder. */
  public BigDecimal totalCost() {
    return engine.totalCost();
  }

  /**
   * Stops accepting runs and cancels those under way. On an embedder from {@link #builder()}
   * this also stops the worker threads and evicts the HTTP connections it created.
   */
  @Override
  public void close() {
    engine.close(ownsResources);
  }

  @Override
  public String toString() {
    return "Embedder{" + config.describe() + "}";
  }

  /**
   * Configures an {@link Embedder}. Each setter checks its argument at once and names it in the
   * error; {@link #build()} checks that the settings fit together and fails with an
   * {@link IllegalStateException} that says what to change.
   */
  public static final class Builder {
    private ModelRegistry registry = ModelRegistry.defaults();
    private String modelName = "text-embedding-3-small";
    private ModelSpec modelSpec;
    private String apiKey;
    private String baseUrl;
    private int dimensions;
    private InputType inputType;
    private boolean truncate;
    private int batchSize = 64;
    private int maxConcurrentRequests = 16;
    private int maxAttempts = 5;
    private Duration requestTimeout = Duration.ofSeconds(60);
    private Duration connectTimeout = Duration.ofSeconds(10);
    private Duration initialBackoff = Duration.ofMillis(500);
    private Duration maxBackoff = Duration.ofSeconds(30);
    private int requestsPerMinute;
    private long tokensPerMinute;
    private boolean learnRateLimits = true;
    private RateLimiter rateLimiter;
    private BigDecimal maxCost;
    private Duration runTimeout;
    private boolean showProgress;
    private final List<EmbedListener> listeners = new ArrayList<>();
    private EmbeddingProvider provider;
    private OkHttpClient httpClient;
    private UnaryOperator<String> environment = System::getenv;
    private boolean allowInsecureHttp;
    private SharedResources shared;

    private Builder() {}

    private Builder(EngineConfig c) {
      registry = c.registry();
      modelSpec = c.model();
      modelName = null;
      apiKey = c.apiKey();
      baseUrl = c.baseUrl();
      // Native dimensions follow the model: model(...) on a derived builder gets the new model's.
      dimensions = c.dimensions() == c.model().dimensions() ? 0 : c.dimensions();
      inputType = c.inputType();
      truncate = c.truncate();
      batchSize = c.batchSize();
      maxConcurrentRequests = c.maxConcurrentRequests();
      maxAttempts = c.maxAttempts();
      requestTimeout = c.requestTimeout();
      connectTimeout = c.connectTimeout();
      initialBackoff = c.initialBackoff();
      maxBackoff = c.maxBackoff();
      requestsPerMinute = c.requestsPerMinute();
      tokensPerMinute = c.tokensPerMinute();
      learnRateLimits = c.learnRateLimits();
      rateLimiter = c.rateLimiter();
      maxCost = c.maxCost();
      runTimeout = c.runTimeout();
      showProgress = c.showProgress();
      listeners.addAll(c.listeners());
      provider = c.customProvider();
      httpClient = c.httpClient();
      environment = c.environment();
      allowInsecureHttp = c.allowInsecureHttp();
    }

    /**
     * The model, by registry name ({@code text-embedding-3-small}) or {@code provider:name}
     * ({@code cohere:embed-v4.0}). Default {@code text-embedding-3-small}. A model the registry
     * does not know is accepted as {@code openai:NAME} only together with a {@link #baseUrl} and
     * {@link #dimensions}, for OpenAI-compatible servers (its price is then 0).
     */
    public Builder model(String model) {
      Objects.requireNonNull(model, "model");
      if (model.isBlank()) {
        throw new IllegalArgumentException("model must not be blank");
      }
      this.modelName = model.trim();
      this.modelSpec = null;
      return this;
    }

    /** The model, described in full; it need not be registered. */
    public Builder model(ModelSpec model) {
      this.modelSpec = Objects.requireNonNull(model, "model");
      this.modelName = null;
      return this;
    }

    /** Where {@link #model(String)} looks models up. Default {@link ModelRegistry#defaults()}. */
    public Builder registry(ModelRegistry registry) {
      this.registry = Objects.requireNonNull(registry, "registry");
      return this;
    }

    /**
     * The API key. Default: the {@code OPENAI_API_KEY} or {@code COHERE_API_KEY} environment
     * variable, for the model's provider. It is sent only to the configured base URL and never
     * logged, printed or put in an exception or event.
     */
    public Builder apiKey(String apiKey) {
      Objects.requireNonNull(apiKey, "apiKey");
      if (apiKey.isBlank()) {
        throw new IllegalArgumentException("apiKey must not be blank");
      }
      this.apiKey = apiKey;
      return this;
    }

    /**
     * The provider's base URL, such as {@code https://api.openai.com} (a trailing {@code /v1} as
     * in {@code OPENAI_BASE_URL} is accepted) or {@code https://api.cohere.com}. Default: the
     * {@code OPENAI_BASE_URL} or {@code COHERE_BASE_URL} environment variable, else the
     * provider's public endpoint. Plain {@code http://} is accepted only for loopback addresses
     * unless {@link #allowInsecureHttp(boolean)} is set.
     */
    public Builder baseUrl(String baseUrl) {
      Objects.requireNonNull(baseUrl, "baseUrl");
      this.baseUrl = baseUrl.trim();
      return this;
    }

    /**
     * Shorter vectors, where the model supports them (OpenAI {@code text-embedding-3-*}: any
     * value up to the native dimension; Cohere {@code embed-v4.0}: 256, 512, 1024 or 1536).
     * Default: the model's native dimension.
     */
    public Builder dimensions(int dimensions) {
      if (dimensions <= 0) {
        throw new IllegalArgumentException("dimensions must be positive, was " + dimensions);
      }
      this.dimensions = dimensions;
      return this;
    }

    /**
     * What the texts are for; Cohere models only. Default for Cohere
     * {@link InputType#SEARCH_DOCUMENT}; setting one for an OpenAI model fails at {@link #build()}.
     */
    public Builder inputType(InputType inputType) {
      this.inputType = inputType;
      return this;
    }

    /**
     * Whether texts over the model's per-input token limit are truncated (OpenAI: here, to the
     * limit, with the model's tokenizer; Cohere: by the server, {@code truncate=END}) instead of
     * being rejected with an {@link InvalidInputException}. Default false.
     */
    public Builder truncate(boolean truncate) {
      this.truncate = truncate;
      return this;
    }

    /**
     * The most texts per request. Default 64; capped at the model's maximum (2048 for OpenAI,
     * 96 for Cohere). Batches are also bounded by the model's tokens per request.
     */
    public Builder batchSize(int batchSize) {
      if (batchSize <= 0) {
        throw new IllegalArgumentException("batchSize must be positive, was " + batchSize);
      }
      this.batchSize = batchSize;
      return this;
    }

    /** The most requests this embedder has under way at once, over all its runs. Default 16. */
    public Builder maxConcurrentRequests(int max) {
      if (max <= 0 || max > 1024) {
        throw new IllegalArgumentException("maxConcurrentRequests must be 1 to 1024, was " + max);
      }
      this.maxConcurrentRequests = max;
      return this;
    }

    /** How many times a batch is sent at most, the first attempt included. Default 5; 1 disables retries. */
    public Builder maxAttempts(int maxAttempts) {
      if (maxAttempts <= 0) {
        throw new IllegalArgumentException("maxAttempts must be positive, was " + maxAttempts);
      }
      this.maxAttempts = maxAttempts;
      return this;
    }

    /** The longest one request may take, from sending to the end of the reply. Default 60 s. */
    public Builder requestTimeout(Duration timeout) {
      this.requestTimeout = positive("requestTimeout", timeout);
      return this;
    }

    /** The longest establishing a connection may take. Default 10 s. */
    public Builder connectTimeout(Duration timeout) {
      this.connectTimeout = positive("connectTimeout", timeout);
      return this;
    }

    /**
     * The back-off between attempts: {@code initial}, doubling per attempt up to {@code max},
     * each with random jitter of up to half its length. A server's {@code retry-after-ms} or
     * {@code retry-after} replaces it. Default 500 ms to 30 s.
     */
    public Builder retryBackoff(Duration initial, Duration max) {
      positive("initial backoff", initial);
      positive("max backoff", max);
      if (max.compareTo(initial) < 0) {
        throw new IllegalArgumentException("max backoff " + max + " is shorter than initial backoff " + initial);
      }
      this.initialBackoff = initial;
      this.maxBackoff = max;
      return this;
    }

    /** The most requests per minute to send. Default: unlimited, unless learned from the provider. */
    public Builder requestsPerMinute(int rpm) {
      if (rpm <= 0) {
        throw new IllegalArgumentException("requestsPerMinute must be positive, was " + rpm);
      }
      this.requestsPerMinute = rpm;
      return this;
    }

    /** The most tokens per minute to send. Default: unlimited, unless learned from the provider. */
    public Builder tokensPerMinute(long tpm) {
      if (tpm <= 0) {
        throw new IllegalArgumentException("tokensPerMinute must be positive, was " + tpm);
      }
      this.tokensPerMinute = tpm;
      return this;
    }

    /**
     * Whether to learn the requests- and tokens-per-minute limits from the provider's
     * {@code x-ratelimit-*} headers and stay under them. Default true.
     */
    public Builder learnRateLimits(boolean learn) {
      this.learnRateLimits = learn;
      return this;
    }

    /**
     * A rate limiter of your own, for example one shared between processes; it replaces
     * {@link #requestsPerMinute}, {@link #tokensPerMinute} and {@link #learnRateLimits}.
     */
    public Builder rateLimiter(RateLimiter limiter) {
      this.rateLimiter = Objects.requireNonNull(limiter, "rateLimiter");
      return this;
    }

    /**
     * A budget in US dollars for each run: no batch is sent whose estimated cost would take the
     * run over it; those batches fail with an error that says so. Default: none.
     */
    public Builder maxCost(BigDecimal dollars) {
      Objects.requireNonNull(dollars, "maxCost");
      if (dollars.signum() <= 0) {
        throw new IllegalArgumentException("maxCost must be positive, was " + dollars);
      }
      this.maxCost = dollars;
      return this;
    }

    /**
     * The longest a whole run may take; at the deadline calls under way are cancelled and the
     * batches not done fail. Default: none.
     */
    public Builder runTimeout(Duration timeout) {
      this.runTimeout = positive("runTimeout", timeout);
      return this;
    }

    /**
     * Shows a progress bar with running tokens and cost on the console, or, without a console,
     * logs progress every few seconds; and logs a summary line at the end. Default false.
     */
    public Builder showProgress(boolean show) {
      this.showProgress = show;
      return this;
    }

    /** Adds a listener; listeners are called in the order added. */
    public Builder listener(EmbedListener listener) {
      listeners.add(Objects.requireNonNull(listener, "listener"));
      return this;
    }

    /**
     * Sends batches through a provider of your own instead of the built-in OpenAI and Cohere
     * clients. The model must then be given as a {@link ModelSpec} (or registered) with the
     * provider's {@link EmbeddingProvider#id()}; no API key is needed.
     */
    public Builder provider(EmbeddingProvider provider) {
      this.provider = Objects.requireNonNull(provider, "provider");
      return this;
    }

    /**
     * The OkHttp client to derive the embedder's client from, to share its connection pool,
     * dispatcher or interceptors. Timeouts are set from this builder.
     */
    public Builder httpClient(OkHttpClient client) {
      this.httpClient = Objects.requireNonNull(client, "httpClient");
      return this;
    }

    /**
     * Where {@code OPENAI_API_KEY}, {@code OPENAI_BASE_URL}, {@code COHERE_API_KEY} and
     * {@code COHERE_BASE_URL} are looked up. Default {@code System::getenv}; the Spring Boot
     * starter passes Spring's {@code Environment}.
     */
    public Builder environment(UnaryOperator<String> environment) {
      this.environment = Objects.requireNonNull(environment, "environment");
      return this;
    }

    /** Allows a plain {@code http://} base URL on a non-loopback host (the key then travels unencrypted). Default false. */
    public Builder allowInsecureHttp(boolean allow) {
      this.allowInsecureHttp = allow;
      return this;
    }

    /**
     * Builds the embedder.
     *
     * @throws IllegalArgumentException if the model is unknown
     * @throws IllegalStateException if the settings do not fit together (dimensions or input type
     *     the model does not accept, no API key, an insecure base URL)
     */
    public Embedder build() {
      ModelSpec model = modelSpec != null ? modelSpec : resolveModel();
      EngineConfig config = EngineConfig.create(registry, model, apiKey, baseUrl, dimensions, inputType, truncate,
          batchSize, maxConcurrentRequests, maxAttempts, requestTimeout, connectTimeout, initialBackoff, maxBackoff,
          requestsPerMinute, tokensPerMinute, learnRateLimits, rateLimiter, maxCost, runTimeout, showProgress,
          listeners, provider, httpClient, environment, allowInsecureHttp);
      if (shared != null && !shared.isClosed()) {
        return new Embedder(config, shared, false);
      }
      return new Embedder(config, new SharedResources(config), true);
    }

    private ModelSpec resolveModel() {
      ModelSpec found = registry.find(modelName).orElse(null);
      if (found != null) {
        return found;
      }
      int colon = modelName.indexOf(':');
      if (colon > 0 && modelName.substring(0, colon).equalsIgnoreCase("openai")) {
        String envBase = environment.apply("OPENAI_BASE_URL");
        if ((baseUrl != null || (envBase != null && !envBase.isBlank())) && dimensions > 0) {
          // An OpenAI-compatible server's own model: OpenAI's limits, estimated tokens, no price.
          return ModelSpec.builder("openai", modelName.substring(colon + 1)).dimensions(dimensions).build();
        }
      }
      return registry.get(modelName);
    }

    private static Duration positive(String what, Duration d) {
      Objects.requireNonNull(d, what);
      if (d.isNegative() || d.isZero()) {
        throw new IllegalArgumentException(what + " must be positive, was " + d);
      }
      return d;
    }
  }
}
