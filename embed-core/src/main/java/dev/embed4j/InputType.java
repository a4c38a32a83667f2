package dev.embed4j;

/**
 * What the embedded texts are for. Providers that train separate query and document embeddings
 * (Cohere v3 and later; Voyage as {@code input_type} query/document, Jina as {@code task}, Gemini
 * as {@code taskType}) need it; OpenAI's, Azure's, Mistral's, Ollama's and
 * text-embeddings-inference's models have no such parameter and reject an embedder configured with
 * one.
 */
public enum InputType {
  /** Texts stored in a vector store to be searched. The default in Embed4j where one is taken. */
  SEARCH_DOCUMENT("search_document"),
  /** Queries searched against stored documents. */
  SEARCH_QUERY("search_query"),
  /** Texts passed to a classifier. */
  CLASSIFICATION("classification"),
  /** Texts to be clustered. */
  CLUSTERING("clustering");

  private final String wireName;

  InputType(String wireName) {
    this.wireName = wireName;
  }

  /** The value Cohere's API expects, e.g. {@code search_document}. */
  public String wireName() {
    return wireName;
  }
}
