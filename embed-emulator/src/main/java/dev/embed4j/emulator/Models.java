package dev.embed4j.emulator;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

/** The models the emulator knows, with the limits it enforces for them. */
final class Models {

  enum Provider {
    OPENAI,
    COHERE,
    VOYAGE,
    MISTRAL,
    JINA,
    GEMINI,
    OLLAMA,
    TEI
  }

  /**
   * @param reducedDims dimensions a request may ask for: OpenAI {@code dimensions} accepts any
   *     value in 1..native when non-empty; Cohere {@code output_dimension} only these values
   * @param maxInputs texts per request (the providers added after OpenAI and Cohere)
   * @param maxTokensPerRequest tokens summed over a request (likewise)
   * @param minDims the smallest of any reduced dimension up to native, when {@code reducedDims} is
   *     empty
   */
  record Spec(
      String name,
      Provider provider,
      int nativeDims,
      int maxTokensPerInput,
      boolean reducible,
      List<Integer> reducedDims,
      int maxInputs,
      long maxTokensPerRequest,
      int minDims) {

    Spec(
        String name,
        Provider provider,
        int nativeDims,
        int maxTokensPerInput,
        boolean reducible,
        List<Integer> reducedDims) {
      this(
          name,
          provider,
          nativeDims,
          maxTokensPerInput,
          reducible,
          reducedDims,
          provider == Provider.OPENAI ? OPENAI_MAX_INPUTS : COHERE_MAX_TEXTS,
          provider == Provider.OPENAI ? OPENAI_MAX_TOKENS_PER_REQUEST : Long.MAX_VALUE,
          1);
    }

    /** Whether a request may ask for {@code dims}. */
    boolean accepts(int dims) {
      if (dims == nativeDims) {
        return true;
      }
      if (!reducible) {
        return false;
      }
      return reducedDims.isEmpty()
          ? dims >= minDims && dims <= nativeDims
          : reducedDims.contains(dims);
    }

    /** The largest dimension a request may ask for. */
    int maxDims() {
      return reducedDims.stream().mapToInt(Integer::intValue).max().orElse(0) > nativeDims
          ? reducedDims.stream().mapToInt(Integer::intValue).max().getAsInt()
          : nativeDims;
    }
  }

  static final int OPENAI_MAX_INPUTS = 2048;
  static final int OPENAI_MAX_TOKENS_PER_INPUT = 8192;
  static final int OPENAI_MAX_TOKENS_PER_REQUEST = 300_000;
  static final int COHERE_MAX_TEXTS = 96;
  static final int GEMINI_MAX_REQUESTS = 100;
  static final int TEI_MAX_CLIENT_BATCH = 32;

  private static final Map<String, Spec> FIRST =
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

  private static final Map<String, Spec> SPECS = all();

  private static Map<String, Spec> all() {
    Map<String, Spec> m = new HashMap<>(FIRST);
    List<Integer> voyageDims = List.of(256, 512, 2048);
    for (Object[] v :
        new Object[][] {
          {"voyage-4-large", 120_000},
          {"voyage-4", 320_000},
          {"voyage-4-lite", 1_000_000},
          {"voyage-3.5", 320_000},
          {"voyage-3.5-lite", 1_000_000},
          {"voyage-3-large", 120_000},
          {"voyage-code-3", 120_000}
        }) {
      put(
          m,
          new Spec(
              (String) v[0],
              Provider.VOYAGE,
              1024,
              32_000,
              true,
              voyageDims,
              1000,
              (Integer) v[1],
              1));
    }
    put(
        m,
        new Spec(
            "mistral-embed", Provider.MISTRAL, 1024, 8192, false, List.of(), 16_384, 16_384, 1));
    put(
        m,
        new Spec(
            "codestral-embed", Provider.MISTRAL, 1536, 8192, true, List.of(), 16_384, 16_384, 1));
    put(
        m,
        new Spec(
            "jina-embeddings-v3",
            Provider.JINA,
            1024,
            8192,
            true,
            List.of(),
            2048,
            Long.MAX_VALUE,
            32));
    put(
        m,
        new Spec(
            "gemini-embedding-001",
            Provider.GEMINI,
            3072,
            2048,
            true,
            List.of(),
            GEMINI_MAX_REQUESTS,
            Long.MAX_VALUE,
            128));
    for (Object[] o :
        new Object[][] {
          {"nomic-embed-text", 768, 8192},
          {"mxbai-embed-large", 1024, 512},
          {"all-minilm", 384, 256},
          {"bge-m3", 1024, 8192},
          {"embeddinggemma", 768, 2048}
        }) {
      put(
          m,
          new Spec(
              (String) o[0],
              Provider.OLLAMA,
              (Integer) o[1],
              (Integer) o[2],
              false,
              List.of(),
              Integer.MAX_VALUE,
              Long.MAX_VALUE,
              1));
    }
    for (Object[] o :
        new Object[][] {
          {"BAAI/bge-small-en-v1.5", 384, 512},
          {"BAAI/bge-base-en-v1.5", 768, 512},
          {"BAAI/bge-large-en-v1.5", 1024, 512},
          {"BAAI/bge-m3", 1024, 8192},
          {"nomic-ai/nomic-embed-text-v1.5", 768, 8192},
          {"sentence-transformers/all-MiniLM-L6-v2", 384, 512},
          {"intfloat/multilingual-e5-large", 1024, 512}
        }) {
      put(
          m,
          new Spec(
              (String) o[0],
              Provider.TEI,
              (Integer) o[1],
              (Integer) o[2],
              false,
              List.of(),
              TEI_MAX_CLIENT_BATCH,
              Long.MAX_VALUE,
              1));
    }
    return Map.copyOf(m);
  }

  private static void put(Map<String, Spec> m, Spec s) {
    m.put(s.name(), s);
  }

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
