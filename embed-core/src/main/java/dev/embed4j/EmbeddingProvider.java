package dev.embed4j;

import java.io.IOException;
import java.time.Duration;
import java.util.List;

/**
 * The service provider interface behind an {@link Embedder}: embeds one batch of texts. The
 * OpenAI and Cohere providers are built in; implement this to drive another model through the
 * engine's batching, concurrency, retries, progress, listeners and cost figures (the
 * {@code embed-langchain4j} module wraps any LangChain4j {@code EmbeddingModel} this way).
 *
 * <p>{@link #embed(Request)} is called from many threads at once and must be thread-safe. It
 * either returns one vector per text, in the order of the texts, or throws:
 * <ul>
 *   <li>{@link ProviderException} for a classified failure; retried if
 *       {@link ProviderException#isRetryable()}, and a {@link RateLimitException} pauses the whole
 *       pool; an {@link AuthenticationException} stops the run;
 *   <li>{@link IOException} for a transport failure, which is retried;
 *   <li>any other runtime exception, which fails the batch without a retry.
 * </ul>
 */
public interface EmbeddingProvider extends AutoCloseable {

  /** The provider id models are registered under, e.g. {@code openai}. */
  String id();

  /** Embeds one batch. */
  Result embed(Request request) throws IOException;

  /** Releases what the provider holds. The default does nothing. */
  @Override
  default void close() {}

  /**
   * One batch to embed.
   *
   * @param model the model
   * @param texts the texts, already validated (none null or blank)
   * @param dimensions the requested dimensions; equal to {@code model.dimensions()} for native
   * @param inputType what the texts are for, or null where the model takes none
   * @param truncate whether the provider may truncate texts over the model's per-input limit
   * @param cancellation signals that the run was cancelled; long calls should stop
   */
  record Request(ModelSpec model, List<String> texts, int dimensions, InputType inputType, boolean truncate,
      Cancellation cancellation) {
    public Request {
      texts = List.copyOf(texts);
    }
  }

  /**
   * The provider's answer to one batch.
   *
   * @param vectors one vector per text, in the order of the request's texts
   * @param tokens the tokens the provider billed, or -1 if it does not say
   * @param limits the rate-limit state the provider reported, or {@link Limits#UNKNOWN}
   */
  record Result(List<float[]> vectors, long tokens, Limits limits) {
    public Result {
      vectors = List.copyOf(vectors);
      limits = limits == null ? Limits.UNKNOWN : limits;
    }
  }

  /**
   * A provider's rate-limit state, as OpenAI reports it in {@code x-ratelimit-*} headers. A value
   * of -1 (or a null duration) means not reported.
   */
  record Limits(long requestLimit, long requestsRemaining, Duration requestsReset, long tokenLimit,
      long tokensRemaining, Duration tokensReset) {
    public static final Limits UNKNOWN = new Limits(-1, -1, null, -1, -1, null);

    public boolean isKnown() {
      return requestLimit > 0 || tokenLimit > 0;
    }
  }

  /** Lets a provider learn that the run was cancelled, to abort a call under way. */
  interface Cancellation {
    Cancellation NONE = new Cancellation() {
      @Override
      public boolean isCancelled() {
        return false;
      }

      @Override
      public Runnable onCancel(Runnable action) {
        return () -> {};
      }
    };

    boolean isCancelled();

    /**
     * Runs {@code action} when the run is cancelled, at once if it already is. Returns a handle
     * that unregisters the action: call it when the call it cancels is over.
     */
    Runnable onCancel(Runnable action);
  }
}
