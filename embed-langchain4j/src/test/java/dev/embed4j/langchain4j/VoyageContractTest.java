package dev.embed4j.langchain4j;

/**
 * The test kit on {@code voyage-4}: input type (query, document) and dimensions (256 is one of its
 * output dimensions).
 */
class VoyageContractTest extends EmulatorContract {

  @Override
  String modelName() {
    return "voyage:voyage-4";
  }
}
