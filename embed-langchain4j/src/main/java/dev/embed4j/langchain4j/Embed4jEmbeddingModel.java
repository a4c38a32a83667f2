package dev.embed4j.langchain4j;

import dev.embed4j.EmbedListener;
import dev.embed4j.Embedder;
import dev.embed4j.EmbeddingRun;
import dev.embed4j.InputType;
import dev.embed4j.ModelRegistry;
import dev.embed4j.ModelSpec;
import dev.langchain4j.data.embedding.Embedding;
import dev.langchain4j.exception.InvalidRequestException;
import dev.langchain4j.exception.ModelNotFoundException;
import dev.langchain4j.model.ModelProvider;
import dev.langchain4j.model.embedding.EmbeddingModel;
import dev.langchain4j.model.embedding.listener.EmbeddingModelListener;
import dev.langchain4j.model.embedding.request.EmbeddingInput;
import dev.langchain4j.model.embedding.request.EmbeddingInputType;
import dev.langchain4j.model.embedding.request.EmbeddingParameter;
import dev.langchain4j.model.embedding.request.EmbeddingRequest;
import dev.langchain4j.model.embedding.request.EmbeddingRequestParameters;
import dev.langchain4j.model.embedding.response.EmbeddingResponse;
import java.math.BigDecimal;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;

/**
 * A LangChain4j {@link EmbeddingModel} backed by an Embed4j {@link Embedder}: {@code embedAll}
 * of 50,000 segments is validated, packed into batches bounded by count and by tokens, sent
 * {@link Builder#maxConcurrentRequests(int) many at once}, retried where it can be, kept under
 * the provider's rate limits, and priced. Works with the OpenAI and Cohere models of the
 * {@link ModelRegistry}, OpenAI-compatible servers, and, through
 * {@link LangChain4jEmbeddingProvider}, any other LangChain4j model.
 *
 * <pre>{@code
 * Embed4jEmbeddingModel model = Embed4jEmbeddingModel.builder()
 *     .modelName("text-embedding-3-small")      // API key from OPENAI_API_KEY, or apiKey(...)
 *     .maxConcurrentRequests(16)
 *     .build();
 * EmbeddingResponse response = model.embed(EmbeddingRequest.builder().textSegments(segments).build());
 * Embed4jResponseMetadata metadata = (Embed4jResponseMetadata) response.metadata();
 * System.out.println(metadata.run().summary()); // Embedded 50000 texts in 782 batches | ... tokens | $... | ... ms
 * }</pre>
 *
 * <p><b>One call, one run.</b> Every {@code embed}/{@code embedAll}/{@code embedAsync} call is
 * one Embed4j run, whatever its number of batches: LangChain4j {@link #listeners() listeners}
 * are notified once per call, the response's {@link Embed4jResponseMetadata metadata} carries the
 * run, its token usage and its cost, and Embed4j {@link EmbedListener}s see every batch. (The
 * legacy {@code embed(String)} and {@code embedAll(List)} return a {@code Response} with the token
 * usage only; there the run is reachable from a listener's {@code embeddingResponse().metadata()},
 * or from an {@link Builder#embedListener(EmbedListener) EmbedListener}'s {@code runFinished}.)
 * {@link #doEmbedAsync(EmbeddingRequest)} is truly asynchronous: no caller thread waits, and
 * cancelling the future cancels the run's calls under way.
 *
 * <p><b>Per-call parameters.</b> {@link EmbeddingRequestParameters#MODEL_NAME} (another model of
 * the same provider, sent with the same key and base URL), {@link EmbeddingRequestParameters#DIMENSIONS}
 * where the model can shorten its vectors ({@code text-embedding-3-*}, Cohere {@code embed-v4.0})
 * and {@link EmbeddingRequestParameters#INPUT_TYPE} where the provider takes one (Cohere:
 * {@code QUERY} is sent as {@code search_query}, {@code DOCUMENT} as {@code search_document}, the
 * default). Others are rejected with LangChain4j's {@code UnsupportedFeatureException}. Calls with
 * other parameters than the builder's run on an embedder derived from it, which shares its
 * connections and workers.
 *
 * <p><b>Errors</b> are LangChain4j exceptions whose message is Embed4j's and whose cause is the
 * Embed4j exception: an input that is blank or too long is an {@code InvalidRequestException}
 * naming its index; when batches fail after their retries, the exception's type follows the
 * first failure ({@code AuthenticationException}, {@code RateLimitException},
 * {@code InternalServerException}, ...) and its cause is an
 * {@link dev.embed4j.IncompleteRunException} holding the run, whose successful vectors
 * {@link Embedder#retryFailed(EmbeddingRun) embedder().retryFailed(run)} completes.
 *
 * <p>Thread-safe; share one instance for the life of the application. {@link #close()} releases the
 * workers and connections of an embedder this model built; its threads are daemons, so an
 * application that never calls it still exits. The model is deliberately not
 * {@link AutoCloseable}: like LangChain4j's own models it is meant to be long-lived and shared,
 * and tools that are handed an {@code AutoCloseable} close it after use (JUnit does so with
 * parameterized-test arguments); Spring still closes it as a {@code @Bean}, whose destroy method it
 * infers from {@code close()}.
 */
public final class Embed4jEmbeddingModel implements EmbeddingModel {
  private final Embedder embedder;
  private final boolean ownsEmbedder;
  private final ModelRegistry registry;
  private final List<EmbeddingModelListener> listeners;
  private final Set<EmbeddingParameter<?>> supportedParameters;
  private final EmbeddingRequestParameters defaultParameters;
  private final Map<Variant, Embedder> variants = new ConcurrentHashMap<>();
  private volatile boolean closed;

  private Embed4jEmbeddingModel(Embedder embedder, boolean ownsEmbedder, ModelRegistry registry,
      List<EmbeddingModelListener> listeners) {
    this.embedder = embedder;
    this.ownsEmbedder = ownsEmbedder;
    this.registry = registry;
    this.listeners = List.copyOf(listeners);
    ModelSpec model = embedder.model();
    Set<EmbeddingParameter<?>> supported = new LinkedHashSet<>();
    supported.add(EmbeddingRequestParameters.MODEL_NAME);
    if (model.supportsReducedDimensions()) {
      supported.add(EmbeddingRequestParameters.DIMENSIONS);
    }
    if (takesInputType(embedder)) {
      supported.add(EmbeddingRequestParameters.INPUT_TYPE);
    }
    this.supportedParameters = Set.copyOf(supported);
    this.defaultParameters = EmbeddingRequestParameters.builder()
        .modelName(model.name())
        .dimensions(embedder.dimensions() == model.dimensions() ? null : embedder.dimensions())
        .inputType(toLangChain4j(embedder.inputType()))
        .build();
  }

  /** A builder; see each setter for its default. */
  public static Builder builder() {
    return new Builder();
  }

  @Override
  public EmbeddingResponse doEmbed(EmbeddingRequest request) {
    try {
      EmbeddingRun run = embedderFor(request.parameters()).embed(texts(request));
      return response(run);
    } catch (RuntimeException e) {
      throw Exceptions.toLangChain4j(e);
    }
  }

  @Override
  public CompletableFuture<EmbeddingResponse> doEmbedAsync(EmbeddingRequest request) {
    CompletableFuture<EmbeddingRun> running;
    try {
      running = embedderFor(request.parameters()).embedAsync(texts(request));
    } catch (RuntimeException e) {
      return CompletableFuture.failedFuture(Exceptions.toLangChain4j(e));
    }
    CompletableFuture<EmbeddingResponse> result = new CompletableFuture<>();
    running.whenComplete((run, error) -> {
      if (error != null) {
        result.completeExceptionally(Exceptions.toLangChain4j(error));
        return;
      }
      try {
        result.complete(response(run));
      } catch (RuntimeException e) {
        result.completeExceptionally(Exceptions.toLangChain4j(e));
      }
    });
    result.whenComplete((response, error) -> {
      if (result.isCancelled()) {
        running.cancel(true);
      }
    });
    return result;
  }

  /** The native or configured dimensions of the model, from the registry; never calls the provider. */
  @Override
  public int dimension() {
    return embedder.dimensions();
  }

  /** The model name sent to the provider, e.g. {@code text-embedding-3-small}. */
  @Override
  public String modelName() {
    return embedder.model().name();
  }

  /** {@code OPEN_AI} or {@code COHERE} for the built-in providers, {@code OTHER} otherwise. */
  @Override
  public ModelProvider provider() {
    switch (embedder.model().provider()) {
      case "openai":
        return ModelProvider.OPEN_AI;
      case "cohere":
        return ModelProvider.COHERE;
      default:
        return ModelProvider.OTHER;
    }
  }

  @Override
  public List<EmbeddingModelListener> listeners() {
    return listeners;
  }

  /** The model name, and the dimensions and input type the embedder was built with where they are not the defaults. */
  @Override
  public EmbeddingRequestParameters defaultRequestParameters() {
    return defaultParameters;
  }

  @Override
  public Set<EmbeddingParameter<?>> supportedParameters() {
    return supportedParameters;
  }

  /**
   * The embedder behind this model, for what LangChain4j has no word for:
   * {@link Embedder#estimate(List) estimating} a run's cost before sending it, or
   * {@link Embedder#retryFailed(EmbeddingRun) retrying} the failed batches of a run.
   */
  public Embedder embedder() {
    return embedder;
  }

  /** Tokens billed over all calls of this model (and, with {@link Builder#embedder(Embedder)}, of that embedder). */
  public long totalTokens() {
    long total = embedder.totalTokens();
    for (Embedder e : variants.values()) {
      total += e.totalTokens();
    }
    return total;
  }

  /** US dollars over all calls of this model (and, with {@link Builder#embedder(Embedder)}, of that embedder). */
  public BigDecimal totalCost() {
    BigDecimal total = embedder.totalCost();
    for (Embedder e : variants.values()) {
      total = total.add(e.totalCost());
    }
    return total;
  }

  /**
   * Stops the model: calls under way are cancelled. Releases the workers and connections of the
   * embedder the builder built; an embedder passed to {@link Builder#embedder(Embedder)} stays open.
   * Later calls fail with an {@link IllegalStateException}.
   */
  public void close() {
    closed = true;
    variants.values().forEach(Embedder::close);
    if (ownsEmbedder) {
      embedder.close();
    }
  }

  @Override
  public String toString() {
    return "Embed4jEmbeddingModel{" + embedder + "}";
  }

  private static List<String> texts(EmbeddingRequest request) {
    List<EmbeddingInput> inputs = request.inputs();
    List<String> texts = new ArrayList<>(inputs.size());
    for (EmbeddingInput input : inputs) {
      texts.add(input.text());
    }
    return texts;
  }

  private static EmbeddingResponse response(EmbeddingRun run) {
    List<float[]> vectors = run.vectors();
    List<Embedding> embeddings = new ArrayList<>(vectors.size());
    for (float[] v : vectors) {
      embeddings.add(new Embedding(v));
    }
    return EmbeddingResponse.builder().embeddings(embeddings).metadata(new Embed4jResponseMetadata(run)).build();
  }

  /** The embedder for a call's parameters: this model's own, or one derived from it. */
  private Embedder embedderFor(EmbeddingRequestParameters parameters) {
    if (closed) {
      throw new IllegalStateException("This Embed4jEmbeddingModel is closed");
    }
    ModelSpec base = embedder.model();
    ModelSpec model = resolve(parameters.modelName());
    int dimensions = parameters.dimensions() != null ? parameters.dimensions()
        : model.equals(base) ? embedder.dimensions() : model.dimensions();
    InputType inputType = parameters.inputType() != null ? toEmbed4j(parameters.inputType()) : embedder.inputType();
    if (model.equals(base) && dimensions == embedder.dimensions() && inputType == embedder.inputType()) {
      return embedder;
    }
    return variants.computeIfAbsent(new Variant(model, dimensions, inputType), this::derive);
  }

  private Embedder derive(Variant v) {
    try {
      return embedder.newBuilder().model(v.model()).dimensions(v.dimensions()).inputType(v.inputType()).build();
    } catch (IllegalArgumentException | IllegalStateException e) {
      throw new InvalidRequestException(e.getMessage(), e);
    }
  }

  private ModelSpec resolve(String name) {
    ModelSpec base = embedder.model();
    if (name == null || name.equals(base.name()) || name.equals(base.id())) {
      return base;
    }
    ModelSpec model;
    try {
      model = registry.get(name);
    } catch (IllegalArgumentException e) {
      throw new ModelNotFoundException(e.getMessage(), e);
    }
    if (!model.provider().equals(base.provider()) || !isBuiltIn(base.provider())) {
      throw new InvalidRequestException("modelName '" + name + "' (" + model.id() + ") cannot be served by this "
          + "model, which sends to " + base.id() + (isBuiltIn(base.provider())
              ? " with its key and base URL. Build another Embed4jEmbeddingModel for " + model.provider() + "."
              : " through its own provider. Build another Embed4jEmbeddingModel for it."));
    }
    return model;
  }

  private static boolean isBuiltIn(String provider) {
    return provider.equals("openai") || provider.equals("cohere");
  }

  private static boolean takesInputType(Embedder embedder) {
    return embedder.model().provider().equals("cohere") || embedder.inputType() != null;
  }

  private static InputType toEmbed4j(EmbeddingInputType type) {
    return type == EmbeddingInputType.QUERY ? InputType.SEARCH_QUERY : InputType.SEARCH_DOCUMENT;
  }

  private static EmbeddingInputType toLangChain4j(InputType type) {
    if (type == InputType.SEARCH_QUERY) {
      return EmbeddingInputType.QUERY;
    }
    return type == InputType.SEARCH_DOCUMENT ? EmbeddingInputType.DOCUMENT : null;
  }

  private record Variant(ModelSpec model, int dimensions, InputType inputType) {}

  /**
   * Configures an {@link Embed4jEmbeddingModel}: either the engine settings below, each passed to
   * an {@link Embedder.Builder} and checked at once, or a ready {@link #embedder(Embedder)}. Any
   * other {@link Embedder.Builder} setting is reachable through {@link #customizeEmbedder(Consumer)}.
   */
  public static final class Builder {
    private final Embedder.Builder engine = Embedder.builder();
    private final List<String> engineSettings = new ArrayList<>();
    private Embedder embedder;
    private ModelRegistry registry = ModelRegistry.defaults();
    private final List<EmbeddingModelListener> listeners = new ArrayList<>();

    private Builder() {}

    /**
     * The model, by registry name ({@code text-embedding-3-small}, {@code embed-english-v3.0}) or
     * {@code provider:name} ({@code cohere:embed-v4.0}). Default {@code text-embedding-3-small}.
     */
    public Builder modelName(String modelName) {
      engine.model(modelName);
      return engineSetting("modelName");
    }

    /**
     * The API key. Default: {@code OPENAI_API_KEY} or {@code COHERE_API_KEY}, for the model's
     * provider. Never logged or put in an exception.
     */
    public Builder apiKey(String apiKey) {
      engine.apiKey(apiKey);
      return engineSetting("apiKey");
    }

    /**
     * The provider's base URL. Default: {@code OPENAI_BASE_URL} or {@code COHERE_BASE_URL}, else the
     * provider's public endpoint. Plain {@code http} only on loopback.
     */
    public Builder baseUrl(String baseUrl) {
      engine.baseUrl(baseUrl);
      return engineSetting("baseUrl");
    }

    /** Shorter vectors, where the model supports them. Default: the model's native dimensions. */
    public Builder dimensions(int dimensions) {
      engine.dimensions(dimensions);
      return engineSetting("dimensions");
    }

    /**
     * The input type of calls that set none, for Cohere ({@code DOCUMENT}, the default, or
     * {@code QUERY}); OpenAI models take none and fail at {@link #build()}.
     */
    public Builder inputType(EmbeddingInputType inputType) {
      engine.inputType(inputType == null ? null : toEmbed4j(inputType));
      return engineSetting("inputType");
    }

    /** The most texts per request. Default 64, capped at the model's maximum; batches are also bounded by tokens. */
    public Builder batchSize(int batchSize) {
      engine.batchSize(batchSize);
      return engineSetting("batchSize");
    }

    /** The most requests under way at once. Default 16. */
    public Builder maxConcurrentRequests(int max) {
      engine.maxConcurrentRequests(max);
      return engineSetting("maxConcurrentRequests");
    }

    /** How many times a batch is sent at most, the first attempt included. Default 5. */
    public Builder maxAttempts(int maxAttempts) {
      engine.maxAttempts(maxAttempts);
      return engineSetting("maxAttempts");
    }

    /** The longest one request may take. Default 60 s. */
    public Builder requestTimeout(Duration timeout) {
      engine.requestTimeout(timeout);
      return engineSetting("requestTimeout");
    }

    /** A budget in US dollars for each call: batches that would exceed it are not sent. Default: none. */
    public Builder maxCost(BigDecimal dollars) {
      engine.maxCost(dollars);
      return engineSetting("maxCost");
    }

    /** A console progress bar (or progress log lines) and a summary line per call. Default false. */
    public Builder showProgress(boolean show) {
      engine.showProgress(show);
      return engineSetting("showProgress");
    }

    /** Adds an Embed4j listener, which sees every run, batch, retry and rate-limit wait. */
    public Builder embedListener(EmbedListener listener) {
      engine.listener(listener);
      return engineSetting("embedListener");
    }

    /** Applies any other {@link Embedder.Builder} setting, e.g. {@code b -> b.tokensPerMinute(1_000_000)}. */
    public Builder customizeEmbedder(Consumer<Embedder.Builder> customizer) {
      Objects.requireNonNull(customizer, "customizer").accept(engine);
      return engineSetting("customizeEmbedder");
    }

    /**
     * Where {@link #modelName(String)} and the per-call {@code modelName} parameter look models
     * up. Default {@link ModelRegistry#defaults()}.
     */
    public Builder registry(ModelRegistry registry) {
      this.registry = Objects.requireNonNull(registry, "registry");
      engine.registry(registry);
      return this;
    }

    /**
     * Uses this embedder, configured in full, instead of building one; then no engine setting
     * of this builder may be used. {@link Embed4jEmbeddingModel#close()} leaves it open.
     */
    public Builder embedder(Embedder embedder) {
      this.embedder = Objects.requireNonNull(embedder, "embedder");
      return this;
    }

    /** The LangChain4j listeners, notified once per call; replaces any set before. */
    public Builder listeners(List<EmbeddingModelListener> listeners) {
      Objects.requireNonNull(listeners, "listeners");
      for (int i = 0; i < listeners.size(); i++) {
        Objects.requireNonNull(listeners.get(i), "listeners[" + i + "]");
      }
      this.listeners.clear();
      this.listeners.addAll(listeners);
      return this;
    }

    /**
     * Builds the model and, unless {@link #embedder(Embedder)} was given, its embedder.
     *
     * @throws IllegalArgumentException if the model is unknown
     * @throws IllegalStateException if the settings do not fit together (no API key, an input
     *     type for OpenAI, dimensions the model does not accept), or if engine settings were
     *     given together with {@link #embedder(Embedder)}
     */
    public Embed4jEmbeddingModel build() {
      if (embedder != null) {
        if (!engineSettings.isEmpty()) {
          throw new IllegalStateException("embedder(...) was given together with " + String.join(", ",
              engineSettings) + ": set those on the Embedder's builder instead, or drop embedder(...)");
        }
        return new Embed4jEmbeddingModel(embedder, false, registry, listeners);
      }
      return new Embed4jEmbeddingModel(engine.build(), true, registry, listeners);
    }

    private Builder engineSetting(String name) {
      if (!engineSettings.contains(name)) {
        engineSettings.add(name);
      }
      return this;
    }
  }
}
