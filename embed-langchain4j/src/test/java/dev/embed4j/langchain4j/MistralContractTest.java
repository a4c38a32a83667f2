package dev.embed4j.langchain4j;

/**
 * The test kit on Mistral's {@code codestral-embed}: dimensions yes ({@code output_dimension}),
 * input type no.
 */
class MistralContractTest extends EmulatorContract {

  @Override
  String modelName() {
    return "mistral:codestral-embed";
  }

  @Override
  protected boolean supportsInputTypeParameter() {
    return false;
  }
}
