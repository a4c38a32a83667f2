package dev.embed4j.langchain4j;

import dev.embed4j.Embedder;
import dev.langchain4j.model.embedding.DisabledEmbeddingModel;
import dev.langchain4j.model.embedding.EmbeddingModel;
import dev.langchain4j.model.embedding.common.AbstractEmbeddingModelIT;
import dev.langchain4j.model.embedding.listener.EmbeddingModelListener;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterAll;

/**
 * The test kit on the offline all-MiniLM-L6-v2, driven through the engine by {@link
 * LangChain4jEmbeddingProvider}: no input type, no dimensions, no images. The failing model is
 * LangChain4j's {@link DisabledEmbeddingModel} behind the same provider wrapper.
 */
class MiniLmContractTest extends AbstractEmbeddingModelIT {
  private final List<Embedder> built = new CopyOnWriteArrayList<>();
  private final LangChain4jEmbeddingModel model = miniLm(List.of());

  private LangChain4jEmbeddingModel miniLm(List<EmbeddingModelListener> listeners) {
    return LangChain4jEmbeddingModel.builder(
            track(LangChain4jEmbeddingProvider.allMiniLmL6V2().build()))
        .listeners(listeners)
        .build();
  }

  private Embedder track(Embedder embedder) {
    built.add(embedder);
    return embedder;
  }

  @Override
  protected List<EmbeddingModel> models() {
    return List.of(model);
  }

  @Override
  protected EmbeddingModel modelWith(EmbeddingModelListener listener) {
    return miniLm(List.of(listener));
  }

  @Override
  protected EmbeddingModel failingModelWith(EmbeddingModelListener listener) {
    Embedder disabled =
        Embedder.builder()
            .provider(LangChain4jEmbeddingProvider.of(new DisabledEmbeddingModel()))
            .model(LangChain4jEmbeddingProvider.ALL_MINILM_L6_V2)
            .build();
    return LangChain4jEmbeddingModel.builder(track(disabled)).listeners(List.of(listener)).build();
  }

  @Override
  protected boolean supportsInputTypeParameter() {
    return false;
  }

  @Override
  protected boolean supportsDimensionsParameter() {
    return false;
  }

  @Override
  protected boolean supportsImageInput() {
    return false;
  }

  @AfterAll
  void close() {
    built.forEach(Embedder::close);
  }
}
