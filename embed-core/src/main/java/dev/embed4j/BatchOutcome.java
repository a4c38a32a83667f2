package dev.embed4j;

import java.math.BigDecimal;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * What happened to one batch of a run: which inputs it carried, whether it succeeded, the tokens
 * the server billed for it and their cost, how many attempts it took, and the error if it failed.
 * Immutable.
 *
 * <p>Tokens and cost are those of the one successful attempt, as the server reported them: failed
 * attempts are not billed by the providers and are not counted here. A failed batch has zero tokens
 * and cost and no vectors.
 */
public interface BatchOutcome {

  /** The id of the run this batch belongs to. */
  String runId();

  /** The model id, {@code provider:name}. */
  String model();

  /** The batch number within its run, from 0. */
  int id();

  /** The positions, in the run's input list, of the texts this batch carried, ascending. */
  List<Integer> inputIndices();

  /** The input indices in compact form, {@code 0-63} or {@code 3,7,9}, for messages and logs. */
  String describeInputs();

  /** How many texts the batch carried. */
  int size();

  /** The vectors, in the order of {@link #inputIndices()}; empty if the batch failed. */
  List<float[]> vectors();

  /** Tokens billed for the batch, as the server reported them; 0 if it failed. */
  long tokens();

  /**
   * Whether {@link #tokens()} (and so {@link #cost()}) is Embed4j's estimate rather than the
   * provider's count: the provider reported no usage (Google Gemini never does), so the batch's
   * tokens are those counted before sending, with {@code cl100k_base}. False for a failed batch.
   */
  default boolean tokensEstimated() {
    return false;
  }

  /** US dollars for {@link #tokens()} at the model's registry price; 0 if it failed. */
  BigDecimal cost();

  /** Requests sent for this batch, including the successful one; 0 if it was never sent. */
  int attempts();

  /** Attempts that failed with a retryable error and were sent again. */
  int retries();

  /**
   * Attempts the provider answered as rate limited ({@link Embed4jException#isRateLimited()}),
   * retried or not. {@link EmbeddingRun#rateLimited()}, the progress line and the Spring Boot
   * meters all add up this count.
   */
  int rateLimited();

  /** From the first attempt to the final outcome, including waits. */
  Duration duration();

  /** Whether the batch's vectors were received and placed. */
  boolean succeeded();

  /** Why the batch failed; empty if it succeeded. */
  Optional<Embed4jException> error();

  /** Why the run stopped before embedding this batch, if that is why it failed. */
  default Optional<StopReason> stopReason() {
    return error().flatMap(Embed4jException::stopReason);
  }
}
