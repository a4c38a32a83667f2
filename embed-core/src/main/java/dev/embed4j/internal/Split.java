package dev.embed4j.internal;

import dev.embed4j.Embed4jException;
import dev.embed4j.InvalidInputException;
import dev.embed4j.ModelSpec;
import dev.embed4j.ProviderException;
import dev.embed4j.internal.BatchResult.Attempts;
import java.util.Arrays;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.function.IntSupplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A batch the provider finds too large is split, never failed. The local token count is an estimate
 * wherever the model's tokenizer is not cl100k (Cohere's and Voyage's count more), so a batch
 * planned under the model's cap per request can still be refused as too large ({@link
 * ProviderException#isRequestTooLarge()}). Such a batch is cut in two halves of about equal
 * estimated tokens, each a batch of its own with a new id, put back on the run's queue for any free
 * worker ({@link #next()}, asked before the {@link Planner}) and halved again if need be, down to
 * single inputs; only a single input that is itself too long fails, as an {@link
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

  /** A half waiting for a worker, with the attempts of the refused batch it carries (or none). */
  record Half(Batch batch, Attempts carried) {}

  private final ModelSpec model;
  private final TokenDensity density;
  private final IntSupplier ids;
  private final Queue<Half> halves = new ConcurrentLinkedQueue<>();

  /** {@code ids}: the run's batch ids (the planner's), so that a half's id is unique in the run. */
  Split(ModelSpec model, TokenDensity density, IntSupplier ids) {
    this.model = model;
    this.density = density;
    this.ids = ids;
  }

  /** Whether {@code failure} is the provider refusing a request as too large. */
  static boolean tooLarge(Embed4jException failure) {
    return failure instanceof ProviderException
        && ((ProviderException) failure).isRequestTooLarge();
  }

  /** The next half to send, or null; never blocks (a worker asks before the planner). */
  Half next() {
    return halves.poll();
  }

  /**
   * Whether {@code batch}, not yet sent, is over the model's cap by the learned density (its inputs
   * counted exactly first if their bounds say so).
   */
  boolean overCap(Batch batch) {
    long cap = model.maxTokensPerRequest();
    return batch.size() > 1
        && density.corrected(batch.tokens()) > cap
        && density.corrected(exact(batch)) > cap;
  }

  /** Learns from the provider's refusal of {@code batch} as too large. */
  void refused(Batch batch, Embed4jException failure) {
    density.refused(exact(batch), model.maxTokensPerRequest(), counted(failure.getMessage()));
  }

  /** The batch's tokens, each of its inputs counted exactly (bounds would skew halves). */
  private static long exact(Batch batch) {
    long sum = 0;
    for (Input in : batch.inputs()) {
      in.countExactly();
      sum += in.tokens;
    }
    return sum;
  }

  /**
   * Queues the two halves of {@code batch} (two or more inputs), each with a new id; the first
   * carries {@code carried}, the refused request's attempts. Returns them.
   */
  List<Batch> halve(Batch batch, Attempts carried) {
    List<Batch> two = halves(batch);
    halves.add(new Half(two.get(0), carried));
    halves.add(new Half(two.get(1), Attempts.NONE));
    return two;
  }

  /** The two halves of a batch of two or more inputs, of about equal tokens, each with a new id. */
  List<Batch> halves(Batch batch) {
    Input[] inputs = batch.inputs();
    if (inputs.length < 2) {
      throw new IllegalArgumentException("batch " + batch.id() + " has a single input");
    }
    long half = exact(batch) / 2;
    long sum = 0;
    int cut = 1;
    for (int i = 0; i < inputs.length - 1; i++) {
      sum += inputs[i].tokens;
      cut = i + 1;
      if (sum >= half) {
        break;
      }
    }
    return List.of(
        Batch.of(ids.getAsInt(), Arrays.asList(inputs).subList(0, cut)),
        Batch.of(ids.getAsInt(), Arrays.asList(inputs).subList(cut, inputs.length)));
  }

  /** The failure of a one-input batch whose input the provider found too long. */
  InvalidInputException overLong(Batch batch, Embed4jException failure) {
    int index = batch.inputs()[0].position;
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
