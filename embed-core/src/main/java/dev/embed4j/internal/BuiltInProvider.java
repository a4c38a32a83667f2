package dev.embed4j.internal;

import dev.embed4j.InputType;
import dev.embed4j.ModelSpec;
import dev.embed4j.spi.EmbeddingProvider;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.function.UnaryOperator;
import okhttp3.HttpUrl;
import okhttp3.OkHttpClient;

/**
 * The table of built-in providers: one row per provider, with everything the engine needs to know
 * about it besides its models (which are in the registry). Adding a provider is one row here, one
 * provider class, and its models in {@code models.json}; no other file names a provider.
 *
 * <p>Keys and base URLs are looked up, in this order, in the {@code embed4j.<id>.api-key} / {@code
 * embed4j.<id>.base-url} properties and in the provider's own environment variables, as its
 * official SDKs name them; the lookup is the embedder's {@code environment} (system properties then
 * environment variables by default, Spring's {@code Environment} in the starter).
 */
public enum BuiltInProvider {
  OPENAI(
      "openai",
      "OpenAI",
      List.of("OPENAI_API_KEY"),
      "OPENAI_BASE_URL",
      "https://api.openai.com",
      "Authorization",
      "Bearer ",
      null,
      "text-embedding-3-small",
      new Limits(2048, 8192, 300_000),
      OpenAiProvider::new),
  COHERE(
      "cohere",
      "Cohere",
      List.of("COHERE_API_KEY"),
      "COHERE_BASE_URL",
      "https://api.cohere.com",
      "Authorization",
      "Bearer ",
      InputType.SEARCH_DOCUMENT,
      "embed-v4.0",
      null,
      CohereProvider::new);

  private final String id;
  private final String displayName;
  private final List<String> keyVariables;
  private final String baseUrlVariable;
  private final String defaultBaseUrl;
  private final String authHeader;
  private final String authPrefix;
  private final InputType defaultInputType;
  private final String defaultModel;
  private final Limits compatibleServerLimits;
  private final Factory factory;

  BuiltInProvider(
      String id,
      String displayName,
      List<String> keyVariables,
      String baseUrlVariable,
      String defaultBaseUrl,
      String authHeader,
      String authPrefix,
      InputType defaultInputType,
      String defaultModel,
      Limits compatibleServerLimits,
      Factory factory) {
    this.id = id;
    this.displayName = displayName;
    this.keyVariables = keyVariables;
    this.baseUrlVariable = baseUrlVariable;
    this.defaultBaseUrl = defaultBaseUrl;
    this.authHeader = authHeader;
    this.authPrefix = authPrefix;
    this.defaultInputType = defaultInputType;
    this.defaultModel = defaultModel;
    this.compatibleServerLimits = compatibleServerLimits;
    this.factory = factory;
  }

  /**
   * The request limits assumed for a model of a compatible server that the registry does not know.
   */
  record Limits(int inputsPerRequest, int tokensPerInput, int tokensPerRequest) {}

  /** Creates the provider's client for one base URL and key. */
  @FunctionalInterface
  interface Factory {
    EmbeddingProvider create(HttpCall http, HttpUrl base);
  }

  /** The row of provider {@code id}, if it is built in. */
  public static Optional<BuiltInProvider> find(String id) {
    String wanted = id.toLowerCase(Locale.ROOT);
    for (BuiltInProvider p : values()) {
      if (p.id.equals(wanted)) {
        return Optional.of(p);
      }
    }
    return Optional.empty();
  }

  /** The id models are registered under, e.g. {@code openai}. */
  public String id() {
    return id;
  }

  /** The provider's name for messages, e.g. {@code OpenAI}. */
  public String displayName() {
    return displayName;
  }

  /** The environment variables its key is read from, in order. */
  public List<String> keyVariables() {
    return keyVariables;
  }

  /** The environment variable its base URL is read from. */
  public String baseUrlVariable() {
    return baseUrlVariable;
  }

  /** The public endpoint, used when no base URL is configured. */
  public String defaultBaseUrl() {
    return defaultBaseUrl;
  }

  /** The property its key is read from before the variables, {@code embed4j.<id>.api-key}. */
  public String apiKeyProperty() {
    return "embed4j." + id + ".api-key";
  }

  /** The property its base URL is read from before the variable, {@code embed4j.<id>.base-url}. */
  public String baseUrlProperty() {
    return "embed4j." + id + ".base-url";
  }

  /** The model used when none is configured and this is the first provider whose key is found. */
  public String defaultModel() {
    return id + ":" + defaultModel;
  }

  /** Whether its models take an input type (search query, document, ...). */
  public boolean takesInputType() {
    return defaultInputType != null;
  }

  /** The input type sent when none is configured, or null if it takes none. */
  InputType defaultInputType() {
    return defaultInputType;
  }

  /** Where to set the key, for messages: {@code embed4j.openai.api-key (or OPENAI_API_KEY)}. */
  public String describeKeySources() {
    return apiKeyProperty()
        + " (or the "
        + String.join(" or ", keyVariables)
        + " environment variable)";
  }

  /** The key from the property or the variables, or null. */
  String findKey(UnaryOperator<String> lookup) {
    String key = lookup(lookup, apiKeyProperty());
    for (int i = 0; key == null && i < keyVariables.size(); i++) {
      key = lookup(lookup, keyVariables.get(i));
    }
    return key;
  }

  /** The base URL from the property or the variable, or null. */
  String findBaseUrl(UnaryOperator<String> lookup) {
    String base = lookup(lookup, baseUrlProperty());
    return base != null ? base : lookup(lookup, baseUrlVariable);
  }

  /**
   * A model of an OpenAI-compatible server the registry does not know ({@code openai:NAME}), with
   * this provider's limits, estimated tokens and no price; empty if this provider has no compatible
   * servers.
   */
  Optional<ModelSpec> compatibleServerModel(String name, int dimensions) {
    if (compatibleServerLimits == null || dimensions <= 0) {
      return Optional.empty();
    }
    return Optional.of(
        ModelSpec.builder(id, name)
            .dimensions(dimensions)
            .maxInputsPerRequest(compatibleServerLimits.inputsPerRequest())
            .maxTokensPerInput(compatibleServerLimits.tokensPerInput())
            .maxTokensPerRequest(compatibleServerLimits.tokensPerRequest())
            .build());
  }

  /**
   * The provider's client for {@code base}, authenticating with {@code key}: what an embedder sends
   * batches through (also used directly by the benchmarks).
   */
  public EmbeddingProvider create(OkHttpClient client, HttpUrl base, String key) {
    return factory.create(new HttpCall(client, id, authHeader, authPrefix + key), base);
  }

  /** An {@link HttpCall} for other endpoints of this provider (the Batch API's files and jobs). */
  HttpCall http(OkHttpClient client, String key) {
    return new HttpCall(client, id, authHeader, authPrefix + key);
  }

  /** The embedders' default lookup: a system property of that name, else the variable. */
  static String systemPropertyOrVariable(String name) {
    String value = System.getProperty(name);
    return value != null ? value : System.getenv(name);
  }

  /** {@code lookup.apply(name)}, trimmed; null if absent or blank. */
  static String lookup(UnaryOperator<String> lookup, String name) {
    String value = lookup.apply(name);
    return value == null || value.isBlank() ? null : value.trim();
  }
}
