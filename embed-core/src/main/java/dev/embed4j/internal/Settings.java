package dev.embed4j.internal;

import dev.embed4j.EmbedListener;
import dev.embed4j.InputType;
import dev.embed4j.ModelRegistry;
import dev.embed4j.ModelSpec;
import dev.embed4j.spi.EmbeddingCache;
import dev.embed4j.spi.EmbeddingProvider;
import dev.embed4j.spi.RateLimiter;
import java.math.BigDecimal;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.function.Supplier;
import java.util.function.UnaryOperator;
import okhttp3.OkHttpClient;

/**
 * Every setting of an embedder, declared once. {@code Embedder.Builder} writes here through the
 * checked setters; {@link #copy()} is {@code newBuilder()}; {@link #freeze()} resolves the model,
 * key, base URL, dimensions and input type and returns the frozen configuration the engine reads.
 * Its {@code toString()} never shows the key.
 */
public final class Settings implements Cloneable {
  // What the user sets; each with its default.
  ModelRegistry registry = ModelRegistry.defaults();
  String modelName; // null with modelSpec null: the first provider whose key is found
  ModelSpec modelSpec;
  String apiKey;
  String baseUrl;
  int dimensions; // 0: the model's native dimensions
  InputType inputType; // null: the provider's default
  boolean truncate;
  int batchSize = 64;
  int maxConcurrentRequests = 16;
  int maxAttempts = 5;
  Duration requestTimeout = Duration.ofSeconds(60);
  Duration connectTimeout = Duration.ofSeconds(10);
  Duration initialBackoff = Duration.ofMillis(500);
  Duration maxBackoff = Duration.ofSeconds(30);
  int requestsPerMinute; // 0: unlimited unless learned
  long tokensPerMinute;
  boolean learnRateLimits = true;
  RateLimiter rateLimiter;
  BigDecimal maxCost;
  Duration runTimeout;
  boolean showProgress;
  List<EmbedListener> listeners = new ArrayList<>();
  EmbeddingProvider provider;
  OkHttpClient httpClient;
  UnaryOperator<String> environment = BuiltInProvider::systemPropertyOrVariable;
  boolean allowInsecureHttp;
  EmbeddingCache cache; // null: none
  boolean dedupe = true;
  Supplier<String> tokenSupplier; // null: the API key authenticates

  // Resolved by freeze().
  private static final Set<String> RESOLVED =
      Set.of("frozen", "model", "builtIn", "key", "base", "dims", "type", "batch");
  private boolean frozen;
  ModelSpec model;
  BuiltInProvider builtIn;
  String key;
  String base;
  int dims;
  InputType type;
  int batch;

  public Settings model(String name) {
    Objects.requireNonNull(name, "model");
    if (name.isBlank()) {
      throw new IllegalArgumentException("model must not be blank");
    }
    check().modelName = name.trim();
    modelSpec = null;
    return this;
  }

  public Settings model(ModelSpec spec) {
    check().modelSpec = Objects.requireNonNull(spec, "model");
    modelName = null;
    return this;
  }

  public Settings registry(ModelRegistry registry) {
    check().registry = Objects.requireNonNull(registry, "registry");
    return this;
  }

  public Settings apiKey(String apiKey) {
    Objects.requireNonNull(apiKey, "apiKey");
    if (apiKey.isBlank()) {
      throw new IllegalArgumentException("apiKey must not be blank");
    }
    check().apiKey = apiKey;
    return this;
  }

  public Settings baseUrl(String baseUrl) {
    check().baseUrl = Objects.requireNonNull(baseUrl, "baseUrl").trim();
    return this;
  }

  public Settings dimensions(int dimensions) {
    check().dimensions = positive("dimensions", dimensions);
    return this;
  }

  public Settings inputType(InputType inputType) {
    check().inputType = inputType;
    return this;
  }

  public Settings truncate(boolean truncate) {
    check().truncate = truncate;
    return this;
  }

  public Settings batchSize(int batchSize) {
    check().batchSize = positive("batchSize", batchSize);
    return this;
  }

  public Settings maxConcurrentRequests(int max) {
    if (max <= 0 || max > 1024) {
      throw new IllegalArgumentException("maxConcurrentRequests must be 1 to 1024, was " + max);
    }
    check().maxConcurrentRequests = max;
    return this;
  }

  public Settings maxAttempts(int maxAttempts) {
    check().maxAttempts = positive("maxAttempts", maxAttempts);
    return this;
  }

  public Settings requestTimeout(Duration timeout) {
    check().requestTimeout = positive("requestTimeout", timeout);
    return this;
  }

  public Settings connectTimeout(Duration timeout) {
    check().connectTimeout = positive("connectTimeout", timeout);
    return this;
  }

  public Settings initialBackoff(Duration initial) {
    check().initialBackoff = positive("initialBackoff", initial);
    return this;
  }

  public Settings maxBackoff(Duration max) {
    check().maxBackoff = positive("maxBackoff", max);
    return this;
  }

  public Settings requestsPerMinute(int rpm) {
    check().requestsPerMinute = positive("requestsPerMinute", rpm);
    return this;
  }

  public Settings tokensPerMinute(long tpm) {
    if (tpm <= 0) {
      throw new IllegalArgumentException("tokensPerMinute must be positive, was " + tpm);
    }
    check().tokensPerMinute = tpm;
    return this;
  }

  public Settings learnRateLimits(boolean learn) {
    check().learnRateLimits = learn;
    return this;
  }

  public Settings rateLimiter(RateLimiter limiter) {
    check().rateLimiter = Objects.requireNonNull(limiter, "rateLimiter");
    return this;
  }

  public Settings maxCost(BigDecimal dollars) {
    Objects.requireNonNull(dollars, "maxCost");
    if (dollars.signum() <= 0) {
      throw new IllegalArgumentException("maxCost must be positive, was " + dollars);
    }
    check().maxCost = dollars;
    return this;
  }

  public Settings runTimeout(Duration timeout) {
    check().runTimeout = positive("runTimeout", timeout);
    return this;
  }

  public Settings showProgress(boolean show) {
    check().showProgress = show;
    return this;
  }

  public Settings listener(EmbedListener listener) {
    check().listeners.add(Objects.requireNonNull(listener, "listener"));
    return this;
  }

  public Settings provider(EmbeddingProvider provider) {
    check().provider = Objects.requireNonNull(provider, "provider");
    return this;
  }

  public Settings httpClient(OkHttpClient client) {
    check().httpClient = Objects.requireNonNull(client, "httpClient");
    return this;
  }

  public Settings environment(UnaryOperator<String> environment) {
    check().environment = Objects.requireNonNull(environment, "environment");
    return this;
  }

  public Settings cache(EmbeddingCache cache) {
    check().cache = Objects.requireNonNull(cache, "cache");
    return this;
  }

  public Settings dedupe(boolean dedupe) {
    check().dedupe = dedupe;
    return this;
  }

  public Settings tokenSupplier(Supplier<String> supplier) {
    check().tokenSupplier = Objects.requireNonNull(supplier, "tokenSupplier");
    return this;
  }

  public Settings allowInsecureHttp(boolean allow) {
    check().allowInsecureHttp = allow;
    return this;
  }

  /**
   * A mutable copy, for {@code newBuilder()}: the resolved model replaces the name, and native
   * dimensions follow the model (a new model gets its own).
   */
  public Settings copy() {
    Settings c = clone();
    c.listeners = new ArrayList<>(listeners);
    if (frozen) {
      c.frozen = false;
      c.modelSpec = model;
      c.modelName = null;
      c.dimensions = dims == model.dimensions() ? 0 : dims;
    }
    return c;
  }

  /**
   * The frozen configuration: a copy whose model, key, base URL, dimensions and input type are
   * resolved and checked.
   *
   * @throws IllegalArgumentException if the model is unknown
   * @throws IllegalStateException if the settings do not fit together
   */
  public Settings freeze() {
    Settings f = clone();
    f.listeners = List.copyOf(listeners);
    Resolution.resolve(f);
    f.frozen = true;
    return f;
  }

  /**
   * Whether an API key is set or found for the model's provider (or, with no model set, for any
   * built-in provider); always true with a provider of your own.
   */
  public boolean apiKeyFound() {
    return Resolution.apiKeyFound(this);
  }

  private Settings check() {
    if (frozen) {
      throw new IllegalStateException("These settings are frozen: derive new ones with copy()");
    }
    return this;
  }

  private static int positive(String what, int value) {
    if (value <= 0) {
      throw new IllegalArgumentException(what + " must be positive, was " + value);
    }
    return value;
  }

  private static Duration positive(String what, Duration d) {
    Objects.requireNonNull(d, what);
    if (d.isNegative() || d.isZero()) {
      throw new IllegalArgumentException(what + " must be positive, was " + d);
    }
    return d;
  }

  @Override
  protected Settings clone() {
    try {
      return (Settings) super.clone();
    } catch (CloneNotSupportedException e) {
      throw new AssertionError(e);
    }
  }

  /**
   * The default of every setting that has one, by field name ({@code batchSize}, {@code
   * requestTimeout}, {@code initialBackoff}, {@code learnRateLimits}, ...): integers, longs,
   * booleans and durations, read from a fresh instance, so that the Spring Boot starter can show
   * core's defaults without copying them.
   */
  public static Map<String, Object> defaults() {
    return Resolution.defaults(new Settings(), RESOLVED);
  }

  /** The resolved model (frozen settings only). */
  public ModelSpec model() {
    return model;
  }

  /** The registry model names are looked up in. */
  public ModelRegistry registry() {
    return registry;
  }

  /** The resolved dimensions (frozen settings only). */
  public int dimensions() {
    return dims;
  }

  /** The resolved input type, or null (frozen settings only). */
  public InputType inputType() {
    return type;
  }

  /** Whether the model's provider takes an input type (frozen settings only). */
  public boolean acceptsInputType() {
    return builtIn != null ? builtIn.takesInputType() : type != null;
  }

  /** Settings for logs and {@code toString()}: never the key. */
  @Override
  public String toString() {
    if (!frozen) {
      return "Settings{unresolved" + (modelName != null ? ", " + modelName : "") + "}";
    }
    return model.id()
        + ", "
        + dims
        + " dims"
        + (type == null ? "" : ", " + type)
        + (builtIn == null ? ", provider " + provider.id() : ", " + base)
        + ", batchSize "
        + batch
        + ", maxConcurrentRequests "
        + maxConcurrentRequests
        + ", maxAttempts "
        + maxAttempts;
  }
}
