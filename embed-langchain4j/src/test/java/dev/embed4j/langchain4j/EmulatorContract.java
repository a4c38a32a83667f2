package dev.embed4j.langchain4j;

import dev.embed4j.Embedder;
import dev.embed4j.ModelRegistry;
import dev.embed4j.emulator.EmbeddingEmulator;
import dev.langchain4j.data.message.ImageContent;
import dev.langchain4j.model.embedding.EmbeddingModel;
import dev.langchain4j.model.embedding.common.AbstractEmbeddingModelIT;
import dev.langchain4j.model.embedding.listener.EmbeddingModelListener;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.AfterAll;

/**
 * LangChain4j's own embedding-model test kit, run against the local emulator. The emulator accepts
 * only {@code test-key}, so {@link #failingModelWith} (key {@code wrong-key}) gets a 401.
 */
abstract class EmulatorContract extends AbstractEmbeddingModelIT {
  private final EmbeddingEmulator emulator =
      EmbeddingEmulator.builder().apiKeys("test-key").start();
  private final List<Embedder> built = new CopyOnWriteArrayList<>();
  private final EmbeddingModel model = model("test-key", List.of());

  /** The registry name of the model under test. */
  abstract String modelName();

  /** The emulator's base URL for the model's provider (the prefix of {@code provider:name}). */
  private String baseUrl() {
    int colon = modelName().indexOf(':');
    return emulator.baseUrl(colon < 0 ? "openai" : modelName().substring(0, colon));
  }

  private EmbeddingModel model(String key, List<EmbeddingModelListener> listeners) {
    Embedder embedder =
        Embedder.builder().model(modelName()).apiKey(key).baseUrl(baseUrl()).build();
    built.add(embedder);
    return LangChain4jEmbeddingModel.builder(embedder).listeners(listeners).build();
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

  /** Images (and text with images) for the models that take them: Cohere embed-v4.0. */
  @Override
  protected boolean supportsImageInput() {
    return ModelRegistry.defaults().get(modelName()).acceptsImages();
  }

  /** A PNG drawn here: the kit's own fetches a URL, and no test may leave the machine. */
  @Override
  protected ImageContent catImage() {
    BufferedImage image = new BufferedImage(48, 32, BufferedImage.TYPE_INT_RGB);
    image.setRGB(7, 5, 0xff8800);
    ByteArrayOutputStream png = new ByteArrayOutputStream();
    try {
      ImageIO.write(image, "png", png);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return ImageContent.from(Base64.getEncoder().encodeToString(png.toByteArray()), "image/png");
  }

  @AfterAll
  void closeAll() {
    built.forEach(Embedder::close);
    emulator.close();
  }
}
