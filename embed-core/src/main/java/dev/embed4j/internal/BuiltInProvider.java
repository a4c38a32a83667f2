package dev.embed4j.internal;

import dev.embed4j.InputType;
import dev.embed4j.ModelSpec;
import dev.embed4j.spi.EmbeddingProvider;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.function.Supplier;
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
      CohereProvider::new),
  /**
   * Azure OpenAI. The base URL ({@code AZURE_OPENAI_ENDPOINT}) is the resource's endpoint, whose
   * deployment of a model is named as the model ({@code azure:text-embedding-3-small}, or {@code
   * azure:DEPLOYMENT} with dimensions for one of another name); or a deployment's URL {@code
   * {endpoint}/openai/deployments/{deployment}}; or the v1 API {@code {endpoint}/openai/v1}. An
   * {@code api-version} query parameter on the base URL replaces the default. Authenticates with
   * the {@code api-key} header, or with a Microsoft Entra ID token ({@code tokenSupplier}).
   */
  AZURE(
      "azure",
      "Azure OpenAI",
      List.of("AZURE_OPENAI_API_KEY"),
      "AZURE_OPENAI_ENDPOINT",
      null,
      "api-key",
      "",
      null,
      "text-embedding-3-small",
      new Limits(2048, 8192, 300_000),
      AzureOpenAiProvider::new,
      true),
  VOYAGE(
      "voyage",
      "Voyage AI",
      List.of("VOYAGE_API_KEY"),
      "VOYAGE_BASE_URL",
      "https://api.voyageai.com",
      "Authorization",
      "Bearer ",
      InputType.SEARCH_DOCUMENT,
      "voyage-4",
      null,
      VoyageProvider::new,
      true),
  MISTRAL(
      "mistral",
      "Mistral AI",
      List.of("MISTRAL_API_KEY"),
      "MISTRAL_BASE_URL",
      "https://api.mistral.ai",
      "Authorization",
      "Bearer ",
      null,
      "mistral-embed",
      null,
      MistralProvider::new,
      true),
  JINA(
      "jina",
      "Jina AI",
      List.of("JINA_API_KEY"),
      "JINA_BASE_URL",
      "https://api.jina.ai",
      "Authorization",
      "Bearer ",
      InputType.SEARCH_DOCUMENT,
      "jina-embeddings-v3",
      null,
      JinaProvider::new,
      true),
  /** Google's Gemini API; its replies carry no token usage, so tokens and cost are estimated. */
  GEMINI(
      "gemini",
      "Google Gemini",
      List.of("GEMINI_API_KEY", "GOOGLE_API_KEY"),
      "GEMINI_BASE_URL",
      "https://generativelanguage.googleapis.com",
      "x-goog-api-key",
      "",
      InputType.SEARCH_DOCUMENT,
      "gemini-embedding-001",
      null,
      GeminiProvider::new,
      true),
  /**
   * A self-hosted Ollama server's native {@code /api/embed}: free, keyless unless a key is set
   * (sent as a bearer token, for a server behind a proxy); any pulled model as {@code ollama:NAME}
   * with its dimensions.
   */
  OLLAMA(
      "ollama",
      "Ollama",
      List.of("OLLAMA_API_KEY"),
      "OLLAMA_BASE_URL",
      "http://localhost:11434",
      "Authorization",
      "Bearer ",
      null,
      "nomic-embed-text",
      new Limits(512, 8192, 4_194_304),
      OllamaProvider::new,
      false),
  /**
   * A self-hosted Hugging Face text-embeddings-inference server's {@code /embed}: free, keyless
   * unless its {@code --api-key} is set; 32 inputs per request, its default {@code
   * --max-client-batch-size} (register the model with a higher {@code maxInputsPerRequest} for a
   * server started with a higher one).
   */
  TEI(
      "tei",
      "text-embeddings-inference",
      List.of("TEI_API_KEY"),
      "TEI_BASE_URL",
      "http://localhost:8080",
      "Authorization",
      "Bearer ",
      null,
      "BAAI/bge-base-en-v1.5",
      new Limits(32, 512, 16_384),
      TeiProvider::new,
      false);

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
  private final boolean keyRequired;

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
    this(
        id,
        displayName,
        keyVariables,
        baseUrlVariable,
        defaultBaseUrl,
        authHeader,
        authPrefix,
        defaultInputType,
        defaultModel,
        compatibleServerLimits,
        factory,
        true);
  }

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
      Factory factory,
      boolean keyRequired) {
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
    this.keyRequired = keyRequired;
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

  /**
   * The endpoint used when no base URL is configured, or null where there is none (Azure: each
   * resource has its own).
   */
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

  /**
   * Whether a run needs a key (or a token supplier); false for self-hosted servers, which are
   * keyless unless one is configured.
   */
  public boolean keyRequired() {
    return keyRequired;
  }

  /** Whether it serves models the registry does not know, as {@code <id>:NAME} with dimensions. */
  boolean servesUnlistedModels() {
    return compatibleServerLimits != null;
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
    return create(client, base, key, null);
  }

  /**
   * As {@link #create(OkHttpClient, HttpUrl, String)}; with a {@code tokenSupplier}, each request
   * carries {@code Authorization: Bearer <token>} from it instead of the key (Microsoft Entra ID
   * for Azure); with neither (a keyless self-hosted server), no authentication header.
   */
  public EmbeddingProvider create(
      OkHttpClient client, HttpUrl base, String key, Supplier<String> tokenSupplier) {
    HttpCall http;
    if (tokenSupplier != null) {
      http =
          new HttpCall(
              client,
              id,
              "Authorization",
              () -> {
                String token = tokenSupplier.get();
                return token == null || token.isBlank() ? null : "Bearer " + token.trim();
              });
    } else {
      http = new HttpCall(client, id, authHeader, key == null ? null : authPrefix + key);
    }
    return factory.create(http, base);
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
