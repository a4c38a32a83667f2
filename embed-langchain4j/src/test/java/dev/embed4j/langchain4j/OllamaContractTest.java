package dev.embed4j.langchain4j;

/**
 * The test kit on Ollama's {@code nomic-embed-text}: neither input type nor dimensions (Ollama's
 * /api/embed takes no input type; nomic-embed-text has one size).
 */
class OllamaContractTest extends EmulatorContract {

  @Override
  String modelName() {
    return "ollama:nomic-embed-text";
  }

  @Override
  protected boolean supportsInputTypeParameter() {
    return false;
  }

  @Override
  protected boolean supportsDimensionsParameter() {
    return false;
  }
}
