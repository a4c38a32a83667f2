package dev.embed4j.internal;

import dev.embed4j.InvalidInputException;
import dev.embed4j.ModelSpec;
import java.util.List;
import java.util.stream.IntStream;

/**
 * Each input's preparation, before anything is sent: the text is checked (null, empty, blank, over
 * the model's per-input limit), its tokens bounded or counted and, where asked, it is truncated.
 * Bad input fails here, naming its position.
 *
 * <p>Counting tokens is the costliest step of the client, so a text is counted exactly only where
 * the run needs it: when its UTF-8 bound exceeds the per-input limit (the check must be exact), or
 * when {@code exact} (a {@code maxCost} budget, a dry run). Otherwise its tokens for the
 * per-request cap are the bound, and for pacing a guess from it; the server's usage settles both.
 */
final class Preparation {
  private static final int PARALLEL_COUNT_THRESHOLD = 512;

  private final ModelSpec model;
  private final boolean truncate;
  private final boolean exact;
  private final String consequence;

  /**
   * @param exact whether every text is counted exactly
   * @param consequence what happens to an invalid input, for its error message
   */
  Preparation(ModelSpec model, boolean truncate, boolean exact, String consequence) {
    this.model = model;
    this.truncate = truncate;
    this.exact = exact;
    this.consequence = consequence;
  }

  /** For {@code embed(List)}: every text is checked before anything is sent. */
  static Preparation forList(ModelSpec model, boolean truncate, boolean exact) {
    return new Preparation(model, truncate, exact, "Nothing was sent.");
  }

  /** For a stream: an invalid input is delivered with its error and the stream goes on. */
  static Preparation forStream(ModelSpec model, boolean truncate, boolean exact) {
    return new Preparation(
        model, truncate, exact, "It was not sent, and the stream went on without it.");
  }

  boolean exact() {
    return exact;
  }

  /**
   * Every text of a list, prepared; the first invalid one is thrown.
   *
   * @throws InvalidInputException naming the first invalid text
   */
  Input[] all(List<String> texts) {
    if (texts == null) {
      throw new IllegalArgumentException("texts must not be null");
    }
    int n = texts.size();
    String[] checked = new String[n];
    for (int i = 0; i < n; i++) {
      checked[i] = check(i, texts.get(i));
    }
    Input[] inputs = new Input[n];
    // Exact counting is the one CPU-heavy step before the first request: spread it over the cores.
    IntStream range = IntStream.range(0, n);
    (exact && n >= PARALLEL_COUNT_THRESHOLD ? range.parallel() : range)
        .forEach(i -> inputs[i] = counted(i, checked[i], checked[i]));
    return inputs;
  }

  /**
   * One input of a stream, prepared.
   *
   * @throws InvalidInputException if its text is invalid
   */
  Input one(int position, Object item, String text) {
    return counted(position, item, check(position, text));
  }

  private String check(int position, String text) {
    if (text == null) {
      throw new InvalidInputException(
          position,
          "Input "
              + position
              + " is null. Every text must be a non-blank string: remove it or replace it"
              + " before embedding. "
              + consequence);
    }
    if (text.isBlank()) {
      throw new InvalidInputException(
          position,
          "Input "
              + position
              + " is "
              + (text.isEmpty() ? "empty" : "blank")
              + ". Providers reject empty texts (OpenAI: '$.input' is invalid): remove it or"
              + " replace it with text. "
              + consequence);
    }
    return text;
  }

  private static Input exact(Input in) {
    in.exact = true;
    return in;
  }

  private Input counted(int position, Object item, String text) {
    int limit = model.maxTokensPerInput();
    int bound = Tokenizers.bound(text);
    if (!exact && bound <= limit) {
      return new Input(position, item, text, text, bound, Math.min(bound, Tokenizers.guess(bound)));
    }
    int tokens = Tokenizers.count(text);
    if (tokens <= limit) {
      return exact(new Input(position, item, text, text, tokens, tokens));
    }
    if (truncate && model.hasExactTokenizer()) {
      String cut = Tokenizers.truncate(text, limit);
      int cutTokens = Tokenizers.count(cut);
      return exact(new Input(position, item, text, cut, cutTokens, cutTokens));
    }
    if (truncate) {
      return exact(new Input(position, item, text, text, limit, limit)); // the server truncates
    }
    throw new InvalidInputException(
        position,
        "Input "
            + position
            + " has "
            + tokens
            + (model.hasExactTokenizer() ? "" : " (estimated)")
            + " tokens, more than the "
            + limit
            + " that "
            + model.id()
            + " accepts per input. Split it into smaller chunks, or set truncate(true) to cut it"
            + " to "
            + limit
            + " tokens. "
            + consequence);
  }
}
