package dev.embed4j.langchain4j;

/**
 * The test kit on text-embeddings-inference serving {@code BAAI/bge-base-en-v1.5}: neither input
 * type nor dimensions (not a Matryoshka model).
 */
class TeiContractTest extends EmulatorContract {

  @Override
  String modelName() {
    return "tei:BAAI/bge-base-en-v1.5";
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
