package dev.embed4j;

/**
 * What the embedded texts are for. Providers that train separate query and document embeddings
 * (Cohere v3 and later) need it; OpenAI models have no such parameter and reject an embedder
 * configured with one.
 */
public enum InputType {
  /** Texts stored in a vector store to be searched. Cohere's default in Embed4j. */
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
