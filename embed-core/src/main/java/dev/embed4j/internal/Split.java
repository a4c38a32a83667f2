package dev.embed4j.internal;

import dev.embed4j.Embed4jException;
import dev.embed4j.InvalidInputException;
import dev.embed4j.ModelSpec;
import dev.embed4j.ProviderException;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A batch the provider finds too large is split, never failed. The local token count is an estimate
 * wherever the model's tokenizer is not cl100k (Cohere's and Voyage's count more), so a batch
 * planned under the model's cap per request can still be refused as too large ({@link
 * ProviderException#isRequestTooLarge()}). Such a batch is cut in two halves of about equal
 * estimated tokens, each a batch of its own with a new id, sent in turn and halved again if need
 * be, down to single inputs; only a single input that is itself too long fails, as an {@link
 * InvalidInputException} naming its index. Each refusal also teaches the model's {@link
 * TokenDensity}, and a batch not yet sent whose estimate, so corrected, is over the cap is halved
 * before it goes: the rest of the run is planned smaller instead of bouncing off the cap.
 *
 * <p>Nothing is lost or shifted (the halves carry the inputs' own indices) and nothing is billed
 * twice (a refused request is billed by no provider, and its halves are billed once each). One per
 * run; thread-safe.
 */
final class Split {
  private static final Pattern COUNTED =
      Pattern.compile("(?i)\\b(?:requested|has|have|contains)\\s+(\\d{1,12})\\s+tokens");

  private final ModelSpec model;
  private final int[] tokens;
  private final TokenDensity density;
  private final AtomicInteger nextId;

  /**
   * @param tokens the estimated tokens of every input of the run, by index
   * @param nextId the id of the first half: one more than the run's last planned batch
   */
  Split(ModelSpec model, int[] tokens, TokenDensity density, int nextId) {
    this.model = model;
    this.tokens = tokens;
    this.density = density;
    this.nextId = new AtomicInteger(nextId);
  }

  /** Whether {@code failure} is the provider refusing a request as too large. */
  static boolean tooLarge(Embed4jException failure) {
    return failure instanceof ProviderException
        && ((ProviderException) failure).isRequestTooLarge();
  }

  /** Whether {@code batch}, not yet sent, is over the model's cap by the learned density. */
  boolean overCap(Batch batch) {
    return batch.indices().length > 1
        && density.corrected(batch.tokens()) > model.maxTokensPerRequest();
  }

  /** Learns from the provider's refusal of {@code batch} as too large. */
  void refused(Batch batch, Embed4jException failure) {
    density.refused(batch.tokens(), model.maxTokensPerRequest(), counted(failure.getMessage()));
  }

  /** The two halves of a batch of two or more inputs, each with a new id. */
  List<Batch> halves(Batch batch) {
    int[] indices = batch.indices();
    if (indices.length < 2) {
      throw new IllegalArgumentException("batch " + batch.id() + " has a single input");
    }
    long half = batch.tokens() / 2;
    long sum = 0;
    int cut = 1;
    for (int i = 0; i < indices.length - 1; i++) {
      sum += tokens[indices[i]];
      cut = i + 1;
      if (sum >= half) {
        break;
      }
    }
    long first = 0;
    for (int i = 0; i < cut; i++) {
      first += tokens[indices[i]];
    }
    return List.of(
        new Batch(nextId.getAndIncrement(), Arrays.copyOf(indices, cut), first),
        new Batch(
            nextId.getAndIncrement(),
            Arrays.copyOfRange(indices, cut, indices.length),
            batch.tokens() - first));
  }

  /** The failure of a one-input batch whose input the provider found too long. */
  InvalidInputException overLong(Batch batch, Embed4jException failure) {
    int index = batch.indices()[0];
    return new InvalidInputException(
        index,
        "Input "
            + index
            + " is too long for "
            + model.id()
            + " by the provider's count (estimated here at "
            + batch.tokens()
            + " tokens"
            + (model.hasExactTokenizer() ? "" : ", with a tokenizer that is not the model's")
            + "): "
            + failure.getMessage()
            + ". Split it into smaller chunks, or set truncate(true).",
        failure);
  }

  /** The tokens the provider says the request had, or -1 if its message does not say. */
  static long counted(String message) {
    if (message == null) {
      return -1;
    }
    Matcher m = COUNTED.matcher(message);
    return m.find() ? Long.parseLong(m.group(1)) : -1;
  }
}
