package dev.embed4j.spring.autoconfigure;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.Map;
import org.jspecify.annotations.Nullable;
import org.springframework.boot.actuate.endpoint.annotation.Endpoint;
import org.springframework.boot.actuate.endpoint.annotation.ReadOperation;
import org.springframework.boot.actuate.endpoint.annotation.Selector;

/**
 * The {@code embed4j} Actuator endpoint ({@code /actuator/embed4j}): per model, since the
 * application started, the texts, batches, tokens and dollars embedded, the retries and the
 * attempts answered 429, the texts answered from the cache or as duplicates and what they saved,
 * and the rate limits the provider last reported. It shows no key, no text and no vector.
 *
 * <p>Registered when Spring Boot Actuator is on the class path and the endpoint is available
 * ({@code management.endpoints.web.exposure.include=embed4j} to reach it over HTTP); counted by an
 * {@code EmbedListener} the starter adds to the auto-configured embedder and to those derived from
 * it. {@code /actuator/embed4j/{model}} reports one model, such as {@code
 * openai:text-embedding-3-small}.
 */
@Endpoint(id = "embed4j")
public final class Embed4jEndpoint {
  private final UsageListener usage;

  Embed4jEndpoint(UsageListener usage) {
    this.usage = usage;
  }

  /** Every model used so far. */
  @ReadOperation
  public Report report() {
    return usage.report();
  }

  /**
   * One model, or nothing (404) if it was not used.
   *
   * @param model the model id, {@code provider:name}
   */
  @ReadOperation
  public @Nullable ModelReport model(@Selector String model) {
    return usage.report().models().get(model);
  }

  /**
   * What was embedded since the application started.
   *
   * @param started when counting began
   * @param models by model id, {@code provider:name}
   */
  public record Report(Instant started, Map<String, ModelReport> models) {}

  /**
   * What one model embedded.
   *
   * @param runs runs finished
   * @param incompleteRuns of those, the runs with at least one text not embedded
   * @param texts texts embedded (in successful batches)
   * @param failedTexts texts of batches that failed
   * @param batches batches embedded
   * @param failedBatches batches that failed for good
   * @param tokens tokens billed, as the provider reported them
   * @param cost US dollars, from the tokens and the model's price
   * @param retries attempts sent again after a retryable failure
   * @param rateLimited attempts the provider answered with a rate limit (429)
   * @param cacheHits texts answered from the embedding cache, nothing sent
   * @param duplicates texts embedded once for several identical inputs
   * @param savedTokens tokens not billed thanks to the cache and dedupe
   * @param savedCost US dollars not spent thanks to the cache and dedupe
   * @param limits the rate limits the provider last reported, or null if it reported none
   */
  public record ModelReport(
      long runs,
      long incompleteRuns,
      long texts,
      long failedTexts,
      long batches,
      long failedBatches,
      long tokens,
      BigDecimal cost,
      long retries,
      long rateLimited,
      long cacheHits,
      long duplicates,
      long savedTokens,
      BigDecimal savedCost,
      @Nullable Limits limits) {}

  /**
   * Rate limits as the provider reported them in its {@code x-ratelimit-*} headers; a value it did
   * not report is null.
   *
   * @param requestsPerMinute requests allowed per minute
   * @param tokensPerMinute tokens allowed per minute
   * @param requestsRemaining requests left in the provider's window when reported
   * @param tokensRemaining tokens left in the provider's window when reported
   * @param reportedAt when the reply carrying them arrived
   */
  public record Limits(
      @Nullable Long requestsPerMinute,
      @Nullable Long tokensPerMinute,
      @Nullable Long requestsRemaining,
      @Nullable Long tokensRemaining,
      Instant reportedAt) {}
}
