package dev.embed4j.langchain4j;

/** The test kit on Azure OpenAI's {@code text-embedding-3-small}: dimensions yes, input type no. */
class AzureOpenAiContractTest extends EmulatorContract {

  @Override
  String modelName() {
    return "azure:text-embedding-3-small";
  }

  @Override
  protected boolean supportsInputTypeParameter() {
    return false;
  }
}
