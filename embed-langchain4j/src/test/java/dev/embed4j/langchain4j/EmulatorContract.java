package dev.embed4j.langchain4j;

import dev.embed4j.emulator.EmbeddingEmulator;
import dev.langchain4j.model.embedding.EmbeddingModel;
import dev.langchain4j.model.embedding.common.AbstractEmbeddingModelIT;
import dev.langchain4j.model.embedding.listener.EmbeddingModelListener;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterAll;

/**
 * LangChain4j's own embedding-model test kit, run against the local emulator. The emulator accepts
 * only {@code test-key}, so {@link #failingModelWith} (key {@code wrong-key}) gets a 401.
 */
abstract class EmulatorContract extends AbstractEmbeddingModelIT {
  private final EmbeddingEmulator emulator = EmbeddingEmulator.builder().apiKeys("test-key").start();
  private final List<Embed4jEmbeddingModel> built = new CopyOnWriteArrayList<>();
  private final EmbeddingModel model = model("test-key", List.of());

  /** The registry name of the model under test. */
  abstract String modelName();

  private EmbeddingModel model(String key, List<EmbeddingModelListener> listeners) {
    Embed4jEmbeddingModel m = Embed4jEmbeddingModel.builder()
        .modelName(modelName())
        .apiKey(key)
        .baseUrl(emulator.baseUrl())
        .listeners(listeners)
        .build();
    built.add(m);
    return m;
  }

  @Override
  protected List<EmbeddingModel> models() {
    return List.of(model);
  }

  @Override
  protected EmbeddingModel modelWith(EmbeddingModelListener listener) {
    return model("test-key", List.of(listener));
  }

  @Override
  protected EmbeddingModel failingModelWith(EmbeddingModelListener listener) {
    return model("wrong-key", List.of(listener));
  }

  /** Text only: no provider behind Embed4j embeds images. */
  @Override
  protected boolean supportsImageInput() {
    return false;
  }

  @AfterAll
  void closeAll() {
    built.forEach(Embed4jEmbeddingModel::close);
    emulator.close();
  }
}
