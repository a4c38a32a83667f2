package dev.embed4j.benchmarks;

import com.knuddels.jtokkit.api.EncodingType;
import dev.embed4j.Embedder;
import dev.langchain4j.data.embedding.Embedding;
import dev.langchain4j.data.segment.TextSegment;
import dev.langchain4j.model.openai.OpenAiEmbeddingModel;
import java.util.ArrayList;
import java.util.List;
import org.springframework.ai.document.Document;
import org.springframework.ai.embedding.TokenCountBatchingStrategy;
import org.springframework.ai.openai.OpenAiEmbeddingOptions;

/**
 * One way to embed a list of texts against the emulator, with a dummy key (the emulator keeps rate
 * limits per key) and the settings its documentation gives for many texts.
 */
interface Client extends AutoCloseable {
  String MODEL = "text-embedding-3-small";

  /** The client and its settings, for the tables. */
  String describe();

  /** One vector per text, in the order of the texts. */
  List<float[]> embed(List<String> texts) throws Exception;

  /** The text the server receives for {@code text}, whose vector the client gets back. */
  default String sent(String text) {
    return text;
  }

  @Override
  default void close() {}

  /**
   * Embed4j: batches of {@code batchSize}, {@code concurrency} in flight, rate limits learned from
   * the headers (or from the 429s), up to 20 attempts per batch.
   */
  static Embed4j embed4j(String baseUrl, String key, int batchSize, int concurrency) {
    return new Embed4j(
        Embedder.builder()
            .model(MODEL)
            .apiKey(key)
            .baseUrl(baseUrl)
            .batchSize(batchSize)
            .maxConcurrentRequests(concurrency)
            .maxAttempts(20) // under a server limit a batch may be answered 429 several times
            .build(),
        batchSize,
        concurrency);
  }

  /**
   * Embed4j's {@link Embedder}; {@link #withConcurrency} derives one that shares its connections
   * and limiter.
   */
  final class Embed4j implements Client {
    private final Embedder embedder;
    final int batchSize;
    final int concurrency;

    private Embed4j(Embedder embedder, int batchSize, int concurrency) {
      this.embedder = embedder;
      this.batchSize = batchSize;
      this.concurrency = concurrency;
    }

    Embed4j withConcurrency(int concurrency) {
      return new Embed4j(
          embedder.newBuilder().maxConcurrentRequests(concurrency).build(), batchSize, concurrency);
    }

    @Override
    public String describe() {
      return "Embed4j, batch " + batchSize + ", " + concurrency + " in flight";
    }

    @Override
    public List<float[]> embed(List<String> texts) {
      return embedder.embed(texts).vectors();
    }

    @Override
    public void close() {
      embedder.close();
    }
  }

  /**
   * LangChain4j's {@code OpenAiEmbeddingModel.embedAll}: it sends its batches one after another,
   * split by count only ({@code maxSegmentsPerBatch}, default 2048) and asks for float arrays.
   */
  static Client langChain4j(String baseUrl, String key, int maxSegmentsPerBatch) {
    OpenAiEmbeddingModel model =
        OpenAiEmbeddingModel.builder()
            .baseUrl(baseUrl + "/v1")
            .apiKey(key)
            .modelName(MODEL)
            .maxSegmentsPerBatch(maxSegmentsPerBatch)
            .build();
    return new Client() {
      @Override
      public String describe() {
        return "LangChain4j 1.19.0 OpenAiEmbeddingModel, maxSegmentsPerBatch "
            + maxSegmentsPerBatch;
      }

      @Override
      public List<float[]> embed(List<String> texts) {
        List<TextSegment> segments = texts.stream().map(TextSegment::from).toList();
        List<float[]> vectors = new ArrayList<>(texts.size());
        for (Embedding e : model.embedAll(segments).content()) {
          vectors.add(e.vector());
        }
        return vectors;
      }
    };
  }

  /**
   * Spring AI's {@code OpenAiEmbeddingModel.embed(documents, options, batchingStrategy)} with a
   * {@link TokenCountBatchingStrategy} of {@code maxTokens} (Spring AI's default: 8191, less its
   * 10% reserve); the batches go one after another. The model embeds a document's formatted
   * content, which for a document without metadata is {@code "\n\n" + text}.
   */
  static Client springAi(String baseUrl, String key, int maxTokens) {
    OpenAiEmbeddingOptions options =
        OpenAiEmbeddingOptions.builder().baseUrl(baseUrl + "/v1").apiKey(key).model(MODEL).build();
    org.springframework.ai.openai.OpenAiEmbeddingModel model =
        org.springframework.ai.openai.OpenAiEmbeddingModel.builder().options(options).build();
    TokenCountBatchingStrategy batching =
        new TokenCountBatchingStrategy(EncodingType.CL100K_BASE, maxTokens, 0.1);
    return new Client() {
      @Override
      public String describe() {
        return "Spring AI 2.0.1 OpenAiEmbeddingModel, TokenCountBatchingStrategy("
            + maxTokens
            + ")";
      }

      @Override
      public List<float[]> embed(List<String> texts) {
        List<Document> documents = texts.stream().map(Document::new).toList();
        return model.embed(documents, options, batching);
      }

      @Override
      public String sent(String text) {
        return "\n\n" + text;
      }
    };
  }
}
