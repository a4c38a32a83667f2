package dev.embed4j.emulator;

import java.util.List;
import java.util.Map;
import java.util.TreeSet;

/** The models the emulator knows, with the limits it enforces for them. */
final class Models {

  enum Provider {
    OPENAI,
    COHERE
  }

  /**
   * @param reducedDims dimensions a request may ask for: OpenAI {@code dimensions} accepts any
   *     value in 1..native when non-empty; Cohere {@code output_dimension} only these values
   */
  record Spec(
      String name,
      Provider provider,
      int nativeDims,
      int maxTokensPerInput,
      boolean reducible,
      List<Integer> reducedDims) {}

  static final int OPENAI_MAX_INPUTS = 2048;
  static final int OPENAI_MAX_TOKENS_PER_INPUT = 8192;
  static final int OPENAI_MAX_TOKENS_PER_REQUEST = 300_000;
  static final int COHERE_MAX_TEXTS = 96;

  private static final Map<String, Spec> SPECS =
      Map.of(
          "text-embedding-3-small", openAi("text-embedding-3-small", 1536, true),
          "text-embedding-3-large", openAi("text-embedding-3-large", 3072, true),
          "text-embedding-ada-002", openAi("text-embedding-ada-002", 1536, false),
          "embed-v4.0",
              new Spec(
                  "embed-v4.0",
                  Provider.COHERE,
                  1536,
                  128_000,
                  true,
                  List.of(256, 512, 1024, 1536)),
          "embed-english-v3.0", cohereV3("embed-english-v3.0", 1024),
          "embed-english-light-v3.0", cohereV3("embed-english-light-v3.0", 384),
          "embed-multilingual-v3.0", cohereV3("embed-multilingual-v3.0", 1024),
          "embed-multilingual-light-v3.0", cohereV3("embed-multilingual-light-v3.0", 384));

  /**
   * US dollars per 1M tokens through the Batch API, half the realtime price (OpenAI pricing page:
   * text-embedding-3-small $0.01, text-embedding-3-large $0.065, text-embedding-ada-002 $0.05).
   */
  static final Map<String, java.math.BigDecimal> BATCH_PRICES =
      Map.of(
          "text-embedding-3-small", new java.math.BigDecimal("0.01"),
          "text-embedding-3-large", new java.math.BigDecimal("0.065"),
          "text-embedding-ada-002", new java.math.BigDecimal("0.05"));

  private Models() {}

  /** The model, or null if unknown. */
  static Spec find(String name) {
    return name == null ? null : SPECS.get(name);
  }

  static Spec find(String name, Provider provider) {
    Spec s = find(name);
    return s != null && s.provider() == provider ? s : null;
  }

  static Spec require(String name) {
    Spec s = find(name);
    if (s == null) {
      throw new IllegalArgumentException(
          "unknown model '" + name + "', known: " + new TreeSet<>(SPECS.keySet()));
    }
    return s;
  }

  private static Spec openAi(String name, int dims, boolean reducible) {
    return new Spec(name, Provider.OPENAI, dims, OPENAI_MAX_TOKENS_PER_INPUT, reducible, List.of());
  }

  private static Spec cohereV3(String name, int dims) {
    return new Spec(name, Provider.COHERE, dims, 512, false, List.of());
  }
}
