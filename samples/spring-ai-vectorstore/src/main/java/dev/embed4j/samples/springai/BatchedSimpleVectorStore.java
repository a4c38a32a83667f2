package dev.embed4j.samples.springai;

import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;
import org.springframework.ai.document.Document;
import org.springframework.ai.embedding.BatchingStrategy;
import org.springframework.ai.embedding.EmbeddingModel;
import org.springframework.ai.embedding.EmbeddingOptions;
import org.springframework.ai.embedding.EmbeddingRequest;
import org.springframework.ai.embedding.EmbeddingResponse;
import org.springframework.ai.vectorstore.SimpleVectorStore;

/**
 * A {@link SimpleVectorStore} whose {@code add} embeds all its documents with one call of {@link
 * EmbeddingModel#embed(List, EmbeddingOptions, BatchingStrategy)}.
 *
 * <p>Why: in Spring AI 2.0.0, {@code SimpleVectorStore.doAdd} calls {@code
 * embeddingModel.embed(document)} once per document, one request after another, and never uses its
 * {@code BatchingStrategy}; 5,000 chunks are 5,000 sequential requests. Its entries ({@code
 * SimpleVectorStoreContent}) are package-private, so a subclass cannot store vectors itself. So
 * {@link #doAdd} first embeds the whole list through the batched path (with Embed4j: one run,
 * batches bounded by the provider's limits, sent in parallel, vectors in document order), then lets
 * {@code SimpleVectorStore} store the documents, answering its per-document {@code embed(document)}
 * calls with the vectors just computed. Searches and everything else go to the embedding model as
 * usual.
 */
final class BatchedSimpleVectorStore extends SimpleVectorStore {
  private final PrecomputedEmbeddings embeddings;

  private BatchedSimpleVectorStore(
      SimpleVectorStoreBuilder builder, PrecomputedEmbeddings embeddings) {
    super(builder);
    this.embeddings = embeddings;
  }

  static BatchedSimpleVectorStore create(EmbeddingModel embeddingModel) {
    PrecomputedEmbeddings embeddings = new PrecomputedEmbeddings(embeddingModel);
    return new BatchedSimpleVectorStore(SimpleVectorStore.builder(embeddings), embeddings);
  }

  @Override
  public void doAdd(List<Document> documents) {
    List<float[]> vectors =
        embeddings.model.embed(documents, EmbeddingOptions.builder().build(), batchingStrategy);
    embeddings.hold(documents, vectors);
    try {
      super.doAdd(documents);
    } finally {
      embeddings.release(documents);
    }
  }

  /**
   * Answers {@code embed(document)} from the vectors held for an {@code add} under way; the rest
   * goes to the model.
   */
  private static final class PrecomputedEmbeddings implements EmbeddingModel {
    private final EmbeddingModel model;
    private final Map<Document, float[]> held =
        Collections.synchronizedMap(new IdentityHashMap<>());

    PrecomputedEmbeddings(EmbeddingModel model) {
      this.model = model;
    }

    void hold(List<Document> documents, List<float[]> vectors) {
      for (int i = 0; i < documents.size(); i++) {
        held.put(documents.get(i), vectors.get(i));
      }
    }

    void release(List<Document> documents) {
      documents.forEach(held::remove);
    }

    @Override
    public float[] embed(Document document) {
      float[] vector = held.get(document);
      return vector != null ? vector : model.embed(document);
    }

    @Override
    public EmbeddingResponse call(EmbeddingRequest request) {
      return model.call(request);
    }

    @Override
    public List<float[]> embed(
        List<Document> documents,
        @Nullable EmbeddingOptions options,
        BatchingStrategy batchingStrategy) {
      return model.embed(documents, options, batchingStrategy);
    }

    @Override
    public @Nullable String getEmbeddingContent(Document document) {
      return model.getEmbeddingContent(document);
    }

    @Override
    public int dimensions() {
      return model.dimensions();
    }
  }
}
