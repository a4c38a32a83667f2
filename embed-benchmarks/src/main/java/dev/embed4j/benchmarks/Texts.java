package dev.embed4j.benchmarks;

import dev.embed4j.emulator.EmbeddingEmulator;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * Deterministic chunk-like texts: documentation-style sentences of 50 to 300 cl100k tokens
 * (uniformly drawn target, about 175 on average), each starting with a unique heading so that no
 * two texts share a vector. Text {@code i} is the same whatever the total count.
 */
public final class Texts {
  /** The most tokens a text has; LangChain4j's batch size is derived from it. */
  public static final int MAX_TOKENS = 300;

  static final int MIN_TOKENS = 50;

  private static final String[] SUBJECTS = {
    "The ingestion service",
    "Each worker",
    "The retry policy",
    "A batch of chunks",
    "The vector store",
    "The rate limiter",
    "This endpoint",
    "The tokenizer",
    "Our pipeline",
    "The embedding model",
    "A failed request",
    "The connection pool",
    "The scheduler",
    "Every document",
    "The search index",
    "The cost report",
    "The client library",
    "A text splitter"
  };
  private static final String[] VERBS = {
    "sends",
    "retries",
    "splits",
    "counts",
    "stores",
    "rejects",
    "waits for",
    "records",
    "normalises",
    "returns",
    "caches",
    "compresses",
    "validates",
    "logs",
    "bills",
    "parses",
    "merges",
    "schedules"
  };
  private static final String[] OBJECTS = {
    "the remaining tokens",
    "every input in order",
    "a partial result",
    "the server's retry delay",
    "thousands of paragraphs",
    "the usage field of the reply",
    "one request per second",
    "the longest chunk",
    "a base64 payload",
    "the nearest neighbours",
    "the configured timeout",
    "an HTTP 429 response",
    "the price per million tokens",
    "a JSON array of floats",
    "the metadata of each page",
    "the index of every vector",
    "the invoice for the month",
    "sixty-four requests at once"
  };
  private static final String[] TAILS = {
    "before the deadline",
    "after a short pause",
    "when the quota is low",
    "for each tenant",
    "without blocking the caller",
    "in the background",
    "as the documentation describes",
    "on every node of the cluster",
    "unless the input is empty",
    "while the previous batch is still running",
    "so that nothing is lost",
    "at the end of the run",
    "during the nightly import",
    "for compliance reasons"
  };

  private Texts() {}

  /** Texts 0 to {@code n - 1}. */
  public static List<String> chunks(int n) {
    List<String> texts = new ArrayList<>(n);
    for (int i = 0; i < n; i++) {
      texts.add(chunk(i));
    }
    return texts;
  }

  /**
   * Text {@code i}. Sentences start with a space and cl100k splits words at spaces, so the tokens
   * of the text are the sum of those of its parts: each part is counted once.
   */
  public static String chunk(int i) {
    SplittableRandom random = new SplittableRandom(0x5eed_0000_0000L + i * 0x9e3779b97f4a7c15L);
    int target = MIN_TOKENS + random.nextInt(MAX_TOKENS - MIN_TOKENS + 1);
    StringBuilder text =
        new StringBuilder("Section ")
            .append(i / 50 + 1)
            .append('.')
            .append(i % 50 + 1)
            .append(" (chunk ")
            .append(i)
            .append(").");
    int tokens = EmbeddingEmulator.expectedTokens(text.toString());
    while (tokens < target) {
      String sentence = sentence(random);
      int more = EmbeddingEmulator.expectedTokens(sentence);
      if (tokens + more > MAX_TOKENS) {
        break;
      }
      text.append(sentence);
      tokens += more;
    }
    return text.toString();
  }

  private static String sentence(SplittableRandom r) {
    StringBuilder s =
        new StringBuilder(" ")
            .append(pick(r, SUBJECTS))
            .append(' ')
            .append(pick(r, VERBS))
            .append(' ')
            .append(pick(r, OBJECTS));
    if (r.nextInt(3) > 0) {
      s.append(' ').append(pick(r, TAILS));
    }
    if (r.nextInt(4) == 0) {
      s.append(", with ").append(1 + r.nextInt(999)).append(" items per call");
    }
    return s.append('.').toString();
  }

  private static String pick(SplittableRandom r, String[] words) {
    return words[r.nextInt(words.length)];
  }
}
