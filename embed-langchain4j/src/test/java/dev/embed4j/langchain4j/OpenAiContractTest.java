package dev.embed4j.langchain4j;

/**
 * The test kit on {@code text-embedding-3-small}: dimensions yes, input type no (OpenAI has none).
 */
class OpenAiContractTest extends EmulatorContract {

  @Override
  String modelName() {
    return "text-embedding-3-small";
  }

  @Override
  protected boolean supportsInputTypeParameter() {
    return false;
  }
}
