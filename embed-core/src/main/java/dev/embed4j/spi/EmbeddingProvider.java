package dev.embed4j.spi;

import dev.embed4j.AuthenticationException;
import dev.embed4j.EmbedInput;
import dev.embed4j.InputType;
import dev.embed4j.ModelSpec;
import dev.embed4j.ProviderException;
import dev.embed4j.RateLimitException;
import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.Objects;

/**
 * The service provider interface behind an {@link dev.embed4j.Embedder}: embeds one batch of texts.
 * The built-in providers (OpenAI, Cohere) implement it; implement it yourself to drive another
 * model through the engine's batching, concurrency, retries, progress, listeners and cost figures
 * (the {@code embed-langchain4j} module wraps any LangChain4j {@code EmbeddingModel} this way) and
 * pass it to {@link dev.embed4j.Embedder.Builder#provider(EmbeddingProvider)}.
 *
 * <p>{@link #embed(Request)} is called from many threads at once and must be thread-safe. It either
 * returns one vector per text, in the order of the texts, or throws:
 *
 * <ul>
 *   <li>{@link ProviderException} for a classified failure (build it with {@link
 *       ProviderException#builder(String, String)}, which decides its type from the status):
 *       retried if {@link ProviderException#isRetryable()}; a {@link RateLimitException} pauses the
 *       whole pool; an {@link AuthenticationException} stops the run; one built with {@link
 *       ProviderException.Builder#requestTooLarge(boolean) requestTooLarge(true)} (the request had
 *       too many tokens or inputs) splits the batch in halves instead of failing it;
 *   <li>{@link IOException} for a transport failure, which is retried;
 *   <li>any other runtime exception, which fails the batch without a retry.
 * </ul>
 */
public interface EmbeddingProvider extends AutoCloseable {

  /** The provider id models are registered under, e.g. {@code langchain4j}. */
  String id();

  /** Embeds one batch. */
  Result embed(Request request) throws IOException;

  /** Releases what the provider holds. The default does nothing. */
  @Override
  default void close() {}

  /**
   * One batch to embed, as the engine hands it to a provider: the texts are already validated (none
   * null or blank, none over the model's per-input limit unless {@link #truncate()}).
   */
  interface Request {

    /** The model. */
    ModelSpec model();

    /**
     * The texts, in the order their vectors must be returned. For a run of {@link EmbedInput}s with
     * images, each input's {@link EmbedInput#toString() description}: read {@link #inputs()}
     * instead.
     */
    List<String> texts();

    /**
     * The inputs, in the order their vectors must be returned: for a run of texts, each text as
     * {@link EmbedInput#text(String)}; for {@link dev.embed4j.Embedder#embedInputs(List)}, the
     * inputs with their images. Only a model that {@link ModelSpec#acceptsImages() accepts images}
     * is ever sent one.
     */
    default List<EmbedInput> inputs() {
      return texts().stream().map(EmbedInput::text).toList();
    }

    /** Whether any input has an image. */
    default boolean hasImages() {
      for (EmbedInput input : inputs()) {
        if (input.hasImage()) {
          return true;
        }
      }
      return false;
    }

    /** The requested dimensions; equal to {@code model().dimensions()} for the native ones. */
    int dimensions();

    /** What the texts are for, or null where the model takes none. */
    InputType inputType();

    /** Whether the provider may truncate texts over the model's per-input limit. */
    boolean truncate();

    /** Whether the run was cancelled: a long call should stop. */
    boolean isCancelled();

    /**
     * Runs {@code action} when the run is cancelled, at once if it already is. Returns a handle
     * that unregisters the action: call it when the call it cancels is over.
     */
    Runnable onCancel(Runnable action);

    /** A request that is never cancelled, for calling a provider directly. */
    static Request of(
        ModelSpec model,
        List<String> texts,
        int dimensions,
        InputType inputType,
        boolean truncate) {
      Objects.requireNonNull(model, "model");
      List<String> copy = List.copyOf(texts);
      return new Request() {
        @Override
        public ModelSpec model() {
          return model;
        }

        @Override
        public List<String> texts() {
          return copy;
        }

        @Override
        public int dimensions() {
          return dimensions;
        }

        @Override
        public InputType inputType() {
          return inputType;
        }

        @Override
        public boolean truncate() {
          return truncate;
        }

        @Override
        public boolean isCancelled() {
          return false;
        }

        @Override
        public Runnable onCancel(Runnable action) {
          return () -> {};
        }
      };
    }
  }

  /**
   * The provider's answer to one batch.
   *
   * @param vectors one vector per text, in the order of the request's texts
   * @param tokens the (text) tokens the provider billed, or -1 if it does not say
   * @param limits the rate-limit state the provider reported, or {@link Limits#UNKNOWN}
   * @param imageTokens the image tokens the provider billed (Cohere's {@code image_tokens}), priced
   *     at the model's {@link ModelSpec#pricePerMillionImageTokens() image rate}; 0 for none
   */
  record Result(List<float[]> vectors, long tokens, Limits limits, long imageTokens) {
    public Result {
      vectors = List.copyOf(vectors);
      limits = limits == null ? Limits.UNKNOWN : limits;
      imageTokens = Math.max(0, imageTokens);
    }

    /** A result without image tokens. */
    public Result(List<float[]> vectors, long tokens, Limits limits) {
      this(vectors, tokens, limits, 0);
    }
  }

  /**
   * A provider's rate-limit state, as OpenAI reports it in {@code x-ratelimit-*} headers. A value
   * of -1 (or a null duration) means not reported.
   */
  record Limits(
      long requestLimit,
      long requestsRemaining,
      Duration requestsReset,
      long tokenLimit,
      long tokensRemaining,
      Duration tokensReset) {
    public static final Limits UNKNOWN = new Limits(-1, -1, null, -1, -1, null);

    /** Whether the provider reported a requests or tokens limit. */
    public boolean isKnown() {
      return requestLimit > 0 || tokenLimit > 0;
    }
  }
}
