package dev.embed4j.internal;

import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.function.UnaryOperator;
import java.util.stream.Stream;

/**
 * The properties of the frameworks' own starters that Embed4j reads when its own are absent, so
 * that an application moves from one of those starters to Embed4j's by changing one dependency and
 * none of its configuration. One row per starter, next to the provider table whose row it serves;
 * adding a starter is one row here.
 *
 * <p>Keys and base URLs are read by {@link BuiltInProvider} after {@code embed4j.<id>.api-key} /
 * {@code embed4j.<id>.base-url} and before the provider's environment variables. The model and
 * dimensions are read by the Spring Boot starter, together, only when {@code embed4j.model} is not
 * set.
 */
public enum FrameworkProperties {
  /** Spring AI's OpenAI starter ({@code spring-ai-starter-model-openai}, Spring AI 1.x and 2.x). */
  SPRING_AI_OPENAI(
      "Spring AI's OpenAI starter",
      BuiltInProvider.OPENAI,
      List.of("spring.ai.openai.embedding.api-key", "spring.ai.openai.api-key"),
      List.of("spring.ai.openai.embedding.base-url", "spring.ai.openai.base-url"),
      List.of("spring.ai.openai.embedding.options.model", "spring.ai.openai.embedding.model"),
      List.of(
          "spring.ai.openai.embedding.options.dimensions", "spring.ai.openai.embedding.dimensions"),
      // Spring AI's default (OpenAiEmbeddingOptions.DEFAULT_EMBEDDING_MODEL): an application that
      // never named a model has vectors of this one in its store.
      "text-embedding-ada-002"),
  /** LangChain4j's OpenAI Spring Boot starter ({@code langchain4j-open-ai-spring-boot-starter}). */
  LANGCHAIN4J_OPENAI(
      "LangChain4j's OpenAI starter",
      BuiltInProvider.OPENAI,
      List.of("langchain4j.open-ai.embedding-model.api-key"),
      List.of("langchain4j.open-ai.embedding-model.base-url"),
      List.of("langchain4j.open-ai.embedding-model.model-name"),
      List.of("langchain4j.open-ai.embedding-model.dimensions"),
      null);

  private final String starter;
  private final BuiltInProvider provider;
  private final List<String> apiKeyProperties;
  private final List<String> baseUrlProperties;
  private final List<String> modelProperties;
  private final List<String> dimensionsProperties;
  private final String defaultModel;

  FrameworkProperties(
      String starter,
      BuiltInProvider provider,
      List<String> apiKeyProperties,
      List<String> baseUrlProperties,
      List<String> modelProperties,
      List<String> dimensionsProperties,
      String defaultModel) {
    this.starter = starter;
    this.provider = provider;
    this.apiKeyProperties = apiKeyProperties;
    this.baseUrlProperties = baseUrlProperties;
    this.modelProperties = modelProperties;
    this.dimensionsProperties = dimensionsProperties;
    this.defaultModel = defaultModel;
  }

  /** The starter's name, for messages and logs: {@code Spring AI's OpenAI starter}. */
  public String starter() {
    return starter;
  }

  /** The provider whose models the starter configures. */
  public BuiltInProvider provider() {
    return provider;
  }

  /** Every property of the row, in lookup order: keys, base URLs, models, dimensions. */
  public List<String> properties() {
    return Stream.of(apiKeyProperties, baseUrlProperties, modelProperties, dimensionsProperties)
        .flatMap(List::stream)
        .toList();
  }

  /** The first row, in table order, that has any of its properties set. */
  public static Optional<FrameworkProperties> configured(UnaryOperator<String> lookup) {
    return Arrays.stream(values())
        .filter(row -> row.properties().stream().anyMatch(p -> find(lookup, p) != null))
        .findFirst();
  }

  /**
   * The model this starter's properties name, as {@code provider:name}; else the model the starter
   * used when none was named, if it had a default; else null (the embedder's default applies).
   */
  public String model(UnaryOperator<String> lookup) {
    String name = first(lookup, modelProperties);
    name = name != null ? name : defaultModel;
    return name == null ? null : provider.id() + ":" + name;
  }

  /**
   * The dimensions this starter's properties ask for, or null.
   *
   * @throws IllegalArgumentException if the value is not a whole number, naming the property
   */
  public Integer dimensions(UnaryOperator<String> lookup) {
    for (String property : dimensionsProperties) {
      String value = find(lookup, property);
      if (value != null) {
        try {
          return Integer.valueOf(value);
        } catch (NumberFormatException e) {
          throw new IllegalArgumentException(
              property
                  + "="
                  + value
                  + " is not a whole number of dimensions: correct or remove it");
        }
      }
    }
    return null;
  }

  /** The key properties of every row serving {@code provider}, in table order. */
  static List<String> apiKeyProperties(BuiltInProvider provider) {
    return rowsOf(provider).flatMap(row -> row.apiKeyProperties.stream()).toList();
  }

  /** The base-URL properties of every row serving {@code provider}, in table order. */
  static List<String> baseUrlProperties(BuiltInProvider provider) {
    return rowsOf(provider).flatMap(row -> row.baseUrlProperties.stream()).toList();
  }

  private static Stream<FrameworkProperties> rowsOf(BuiltInProvider provider) {
    return Arrays.stream(values()).filter(row -> row.provider == provider);
  }

  private static String first(UnaryOperator<String> lookup, List<String> properties) {
    for (String property : properties) {
      String value = find(lookup, property);
      if (value != null) {
        return value;
      }
    }
    return null;
  }

  private static String find(UnaryOperator<String> lookup, String property) {
    return BuiltInProvider.lookup(lookup, property);
  }
}
