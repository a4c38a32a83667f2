package dev.embed4j.internal;

import dev.embed4j.Input;
import dev.embed4j.InvalidInputException;
import dev.embed4j.ModelSpec;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.stream.IntStream;

/**
 * A run's preparation, before anything is sent: every text is checked (null, empty, blank, over the
 * model's per-input limit), counted and, where asked, truncated. Bad input fails here, naming its
 * index.
 */
final class Preparation {
  private static final int PARALLEL_COUNT_THRESHOLD = 512;

  private Preparation() {}

  /**
   * The texts as given, the texts as sent (truncated where asked), and each one's tokens; for a run
   * of {@link Input}s (images), the inputs themselves, else null.
   */
  record Prepared(List<String> texts, List<String> sendTexts, int[] tokens, List<Input> inputs) {
    Prepared(List<String> texts, List<String> sendTexts, int[] tokens) {
      this(texts, sendTexts, tokens, null);
    }

    long totalTokens() {
      long sum = 0;
      for (int t : tokens) {
        sum += t;
      }
      return sum;
    }
  }

  static Prepared prepare(List<String> input, ModelSpec model, boolean truncate) {
    if (input == null) {
      throw new IllegalArgumentException("texts must not be null");
    }
    int n = input.size();
    String[] texts = new String[n];
    for (int i = 0; i < n; i++) {
      String text = input.get(i);
      if (text == null) {
        throw new InvalidInputException(
            i,
            "Input "
                + i
                + " is null. Every text must be a"
                + " non-blank string: remove it or replace it before embedding. Nothing was sent.");
      }
      if (text.isBlank()) {
        throw new InvalidInputException(
            i,
            "Input "
                + i
                + " is "
                + (text.isEmpty() ? "empty" : "blank")
                + ". Providers reject empty texts (OpenAI: '$.input' is invalid): remove it or replace"
                + " it with text. Nothing was sent.");
      }
      texts[i] = text;
    }
    // Token counting is the one CPU-heavy step before the first request: spread it over the cores.
    int[] tokens = new int[n];
    IntStream range = IntStream.range(0, n);
    (n >= PARALLEL_COUNT_THRESHOLD ? range.parallel() : range)
        .forEach(i -> tokens[i] = Tokenizers.count(texts[i]));

    int limit = model.maxTokensPerInput();
    boolean clientTruncates = truncate && model.hasExactTokenizer();
    String[] send = null;
    for (int i = 0; i < n; i++) {
      if (tokens[i] <= limit) {
        continue;
      }
      if (clientTruncates) {
        if (send == null) {
          send = texts.clone();
        }
        send[i] = Tokenizers.truncate(texts[i], limit);
        tokens[i] = Tokenizers.count(send[i]);
      } else if (truncate) {
        tokens[i] = limit; // the server truncates
      } else {
        throw new InvalidInputException(
            i,
            "Input "
                + i
                + " has "
                + tokens[i]
                + (model.hasExactTokenizer() ? "" : " (estimated)")
                + " tokens, more than the "
                + limit
                + " that "
                + model.id()
                + " accepts per input. Split it into smaller chunks, or set"
                + " truncate(true) to cut it to "
                + limit
                + " tokens. Nothing was sent.");
      }
    }
    List<String> list = Collections.unmodifiableList(Arrays.asList(texts));
    List<String> sendList = send == null ? list : Collections.unmodifiableList(Arrays.asList(send));
    return new Prepared(list, sendList, tokens);
  }
}
