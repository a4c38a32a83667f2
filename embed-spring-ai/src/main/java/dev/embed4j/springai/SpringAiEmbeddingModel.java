package dev.embed4j.springai;

import dev.embed4j.Embedder;
import dev.embed4j.EmbeddingRun;
import dev.embed4j.IncompleteRunException;
import dev.embed4j.InvalidInputException;
import io.micrometer.observation.ObservationRegistry;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.jspecify.annotations.Nullable;
import org.springframework.ai.chat.metadata.DefaultUsage;
import org.springframework.ai.document.Document;
import org.springframework.ai.document.MetadataMode;
import org.springframework.ai.embedding.BatchingStrategy;
import org.springframework.ai.embedding.Embedding;
import org.springframework.ai.embedding.EmbeddingModel;
import org.springframework.ai.embedding.EmbeddingOptions;
import org.springframework.ai.embedding.EmbeddingRequest;
import org.springframework.ai.embedding.EmbeddingResponse;
import org.springframework.ai.embedding.EmbeddingResponseMetadata;
import org.springframework.ai.embedding.observation.DefaultEmbeddingModelObservationConvention;
import org.springframework.ai.embedding.observation.EmbeddingModelObservationContext;
import org.springframework.ai.embedding.observation.EmbeddingModelObservationConvention;
import org.springframework.ai.embedding.observation.EmbeddingModelObservationDocumentation;

/**
 * A Spring AI {@link EmbeddingModel} backed by an Embed4j {@link Embedder}: every call is one
 * Embed4j run, so a vector store's {@code add} of 50,000 documents is validated, packed into
 * batches bounded by the provider's real limits (inputs <em>and</em> tokens per request), sent many
 * at once, retried where it can be, kept under the rate limits and priced.
 *
 * <pre>{@code
 * Embedder embedder = Embedder.builder()
 *     .model("text-embedding-3-small")           // key from OPENAI_API_KEY
 *     .maxConcurrentRequests(16)
 *     .build();
 * SpringAiEmbeddingModel model = SpringAiEmbeddingModel.builder(embedder)
 *     .observationRegistry(observationRegistry)  // optional: Spring AI's embedding observations
 *     .build();
 * List<float[]> vectors = model.embed(documents, EmbeddingOptions.builder().build(), new TokenCountBatchingStrategy());
 * EmbeddingResponse response = model.call(new EmbeddingRequest(texts, null));
 * BigDecimal dollars = (BigDecimal) response.getMetadata().get(SpringAiEmbeddingModel.COST_METADATA_KEY);
 * }</pre>
 *
 * <p><b>Batching.</b> {@link #embed(List, EmbeddingOptions, BatchingStrategy)}, the method vector
 * stores use, embeds all documents in one run whatever the {@code BatchingStrategy}: the engine
 * already splits by the model's inputs and tokens per request and sends the batches in parallel,
 * where Spring AI's default sends the strategy's batches one after another. Vectors come back in
 * document order. A document's text is its {@link Document#getFormattedContent(MetadataMode)
 * formatted content} in the {@link Builder#metadataMode(MetadataMode) metadata mode} ({@link
 * MetadataMode#EMBED} by default, as Spring AI's OpenAI model does). With an embedder in {@code
 * RunMode.BATCH_API} every call goes through OpenAI's Batch API at its price and waits until the
 * jobs have ended, up to 24 hours: give such a model to a vector store's bulk load, not to queries.
 *
 * <p><b>Options.</b> A request's {@link EmbeddingOptions#getModel() model} (another model of the
 * same provider, sent with the same key and base URL) and {@link EmbeddingOptions#getDimensions()
 * dimensions} (where the model can shorten its vectors) are honoured; other option fields are
 * ignored. Such calls run on the embedder {@link Embedder#with(String, Integer,
 * dev.embed4j.InputType) Embedder.with(model, dimensions, null)} derives: it shares the workers and
 * connections, is kept for later calls with the same options, and is counted in the embedder's
 * totals. A model that changes without dimensions gets its native dimensions.
 *
 * <p><b>Response.</b> One {@link Embedding} per input with its index; the {@link
 * EmbeddingResponseMetadata} carries the model name, a {@code Usage} with the billed tokens as
 * prompt and total tokens, the run's cost under {@link #COST_METADATA_KEY} and the {@link
 * EmbeddingRun} itself under {@link #RUN_METADATA_KEY}.
 *
 * <p><b>Observations.</b> Each call is observed as Spring AI's own models are ({@link
 * EmbeddingModelObservationDocumentation#EMBEDDING_MODEL_OPERATION}, observation {@code
 * gen_ai.client.operation}, {@link DefaultEmbeddingModelObservationConvention} unless {@link
 * Builder#observationConvention(EmbeddingModelObservationConvention) replaced}), so Spring AI's
 * {@code gen_ai.client.token.usage} metric and traces work unchanged. The request model and
 * dimensions in the context are the ones actually sent; the provider ({@code gen_ai.system}) is the
 * model's {@link dev.embed4j.ModelSpec#provider() provider id}.
 *
 * <p><b>Errors.</b> A null, empty or blank text, or one over the model's token limit, fails the
 * whole call before anything is sent with core's {@link InvalidInputException}, whose {@link
 * InvalidInputException#index() index} is the position in the request (texts are never silently
 * dropped). When batches fail after their retries the call throws an {@link IncompleteRunException}
 * naming them; its {@link IncompleteRunException#run() run} keeps the vectors that were embedded.
 * An unknown or foreign model, or dimensions the model does not accept, fail with the {@link
 * IllegalArgumentException} of {@link Embedder#with}.
 *
 * <p><b>Dimensions.</b> {@link #dimensions()} comes from the model registry and the embedder's
 * settings; it never calls the provider.
 *
 * <p>Thread-safe; share one instance. {@link #close()} (which Spring calls on a bean) stops later
 * calls; the embedder given to {@link #builder(Embedder)}, and those derived from it for request
 * options, stay its caller's to close.
 */
public final class SpringAiEmbeddingModel implements EmbeddingModel {

  /**
   * Metadata key of the call's cost in US dollars, a {@link BigDecimal}: billed tokens at the
   * registry price.
   */
  public static final String COST_METADATA_KEY = "embed4j.cost";

  /** Metadata key of the call's {@link EmbeddingRun}: batches, retries, duration, summary. */
  public static final String RUN_METADATA_KEY = "embed4j.run";

  private static final EmbeddingModelObservationConvention DEFAULT_CONVENTION =
      new DefaultEmbeddingModelObservationConvention();

  private final Embedder embedder;
  private final MetadataMode metadataMode;
  private final ObservationRegistry observationRegistry;
  private final @Nullable EmbeddingModelObservationConvention observationConvention;
  private volatile boolean closed;

  private SpringAiEmbeddingModel(Builder b) {
    this.embedder = b.embedder;
    this.metadataMode = b.metadataMode;
    this.observationRegistry = b.observationRegistry;
    this.observationConvention = b.observationConvention;
  }

  /**
   * A builder for a model that sends through {@code embedder}. The embedder stays the caller's:
   * {@link #close()} does not close it.
   */
  public static Builder builder(Embedder embedder) {
    return new Builder(Objects.requireNonNull(embedder, "embedder"));
  }

  /**
   * Embeds the request's texts in one run, observed.
   *
   * @throws InvalidInputException if a text is null, blank or too long (nothing is sent)
   * @throws IncompleteRunException if some batches failed after their retries
   * @throws IllegalArgumentException if the options name a model this model cannot serve or
   *     dimensions the model does not accept
   * @throws IllegalStateException if this model is closed
   */
  @Override
  public EmbeddingResponse call(EmbeddingRequest request) {
    Objects.requireNonNull(request, "request");
    Embedder target = embedderFor(request.getOptions());
    List<String> texts = request.getInstructions();
    EmbeddingRequest sent =
        new EmbeddingRequest(
            texts,
            EmbeddingOptions.builder()
                .model(target.model().name())
                .dimensions(target.dimensions())
                .build());
    EmbeddingModelObservationContext context =
        EmbeddingModelObservationContext.builder()
            .embeddingRequest(sent)
            .provider(target.model().provider())
            .build();
    return EmbeddingModelObservationDocumentation.EMBEDDING_MODEL_OPERATION
        .observation(observationConvention, DEFAULT_CONVENTION, () -> context, observationRegistry)
        .observe(
            () -> {
              EmbeddingResponse response = response(target.embed(texts));
              context.setResponse(response);
              return response;
            });
  }

  /**
   * Embeds one document, as {@link #call(EmbeddingRequest)} with its {@link
   * #getEmbeddingContent(Document) content}.
   *
   * @throws InvalidInputException if the document has no text (media) or a blank one
   */
  @Override
  public float[] embed(Document document) {
    Objects.requireNonNull(document, "document");
    return call(new EmbeddingRequest(Arrays.asList(content(document, 0)), null))
        .getResult()
        .getOutput();
  }

  /**
   * Embeds all {@code documents} in one parallel run and returns their vectors in document order.
   * {@code batchingStrategy} is not used: the engine batches by the model's real limits.
   *
   * @throws InvalidInputException naming the document's index if one has no text or a blank one
   * @throws IncompleteRunException if some batches failed after their retries
   */
  @Override
  public List<float[]> embed(
      List<Document> documents,
      @Nullable EmbeddingOptions options,
      BatchingStrategy batchingStrategy) {
    Objects.requireNonNull(documents, "documents");
    List<String> texts = new ArrayList<>(documents.size());
    for (int i = 0; i < documents.size(); i++) {
      Document document = documents.get(i);
      if (document == null) {
        throw new InvalidInputException(i, "Document " + i + " is null. Nothing was sent.");
      }
      texts.add(content(document, i));
    }
    List<Embedding> results = call(new EmbeddingRequest(texts, options)).getResults();
    List<float[]> vectors = new ArrayList<>(results.size());
    for (Embedding e : results) {
      vectors.add(e.getOutput());
    }
    return vectors;
  }

  /** The document's formatted content in this model's metadata mode. */
  @Override
  public String getEmbeddingContent(Document document) {
    return document.getFormattedContent(metadataMode);
  }

  /**
   * The dimensions of this model's vectors, from the registry and the embedder; no call is made.
   */
  @Override
  public int dimensions() {
    return embedder.dimensions();
  }

  /**
   * The embedder behind this model, for {@link Embedder#estimate(List) estimates} and {@link
   * Embedder#retryFailed(EmbeddingRun) retries}.
   */
  public Embedder embedder() {
    return embedder;
  }

  /**
   * Stops this model: later calls fail with an {@link IllegalStateException}. The embedder given to
   * the builder stays open, and with it the embedders derived for request options, which it closes.
   */
  public void close() {
    closed = true;
  }

  @Override
  public String toString() {
    return "SpringAiEmbeddingModel{" + embedder + "}";
  }

  private String content(Document document, int index) {
    if (!document.isText()) {
      throw new InvalidInputException(
          index,
          "Document "
              + index
              + " (id "
              + document.getId()
              + ") holds media, not text: Embed4j embeds text only. Nothing was sent.");
    }
    return getEmbeddingContent(document);
  }

  private static EmbeddingResponse response(EmbeddingRun run) {
    List<float[]> vectors = run.vectors();
    List<Embedding> embeddings = new ArrayList<>(vectors.size());
    for (int i = 0; i < vectors.size(); i++) {
      embeddings.add(new Embedding(vectors.get(i), i));
    }
    int tokens = (int) Math.min(Integer.MAX_VALUE, run.tokens());
    EmbeddingResponseMetadata metadata =
        new EmbeddingResponseMetadata(
            run.model().name(),
            new DefaultUsage(tokens, 0, tokens),
            Map.of(COST_METADATA_KEY, run.cost(), RUN_METADATA_KEY, run));
    return new EmbeddingResponse(embeddings, metadata);
  }

  /** The embedder for a request's options: this model's own, or the one it derives for them. */
  private Embedder embedderFor(@Nullable EmbeddingOptions options) {
    if (closed) {
      throw new IllegalStateException("This SpringAiEmbeddingModel is closed");
    }
    if (options == null) {
      return embedder;
    }
    String model = options.getModel();
    return embedder.with(
        model == null || model.isBlank() ? null : model, options.getDimensions(), null);
  }

  /** Configures a {@link SpringAiEmbeddingModel}; every setter checks its argument at once. */
  public static final class Builder {
    private final Embedder embedder;
    private MetadataMode metadataMode = MetadataMode.EMBED;
    private ObservationRegistry observationRegistry = ObservationRegistry.NOOP;
    private @Nullable EmbeddingModelObservationConvention observationConvention;

    private Builder(Embedder embedder) {
      this.embedder = embedder;
    }

    /** Which document metadata goes into the embedded text. Default {@link MetadataMode#EMBED}. */
    public Builder metadataMode(MetadataMode metadataMode) {
      this.metadataMode = Objects.requireNonNull(metadataMode, "metadataMode");
      return this;
    }

    /** Where calls are observed. Default {@link ObservationRegistry#NOOP}: not observed. */
    public Builder observationRegistry(ObservationRegistry observationRegistry) {
      this.observationRegistry = Objects.requireNonNull(observationRegistry, "observationRegistry");
      return this;
    }

    /**
     * A convention to name the observations and their key values instead of {@link
     * DefaultEmbeddingModelObservationConvention}.
     */
    public Builder observationConvention(EmbeddingModelObservationConvention convention) {
      this.observationConvention = Objects.requireNonNull(convention, "observationConvention");
      return this;
    }

    public SpringAiEmbeddingModel build() {
      return new SpringAiEmbeddingModel(this);
    }
  }
}
