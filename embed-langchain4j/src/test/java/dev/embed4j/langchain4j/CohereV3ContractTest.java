package dev.embed4j.langchain4j;

/**
 * The test kit on {@code embed-english-v3.0}: input type yes, dimensions no (v3 has a fixed 1024).
 */
class CohereV3ContractTest extends EmulatorContract {

  @Override
  String modelName() {
    return "embed-english-v3.0";
  }

  @Override
  protected boolean supportsDimensionsParameter() {
    return false;
  }
}
