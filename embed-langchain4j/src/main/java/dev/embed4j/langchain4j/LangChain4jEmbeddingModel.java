package dev.embed4j.langchain4j;

import static dev.embed4j.InputType.SEARCH_DOCUMENT;
import static dev.embed4j.InputType.SEARCH_QUERY;
import static dev.langchain4j.model.embedding.request.EmbeddingInputType.DOCUMENT;
import static dev.langchain4j.model.embedding.request.EmbeddingInputType.QUERY;

import dev.embed4j.Embedder;
import dev.embed4j.EmbeddingRun;
import dev.embed4j.InputType;
import dev.embed4j.ModelSpec;
import dev.langchain4j.data.embedding.Embedding;
import dev.langchain4j.data.message.ContentType;
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
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.CompletableFuture;

/**
 * A LangChain4j {@link EmbeddingModel} backed by an Embed4j {@link Embedder}: {@code embedAll} of
 * 50,000 segments is validated, packed into batches bounded by count and by tokens, sent many at
 * once, retried where it can be, kept under the provider's rate limits, and priced. The engine
 * (model, key, base URL, batching, concurrency, retries, Embed4j listeners) is configured on the
 * {@link Embedder.Builder}; this class only translates.
 *
 * <pre>{@code
 * Embedder embedder = Embedder.builder().model("text-embedding-3-small").build(); // OPENAI_API_KEY
 * LangChain4jEmbeddingModel model = LangChain4jEmbeddingModel.builder(embedder).build();
 * EmbeddingResponse response = model.embed(EmbeddingRequest.builder().textSegments(docs).build());
 * Embed4jResponseMetadata metadata = (Embed4jResponseMetadata) response.metadata();
 * System.out.println(metadata.run().summary()); // Embedded 50000 texts in 782 batches | ...
 * }</pre>
 *
 * <p><b>One call, one run.</b> Every {@code embed}/{@code embedAll}/{@code embedAsync} call is one
 * Embed4j run: LangChain4j {@link #listeners() listeners} are notified once per call, and the
 * response's {@link Embed4jResponseMetadata metadata} carries the run, its tokens and its cost (the
 * legacy {@code embed(String)} and {@code embedAll(List)} keep the tokens only; a listener's {@code
 * embeddingResponse().metadata()} has the run). {@link #doEmbedAsync} blocks no thread, and
 * cancelling its future cancels the run's calls under way. With an embedder in {@code
 * RunMode.BATCH_API} every call goes through OpenAI's Batch API at its price and a blocking call
 * waits until the jobs have ended, up to 24 hours: give such a model to ingestion, not to queries.
 *
 * <p><b>Per-call parameters</b> {@code MODEL_NAME} (a model of the same provider, sent with the
 * same key and base URL), {@code DIMENSIONS} where the model shortens its vectors and {@code
 * INPUT_TYPE} where its provider takes one (Cohere: {@code QUERY} is {@code search_query}, {@code
 * DOCUMENT} {@code search_document}) run on the embedder {@link Embedder#with(String, Integer,
 * InputType)} derives for them, which shares its connections and workers and counts in its totals.
 *
 * <p><b>Images.</b> For a model that embeds images ({@code embed-v4.0}), an input of {@code
 * ImageContent}, alone or interleaved with {@code TextContent}, is embedded into one vector through
 * {@link Embedder#embedInputs(List)}: same order, batching, retries and cost figures as text, image
 * tokens priced at the model's image rate. The image must be inline (base64 with its MIME type, or
 * a {@code data:} URI): Embed4j fetches no URL.
 *
 * <p><b>Errors</b> are LangChain4j exceptions with Embed4j's message and the Embed4j exception as
 * cause: an unknown model is a {@code ModelNotFoundException}; a model of another provider,
 * dimensions the model rejects, a blank or too long input (naming its index) an {@code
 * InvalidRequestException}. When batches fail after their retries the type follows the first
 * failure ({@code AuthenticationException}, {@code RateLimitException}, {@code
 * InternalServerException}, ...) and the cause is an {@link dev.embed4j.IncompleteRunException}
 * whose run {@link Embedder#retryFailed(EmbeddingRun) embedder().retryFailed(run)} completes.
 *
 * <p><b>Lifecycle.</b> Thread-safe; share one instance. The embedder stays its builder's: several
 * models may share it, so {@link #close()} only stops this model, and closing the embedder (which
 * closes the embedders derived from it) is left to whoever built it; its threads are daemons. Like
 * LangChain4j's models this class is not {@link AutoCloseable}, since tools handed one close it
 * after use (JUnit does with parameterized-test arguments).
 */
public final class LangChain4jEmbeddingModel implements EmbeddingModel {
  private final Embedder embedder;
  private final List<EmbeddingModelListener> listeners;
  private final Set<EmbeddingParameter<?>> supportedParameters;
  private final EmbeddingRequestParameters defaultParameters;
  private final Set<ContentType> contentTypes;
  private volatile boolean closed;

  private LangChain4jEmbeddingModel(Builder b) {
    this.embedder = b.embedder;
    this.listeners = List.copyOf(b.listeners);
    ModelSpec model = embedder.model();
    Set<EmbeddingParameter<?>> supported = new LinkedHashSet<>();
    supported.add(EmbeddingRequestParameters.MODEL_NAME);
    if (model.supportsReducedDimensions()) {
      supported.add(EmbeddingRequestParameters.DIMENSIONS);
    }
    if (embedder.acceptsInputType()) {
      supported.add(EmbeddingRequestParameters.INPUT_TYPE);
    }
    this.supportedParameters = Set.copyOf(supported);
    this.contentTypes =
        model.acceptsImages()
            ? Set.of(ContentType.TEXT, ContentType.IMAGE)
            : Set.of(ContentType.TEXT);
    this.defaultParameters =
        EmbeddingRequestParameters.builder()
            .modelName(model.name())
            .dimensions(embedder.dimensions() == model.dimensions() ? null : embedder.dimensions())
            .inputType(toLangChain4j(embedder.inputType()))
            .build();
  }

  /**
   * A builder for a model that sends through {@code embedder}, configured in full. The embedder
   * stays the caller's: {@link #close()} does not close it.
   */
  public static Builder builder(Embedder embedder) {
    return new Builder(Objects.requireNonNull(embedder, "embedder"));
  }

  @Override
  public EmbeddingResponse doEmbed(EmbeddingRequest request) {
    try {
      Embedder target = embedderFor(request.parameters());
      return response(
          ContentInputs.hasImages(request)
              ? target.embedInputs(ContentInputs.of(request))
              : target.embed(texts(request)));
    } catch (RuntimeException e) {
      throw Exceptions.toLangChain4j(e);
    }
  }

  @Override
  public CompletableFuture<EmbeddingResponse> doEmbedAsync(EmbeddingRequest request) {
    CompletableFuture<EmbeddingRun> running;
    try {
      Embedder target = embedderFor(request.parameters());
      running =
          ContentInputs.hasImages(request)
              ? target.embedInputsAsync(ContentInputs.of(request))
              : target.embedAsync(texts(request));
    } catch (RuntimeException e) {
      return CompletableFuture.failedFuture(Exceptions.toLangChain4j(e));
    }
    CompletableFuture<EmbeddingResponse> result = new CompletableFuture<>();
    running.whenComplete(
        (run, error) -> {
          try {
            if (error != null) {
              result.completeExceptionally(Exceptions.toLangChain4j(error));
            } else {
              result.complete(response(run));
            }
          } catch (RuntimeException e) {
            result.completeExceptionally(Exceptions.toLangChain4j(e));
          }
        });
    result.whenComplete(
        (response, error) -> {
          if (result.isCancelled()) {
            running.cancel(true);
          }
        });
    return result;
  }

  /** The dimensions of the embedder's vectors, from the registry; never calls the provider. */
  @Override
  public int dimension() {
    return embedder.dimensions();
  }

  /** The model name sent to the provider, e.g. {@code text-embedding-3-small}. */
  @Override
  public String modelName() {
    return embedder.model().name();
  }

  /**
   * The {@link ModelProvider} whose name is the model's provider id, ignoring case, underscores and
   * a trailing "ai" ({@code OPEN_AI}, {@code COHERE}); {@code OTHER} for the others.
   */
  @Override
  public ModelProvider provider() {
    return providerOf(embedder.model());
  }

  @Override
  public List<EmbeddingModelListener> listeners() {
    return listeners;
  }

  /** The model name, and the embedder's dimensions and input type where not the model's default. */
  @Override
  public EmbeddingRequestParameters defaultRequestParameters() {
    return defaultParameters;
  }

  /**
   * {@code TEXT}, and {@code IMAGE} for a model that {@link ModelSpec#acceptsImages() embeds
   * images} (Cohere {@code embed-v4.0}): an input of images, or of text and images interleaved, is
   * embedded into one vector, with the order, retries and cost figures of text.
   */
  @Override
  public Set<ContentType> supportedContentTypes() {
    return contentTypes;
  }

  /** {@code MODEL_NAME}; {@code DIMENSIONS} and {@code INPUT_TYPE} where the model takes them. */
  @Override
  public Set<EmbeddingParameter<?>> supportedParameters() {
    return supportedParameters;
  }

  /**
   * The embedder behind this model, for what LangChain4j has no word for: {@link
   * Embedder#estimate(List) estimating} a run's cost before sending it, {@link
   * Embedder#retryFailed(EmbeddingRun) retrying} the failed batches of a run, or the {@link
   * Embedder#totalCost() total cost} of every call.
   */
  public Embedder embedder() {
    return embedder;
  }

  /**
   * Stops this model: later calls fail with an {@link IllegalStateException}. The embedder, and the
   * embedders derived from it for per-call parameters, stay open until the embedder is closed.
   */
  public void close() {
    closed = true;
  }

  @Override
  public String toString() {
    return "LangChain4jEmbeddingModel{" + embedder + "}";
  }

  /** The embedder for a call's parameters: this model's own, or the one derived from it. */
  private Embedder embedderFor(EmbeddingRequestParameters parameters) {
    if (closed) {
      throw new IllegalStateException("This LangChain4jEmbeddingModel is closed");
    }
    String name = parameters.modelName();
    try {
      return embedder.with(name, parameters.dimensions(), toEmbed4j(parameters.inputType()));
    } catch (IllegalArgumentException e) {
      throw isUnknown(name)
          ? new ModelNotFoundException(e.getMessage(), e)
          : new InvalidRequestException(e.getMessage(), e);
    }
  }

  private boolean isUnknown(String name) {
    ModelSpec base = embedder.model();
    if (name == null || name.equals(base.name()) || name.equals(base.id())) {
      return false;
    }
    try {
      return embedder.registry().find(name).isEmpty();
    } catch (IllegalArgumentException ambiguous) {
      return false;
    }
  }

  private static List<String> texts(EmbeddingRequest request) {
    return request.inputs().stream().map(EmbeddingInput::text).toList();
  }

  private static EmbeddingResponse response(EmbeddingRun run) {
    List<Embedding> embeddings = run.vectors().stream().map(Embedding::new).toList();
    return EmbeddingResponse.builder()
        .embeddings(embeddings)
        .metadata(new Embed4jResponseMetadata(run))
        .build();
  }

  private static ModelProvider providerOf(ModelSpec model) {
    String id = normalize(model.provider());
    for (ModelProvider p : ModelProvider.values()) {
      if (normalize(p.name()).equals(id)) {
        return p;
      }
    }
    return ModelProvider.OTHER;
  }

  private static String normalize(String name) {
    return name.replaceAll("[^A-Za-z0-9]", "").toLowerCase(Locale.ROOT).replaceFirst("ai$", "");
  }

  private static InputType toEmbed4j(EmbeddingInputType type) {
    return type == null ? null : type == QUERY ? SEARCH_QUERY : SEARCH_DOCUMENT;
  }

  private static EmbeddingInputType toLangChain4j(InputType type) {
    return type == SEARCH_QUERY ? QUERY : type == SEARCH_DOCUMENT ? DOCUMENT : null;
  }

  /** Configures a {@link LangChain4jEmbeddingModel}: the LangChain4j listeners, nothing else. */
  public static final class Builder {
    private final Embedder embedder;
    private final List<EmbeddingModelListener> listeners = new ArrayList<>();

    private Builder(Embedder embedder) {
      this.embedder = embedder;
    }

    /** The LangChain4j listeners, notified once per call; replaces any set before. Default none. */
    public Builder listeners(List<EmbeddingModelListener> listeners) {
      Objects.requireNonNull(listeners, "listeners");
      for (int i = 0; i < listeners.size(); i++) {
        Objects.requireNonNull(listeners.get(i), "listeners[" + i + "]");
      }
      this.listeners.clear();
      this.listeners.addAll(listeners);
      return this;
    }

    /** Builds the model; the embedder's settings were checked when it was built. */
    public LangChain4jEmbeddingModel build() {
      return new LangChain4jEmbeddingModel(this);
    }
  }
}
