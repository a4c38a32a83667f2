package dev.embed4j.langchain4j;

/**
 * The test kit on {@code gemini-embedding-001}: input type (as {@code taskType}) and dimensions
 * ({@code outputDimensionality}); its token usage is Embed4j's estimate, Gemini reports none.
 */
class GeminiContractTest extends EmulatorContract {

  @Override
  String modelName() {
    return "gemini:gemini-embedding-001";
  }
}
