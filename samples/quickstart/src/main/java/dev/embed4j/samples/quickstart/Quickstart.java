package dev.embed4j.samples.quickstart;

import dev.embed4j.Embedder;
import dev.embed4j.EmbeddingRun;
import java.io.PrintStream;
import java.time.Duration;
import java.util.List;
import java.util.function.UnaryOperator;

/**
 * Embeds three sentences and prints how many vectors came back, their dimensions, the tokens billed
 * and what they cost. Uses OpenAI's {@code text-embedding-3-small} if core finds an OpenAI key
 * ({@code OPENAI_API_KEY}, with {@code OPENAI_BASE_URL} if set), else Cohere's {@code
 * embed-english-v3.0} with {@code COHERE_API_KEY}; the {@code embed4j.openai.api-key} / {@code
 * embed4j.cohere.api-key} names are looked up first, as everywhere in Embed4j.
 *
 * <pre>{@code java -jar samples/quickstart/target/quickstart.jar}</pre>
 */
public final class Quickstart {
  /** The models tried, in order: the first whose provider's key is found is used. */
  static final List<String> MODELS = List.of("text-embedding-3-small", "cohere:embed-english-v3.0");

  static final List<String> SENTENCES =
      List.of(
          "Embed4j sends batches in parallel and keeps every vector at its input's index.",
          "A 429 pauses the whole pool, not just the request that received it.",
          "Every run reports the tokens the provider billed and what they cost.");

  public static void main(String[] args) {
    System.exit(run(System::getenv, System.out));
  }

  static int run(UnaryOperator<String> env, PrintStream out) {
    // Core resolves keys: ask it whether one is found for a model's provider.
    String model =
        MODELS.stream()
            .filter(m -> Embedder.builder().model(m).environment(env).apiKeyFound())
            .findFirst()
            .orElse(null);
    if (model == null) {
      out.println(
          "No API key found. Set OPENAI_API_KEY (or COHERE_API_KEY) and run again;"
              + " for an offline run see samples/langchain4j-rag.");
      return 2;
    }
    // README quick start: begin
    try (Embedder embedder =
        Embedder.builder()
            .model(model) // key and base URL from the environment
            .batchSize(64)
            .maxConcurrentRequests(16)
            .maxAttempts(5)
            .requestTimeout(Duration.ofSeconds(30))
            .environment(env)
            .build()) {
      EmbeddingRun run = embedder.embed(SENTENCES);
      List<float[]> vectors = run.vectors(); // in input order; throws if a batch failed
      out.printf(
          "%d vectors of %d dimensions from %s%n",
          vectors.size(), run.dimensions(), run.model().id());
      out.printf("%d tokens, %s%n", run.tokens(), EmbeddingRun.formatDollars(run.cost()));
      out.println(run.summary());
    }
    // README quick start: end
    return 0;
  }

  private Quickstart() {}
}
