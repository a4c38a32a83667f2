package dev.embed4j.internal;

import dev.embed4j.EmbedListener;
import dev.embed4j.EmbeddingProvider;
import dev.embed4j.InputType;
import dev.embed4j.ModelRegistry;
import dev.embed4j.ModelSpec;
import dev.embed4j.RateLimiter;
import java.math.BigDecimal;
import java.net.InetAddress;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.function.UnaryOperator;
import okhttp3.HttpUrl;
import okhttp3.OkHttpClient;

/** An embedder's resolved, validated settings. Its {@code toString()} never shows the key. */
public record EngineConfig(ModelRegistry registry, ModelSpec model, String apiKey, String baseUrl, int dimensions,
    InputType inputType, boolean truncate, int batchSize, int maxConcurrentRequests, int maxAttempts,
    Duration requestTimeout, Duration connectTimeout, Duration initialBackoff, Duration maxBackoff,
    int requestsPerMinute, long tokensPerMinute, boolean learnRateLimits, RateLimiter rateLimiter,
    BigDecimal maxCost, Duration runTimeout, boolean showProgress, List<EmbedListener> listeners,
    EmbeddingProvider customProvider, OkHttpClient httpClient, UnaryOperator<String> environment,
    boolean allowInsecureHttp) {

  public static final String OPENAI = "openai";
  public static final String COHERE = "cohere";

  /** Resolves defaults (key and base URL from the environment, input type) and checks that the settings fit. */
  public static EngineConfig create(ModelRegistry registry, ModelSpec model, String apiKey, String baseUrl,
      int dimensions, InputType inputType, boolean truncate, int batchSize, int maxConcurrentRequests,
      int maxAttempts, Duration requestTimeout, Duration connectTimeout, Duration initialBackoff,
      Duration maxBackoff, int requestsPerMinute, long tokensPerMinute, boolean learnRateLimits,
      RateLimiter rateLimiter, BigDecimal maxCost, Duration runTimeout, boolean showProgress,
      List<EmbedListener> listeners, EmbeddingProvider customProvider, OkHttpClient httpClient,
      UnaryOperator<String> environment, boolean allowInsecureHttp) {
    String provider = model.provider();
    int dims = dimensions == 0 ? model.dimensions() : dimensions;
    if (!model.acceptsDimensions(dims)) {
      throw new IllegalStateException(model.id() + " does not accept dimensions=" + dims + ": it supports "
          + model.describeDimensions() + ". Remove dimensions(...) or choose a supported value.");
    }
    InputType type = inputType;
    if (customProvider != null) {
      if (!customProvider.id().equalsIgnoreCase(provider)) {
        throw new IllegalStateException("The custom provider '" + customProvider.id() + "' cannot serve model "
            + model.id() + ": describe the model with ModelSpec.builder(\"" + customProvider.id() + "\", ...)");
      }
      return new EngineConfig(registry, model, null, null, dims, type, truncate,
          Math.min(batchSize, model.maxInputsPerRequest()), maxConcurrentRequests, maxAttempts, requestTimeout,
          connectTimeout, initialBackoff, maxBackoff, requestsPerMinute, tokensPerMinute, learnRateLimits,
          rateLimiter, maxCost, runTimeout, showProgress, List.copyOf(listeners), customProvider, httpClient,
          environment, allowInsecureHttp);
    }
    String keyVariable;
    String baseVariable;
    String defaultBase;
    if (OPENAI.equals(provider)) {
      if (type != null) {
        throw new IllegalStateException(model.id() + " takes no input type, but inputType(" + type
            + ") was set. Remove it: OpenAI embeds queries and documents alike.");
      }
      keyVariable = "OPENAI_API_KEY";
      baseVariable = "OPENAI_BASE_URL";
      defaultBase = "https://api.openai.com";
    } else if (COHERE.equals(provider)) {
      type = type == null ? InputType.SEARCH_DOCUMENT : type;
      keyVariable = "COHERE_API_KEY";
      baseVariable = "COHERE_BASE_URL";
      defaultBase = "https://api.cohere.com";
    } else {
      throw new IllegalStateException("Model " + model.id() + " belongs to provider '" + provider
          + "', which has no built-in client (openai and cohere do). Pass one with Embedder.builder().provider(...).");
    }
    String key = apiKey != null ? apiKey : blankToNull(environment.apply(keyVariable));
    if (key == null) {
      throw new IllegalStateException("No API key for " + model.id() + ": set the " + keyVariable
          + " environment variable or call Embedder.builder().apiKey(...)");
    }
    String base = baseUrl != null ? baseUrl : blankToNull(environment.apply(baseVariable));
    base = base == null ? defaultBase : base;
    checkBaseUrl(base, baseVariable, allowInsecureHttp);
    return new EngineConfig(registry, model, key, base, dims, type, truncate,
        Math.min(batchSize, model.maxInputsPerRequest()), maxConcurrentRequests, maxAttempts, requestTimeout,
        connectTimeout, initialBackoff, maxBackoff, requestsPerMinute, tokensPerMinute, learnRateLimits,
        rateLimiter, maxCost, runTimeout, showProgress, List.copyOf(listeners), null, httpClient, environment,
        allowInsecureHttp);
  }

  private static void checkBaseUrl(String base, String variable, boolean allowInsecureHttp) {
    HttpUrl url = HttpUrl.parse(base);
    if (url == null) {
      throw new IllegalStateException("Base URL '" + base + "' is not an http(s) URL (from baseUrl(...) or "
          + variable + ")");
    }
    if (url.scheme().equals("http") && !allowInsecureHttp && !isLoopback(url.host())) {
      throw new IllegalStateException("Base URL " + url.scheme() + "://" + url.host() + " uses plain http on a "
          + "non-loopback host, which would send the API key unencrypted. Use https, or call "
          + "allowInsecureHttp(true) if you accept that.");
    }
  }

  static boolean isLoopback(String host) {
    String h = host.toLowerCase(Locale.ROOT);
    if (h.equals("localhost") || h.endsWith(".localhost")) {
      return true;
    }
    if (h.matches("[0-9.]+") || h.contains(":")) {
      try {
        return InetAddress.getByName(h).isLoopbackAddress();
      } catch (java.net.UnknownHostException e) {
        return false;
      }
    }
    return false;
  }

  private static String blankToNull(String s) {
    return s == null || s.isBlank() ? null : s.trim();
  }

  /** Settings for logs and {@code toString()}: never the key. */
  public String describe() {
    return model.id() + ", " + dimensions + " dims" + (inputType == null ? "" : ", " + inputType)
        + (baseUrl == null ? ", provider " + customProvider.id() : ", " + baseUrl) + ", batchSize " + batchSize
        + ", maxConcurrentRequests " + maxConcurrentRequests + ", maxAttempts " + maxAttempts;
  }

  @Override
  public String toString() {
    return "EngineConfig{" + describe() + "}";
  }
}
