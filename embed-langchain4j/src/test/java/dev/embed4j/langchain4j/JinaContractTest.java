package dev.embed4j.langchain4j;

/**
 * The test kit on {@code jina-embeddings-v3}: input type (as Jina's {@code task}) and dimensions.
 */
class JinaContractTest extends EmulatorContract {

  @Override
  String modelName() {
    return "jina:jina-embeddings-v3";
  }
}
