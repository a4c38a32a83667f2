package dev.embed4j.langchain4j;

/**
 * The test kit on {@code embed-v4.0}: input type, dimensions (256 is one of its output dimensions),
 * images and text interleaved with images.
 */
class CohereV4ContractTest extends EmulatorContract {

  @Override
  String modelName() {
    return "embed-v4.0";
  }
}
