package dev.embed4j.langchain4j;

import dev.embed4j.EmbeddingRun;
import dev.langchain4j.model.embedding.response.EmbeddingResponseMetadata;
import dev.langchain4j.model.output.TokenUsage;
import java.math.BigDecimal;
import java.util.Objects;

/**
 * The metadata of every {@code EmbeddingResponse} of an {@link LangChain4jEmbeddingModel}: besides
 * LangChain4j's {@link #modelName()} and {@link #tokenUsage()} (input tokens as the provider billed
 * them), what the call cost and the Embed4j {@link EmbeddingRun} behind it, with its batches,
 * retries, rate-limit waits and timing.
 *
 * <pre>{@code
 * EmbeddingResponse response = model.embed(EmbeddingRequest.builder().textSegments(docs).build());
 * Embed4jResponseMetadata metadata = (Embed4jResponseMetadata) response.metadata();
 * System.out.println(metadata.cost());          // 0.000412 (US dollars)
 * System.out.println(metadata.run().summary());
 * // Embedded 2000 texts in 32 batches | 20600 tokens | $0.000412 | 840 ms
 * }</pre>
 *
 * <p>Immutable. The run's vectors are the arrays of the response's embeddings, not copies.
 */
public final class Embed4jResponseMetadata extends EmbeddingResponseMetadata {
  private final EmbeddingRun run;

  Embed4jResponseMetadata(EmbeddingRun run) {
    super(
        EmbeddingResponseMetadata.builder()
            .modelName(run.model().name())
            .tokenUsage(new TokenUsage((int) Math.min(Integer.MAX_VALUE, run.tokens()))));
    this.run = run;
  }

  /** The Embed4j run that embedded the request's inputs. */
  public EmbeddingRun run() {
    return run;
  }

  /**
   * US dollars the call cost: the billed tokens at the model's registry price ({@link
   * EmbeddingRun#cost()}).
   */
  public BigDecimal cost() {
    return run.cost();
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Embed4jResponseMetadata && ((Embed4jResponseMetadata) o).run == run;
  }

  @Override
  public int hashCode() {
    return Objects.hash(super.hashCode(), run.id());
  }

  @Override
  public String toString() {
    return "Embed4jResponseMetadata{modelName='"
        + modelName()
        + "', tokenUsage="
        + tokenUsage()
        + ", cost="
        + EmbeddingRun.formatDollars(run.cost())
        + ", run="
        + run.id()
        + '}';
  }
}
