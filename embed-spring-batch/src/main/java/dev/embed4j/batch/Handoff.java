package dev.embed4j.batch;

import dev.embed4j.springai.SpringAiEmbeddingModel;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import org.springframework.ai.document.Document;
import org.springframework.ai.embedding.BatchingStrategy;
import org.springframework.ai.embedding.EmbeddingModel;
import org.springframework.ai.embedding.EmbeddingOptions;
import org.springframework.ai.embedding.EmbeddingRequest;
import org.springframework.ai.embedding.EmbeddingResponse;

/**
 * The embedding model a {@link VectorStoreItemWriter}'s store is built on: while the writer adds a
 * chunk, the store's calls for those very documents (by identity, on the writing thread) get the
 * chunk's vectors; every other call is the Embed4j model's.
 */
final class Handoff implements EmbeddingModel {
  private final SpringAiEmbeddingModel model;
  private final ThreadLocal<Map<Document, float[]>> offered = new ThreadLocal<>();

  Handoff(SpringAiEmbeddingModel model) {
    this.model = model;
  }

  void offer(List<Document> documents, List<float[]> vectors) {
    Map<Document, float[]> map = new IdentityHashMap<>();
    for (int i = 0; i < documents.size(); i++) {
      map.put(documents.get(i), vectors.get(i));
    }
    offered.set(map);
  }

  void clear() {
    offered.remove();
  }

  @Override
  public float[] embed(Document document) {
    Map<Document, float[]> map = offered.get();
    float[] v = map == null ? null : map.get(document);
    return v != null ? v : model.embed(document);
  }

  @Override
  public List<float[]> embed(
      List<Document> documents, EmbeddingOptions options, BatchingStrategy batchingStrategy) {
    Map<Document, float[]> map = offered.get();
    if (map != null) {
      List<float[]> vectors = new ArrayList<>(documents.size());
      for (Document d : documents) {
        float[] v = map.get(d);
        if (v == null) {
          return model.embed(documents, options, batchingStrategy);
        }
        vectors.add(v);
      }
      return vectors;
    }
    return model.embed(documents, options, batchingStrategy);
  }

  @Override
  public EmbeddingResponse call(EmbeddingRequest request) {
    return model.call(request);
  }

  @Override
  public String getEmbeddingContent(Document document) {
    return model.getEmbeddingContent(document);
  }

  @Override
  public int dimensions() {
    return model.dimensions();
  }
}
