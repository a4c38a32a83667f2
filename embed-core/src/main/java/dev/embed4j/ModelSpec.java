package dev.embed4j;

import java.math.BigDecimal;
import java.math.MathContext;
import java.util.Locale;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;

/**
 * Everything Embed4j needs to know about one embedding model to batch, validate and price requests
 * without asking the server: its provider, dimensions, limits, price and tokenizer.
 *
 * <p>Instances are immutable and thread-safe. The bundled models are listed by {@link
 * ModelRegistry#defaults()}; describe another one with {@link #builder(String, String)} and
 * register it with {@link ModelRegistry.Builder#add(ModelSpec)}.
 *
 * <pre>{@code
 * ModelSpec nomic = ModelSpec.builder("openai", "nomic-embed-text").dimensions(768)
 *     .maxInputsPerRequest(512).maxTokensPerInput(8192).maxTokensPerRequest(100_000).build();
 * }</pre>
 */
public final class ModelSpec {

  /** OpenAI's {@code cl100k_base} byte-pair encoding, exact for the OpenAI embedding models. */
  public static final String TOKENIZER_CL100K = "cl100k_base";

  /**
   * No exact tokenizer is known: token counts used for batching, validation and budgets are
   * estimated with {@code cl100k_base}; what is billed always comes from the server.
   */
  public static final String TOKENIZER_ESTIMATE = "estimate";

  private static final BigDecimal MILLION = BigDecimal.valueOf(1_000_000);

  private final String provider;
  private final String name;
  private final int dimensions;
  private final int minReducedDimensions;
  private final Set<Integer> reducedDimensions;
  private final BigDecimal pricePerMillionTokens;
  private final BigDecimal batchPricePerMillionTokens;
  private final int maxInputsPerRequest;
  private final int maxTokensPerInput;
  private final int maxTokensPerRequest;
  private final String tokenizer;
  private final BigDecimal pricePerMillionImageTokens;

  private ModelSpec(Builder b) {
    this.provider = b.provider;
    this.name = b.name;
    this.dimensions = b.dimensions;
    this.minReducedDimensions = b.minReducedDimensions;
    this.reducedDimensions = Set.copyOf(b.reducedDimensions);
    this.pricePerMillionTokens = b.pricePerMillionTokens;
    this.batchPricePerMillionTokens =
        b.batchPricePerMillionTokens != null
            ? b.batchPricePerMillionTokens
            : b.pricePerMillionTokens;
    this.maxInputsPerRequest = b.maxInputsPerRequest;
    this.maxTokensPerInput = b.maxTokensPerInput;
    this.maxTokensPerRequest = b.maxTokensPerRequest;
    this.tokenizer = b.tokenizer;
    this.pricePerMillionImageTokens = b.pricePerMillionImageTokens;
  }

  /**
   * Starts describing a model.
   *
   * @param provider the provider id: {@code openai} (also for OpenAI-compatible servers), {@code
   *     cohere}, or the id of a custom {@link dev.embed4j.spi.EmbeddingProvider}
   * @param name the model name the provider's API expects
   */
  public static Builder builder(String provider, String name) {
    return new Builder(provider, name);
  }

  /** A builder initialised from this spec, to override some of its values. */
  public Builder toBuilder() {
    Builder b = new Builder(provider, name);
    b.dimensions = dimensions;
    b.minReducedDimensions = minReducedDimensions;
    b.reducedDimensions.addAll(reducedDimensions);
    b.pricePerMillionTokens = pricePerMillionTokens;
    b.batchPricePerMillionTokens = batchPricePerMillionTokens;
    b.maxInputsPerRequest = maxInputsPerRequest;
    b.maxTokensPerInput = maxTokensPerInput;
    b.maxTokensPerRequest = maxTokensPerRequest;
    b.tokenizer = tokenizer;
    b.pricePerMillionImageTokens = pricePerMillionImageTokens;
    return b;
  }

  /** The provider id, lower case, e.g. {@code openai}. */
  public String provider() {
    return provider;
  }

  /** The model name sent to the provider, e.g. {@code text-embedding-3-small}. */
  public String name() {
    return name;
  }

  /** {@code provider:name}, the form that is unique across providers. */
  public String id() {
    return provider + ":" + name;
  }

  /** The native dimension of the model's vectors. */
  public int dimensions() {
    return dimensions;
  }

  /** Whether the model can return shorter vectors than its native dimension. */
  public boolean supportsReducedDimensions() {
    return minReducedDimensions > 0 || !reducedDimensions.isEmpty();
  }

  /**
   * Whether a request for vectors of {@code requested} dimensions is valid for this model: the
   * native dimension always is; others only where the model accepts them.
   */
  public boolean acceptsDimensions(int requested) {
    if (requested == dimensions) {
      return true;
    }
    if (minReducedDimensions > 0 && requested >= minReducedDimensions && requested <= dimensions) {
      return true;
    }
    return reducedDimensions.contains(requested);
  }

  /** A human-readable description of the accepted dimensions, for error messages. */
  public String describeDimensions() {
    if (minReducedDimensions > 0) {
      return "any of " + minReducedDimensions + ".." + dimensions;
    }
    if (!reducedDimensions.isEmpty()) {
      TreeSet<Integer> all = new TreeSet<>(reducedDimensions);
      all.add(dimensions);
      return "one of " + all;
    }
    return "only its native " + dimensions;
  }

  /** US dollars per one million input tokens. */
  public BigDecimal pricePerMillionTokens() {
    return pricePerMillionTokens;
  }

  /** US dollars for {@code tokens} input tokens at this model's price. */
  public BigDecimal cost(long tokens) {
    return pricePerMillionTokens
        .multiply(BigDecimal.valueOf(tokens))
        .divide(MILLION, MathContext.DECIMAL64);
  }

  /**
   * US dollars per one million input tokens through OpenAI's Batch API ({@link RunMode#BATCH_API}):
   * half the realtime price for the bundled OpenAI models; the realtime price where none is known.
   */
  public BigDecimal batchPricePerMillionTokens() {
    return batchPricePerMillionTokens;
  }

  /** US dollars for {@code tokens} input tokens at this model's Batch API price. */
  public BigDecimal batchCost(long tokens) {
    return batchPricePerMillionTokens
        .multiply(BigDecimal.valueOf(tokens))
        .divide(MILLION, MathContext.DECIMAL64);
  }

  /**
   * Whether the model embeds images, alone or with text in one input ({@link
   * dev.embed4j.EmbedInput}): the models with an image price, such as Cohere's {@code embed-v4.0}.
   */
  public boolean acceptsImages() {
    return pricePerMillionImageTokens != null;
  }

  /** US dollars per one million image tokens, or null for a model that takes no images. */
  public BigDecimal pricePerMillionImageTokens() {
    return pricePerMillionImageTokens;
  }

  /**
   * US dollars for {@code tokens} text tokens and {@code imageTokens} image tokens at this model's
   * prices.
   */
  public BigDecimal cost(long tokens, long imageTokens) {
    BigDecimal text = cost(tokens);
    return imageTokens <= 0 || pricePerMillionImageTokens == null
        ? text
        : text.add(
            pricePerMillionImageTokens
                .multiply(BigDecimal.valueOf(imageTokens))
                .divide(MILLION, MathContext.DECIMAL64));
  }

  /** The most texts one request may carry. */
  public int maxInputsPerRequest() {
    return maxInputsPerRequest;
  }

  /** The most tokens one text may have. */
  public int maxTokensPerInput() {
    return maxTokensPerInput;
  }

  /** The most tokens all texts of one request may have together. */
  public int maxTokensPerRequest() {
    return maxTokensPerRequest;
  }

  /** {@link #TOKENIZER_CL100K} or {@link #TOKENIZER_ESTIMATE}. */
  public String tokenizer() {
    return tokenizer;
  }

  /** Whether token counts for this model are exact rather than estimated. */
  public boolean hasExactTokenizer() {
    return !TOKENIZER_ESTIMATE.equals(tokenizer);
  }

  @Override
  public boolean equals(Object o) {
    if (this == o) {
      return true;
    }
    if (!(o instanceof ModelSpec)) {
      return false;
    }
    ModelSpec that = (ModelSpec) o;
    return dimensions == that.dimensions
        && minReducedDimensions == that.minReducedDimensions
        && maxInputsPerRequest == that.maxInputsPerRequest
        && maxTokensPerInput == that.maxTokensPerInput
        && maxTokensPerRequest == that.maxTokensPerRequest
        && provider.equals(that.provider)
        && name.equals(that.name)
        && reducedDimensions.equals(that.reducedDimensions)
        && pricePerMillionTokens.compareTo(that.pricePerMillionTokens) == 0
        && batchPricePerMillionTokens.compareTo(that.batchPricePerMillionTokens) == 0
        && tokenizer.equals(that.tokenizer)
        && (pricePerMillionImageTokens == null
            ? that.pricePerMillionImageTokens == null
            : that.pricePerMillionImageTokens != null
                && pricePerMillionImageTokens.compareTo(that.pricePerMillionImageTokens) == 0);
  }

  @Override
  public int hashCode() {
    return Objects.hash(provider, name, dimensions, maxInputsPerRequest, maxTokensPerInput);
  }

  @Override
  public String toString() {
    return String.format(
        "ModelSpec{%s, %d dims, $%s/1M tokens, %d inputs/request, %d tokens/input, %d tokens/request,"
            + " tokenizer %s%s}",
        id(),
        dimensions,
        pricePerMillionTokens.toPlainString(),
        maxInputsPerRequest,
        maxTokensPerInput,
        maxTokensPerRequest,
        tokenizer,
        pricePerMillionImageTokens == null
            ? ""
            : ", images $" + pricePerMillionImageTokens.toPlainString() + "/1M image tokens");
  }

  /** Builds a {@link ModelSpec}; every setter checks its argument at once. */
  public static final class Builder {
    private final String provider;
    private final String name;
    private int dimensions;
    private int minReducedDimensions;
    private final Set<Integer> reducedDimensions = new TreeSet<>();
    private BigDecimal pricePerMillionTokens = BigDecimal.ZERO;
    private BigDecimal batchPricePerMillionTokens; // null: the realtime price
    private int maxInputsPerRequest = 2048;
    private int maxTokensPerInput = 8192;
    private int maxTokensPerRequest = 300_000;
    private String tokenizer = TOKENIZER_ESTIMATE;
    private BigDecimal pricePerMillionImageTokens;

    private Builder(String provider, String name) {
      Objects.requireNonNull(provider, "provider");
      Objects.requireNonNull(name, "name");
      if (provider.isBlank() || provider.contains(":")) {
        throw new IllegalArgumentException(
            "provider must be a non-blank id without ':', was '" + provider + "'");
      }
      if (name.isBlank()) {
        throw new IllegalArgumentException("model name must not be blank");
      }
      this.provider = provider.toLowerCase(Locale.ROOT);
      this.name = name;
    }

    /** The native dimension of the model's vectors (required). */
    public Builder dimensions(int dimensions) {
      this.dimensions = requirePositive("dimensions", dimensions);
      return this;
    }

    /** The model accepts any dimension from {@code min} up to its native one (OpenAI v3 models). */
    public Builder reducibleFrom(int min) {
      this.minReducedDimensions = requirePositive("reducibleFrom", min);
      return this;
    }

    /** The model accepts these reduced dimensions besides its native one (Cohere embed-v4.0). */
    public Builder reducedDimensions(Set<Integer> accepted) {
      for (Integer d : accepted) {
        requirePositive("reducedDimensions", d);
      }
      this.reducedDimensions.clear();
      this.reducedDimensions.addAll(accepted);
      return this;
    }

    /** US dollars per one million input tokens (default 0). */
    public Builder pricePerMillionTokens(BigDecimal price) {
      Objects.requireNonNull(price, "pricePerMillionTokens");
      if (price.signum() < 0) {
        throw new IllegalArgumentException(
            "pricePerMillionTokens must not be negative, was " + price);
      }
      this.pricePerMillionTokens = price;
      return this;
    }

    /** US dollars per one million input tokens through the Batch API (default: the price). */
    public Builder batchPricePerMillionTokens(BigDecimal price) {
      Objects.requireNonNull(price, "batchPricePerMillionTokens");
      if (price.signum() < 0) {
        throw new IllegalArgumentException(
            "batchPricePerMillionTokens must not be negative, was " + price);
      }
      this.batchPricePerMillionTokens = price;
      return this;
    }

    /**
     * US dollars per one million image tokens, for a model that embeds images (Cohere {@code
     * embed-v4.0}: 0.47); null (the default) for a model that takes none.
     */
    public Builder pricePerMillionImageTokens(BigDecimal price) {
      if (price != null && price.signum() < 0) {
        throw new IllegalArgumentException(
            "pricePerMillionImageTokens must not be negative, was " + price);
      }
      this.pricePerMillionImageTokens = price;
      return this;
    }

    /** The most texts one request may carry (default 2048). */
    public Builder maxInputsPerRequest(int max) {
      this.maxInputsPerRequest = requirePositive("maxInputsPerRequest", max);
      return this;
    }

    /** The most tokens one text may have (default 8192). */
    public Builder maxTokensPerInput(int max) {
      this.maxTokensPerInput = requirePositive("maxTokensPerInput", max);
      return this;
    }

    /** The most tokens one request may carry in all (default 300,000). */
    public Builder maxTokensPerRequest(int max) {
      this.maxTokensPerRequest = requirePositive("maxTokensPerRequest", max);
      return this;
    }

    /** {@link #TOKENIZER_CL100K} or {@link #TOKENIZER_ESTIMATE} (default). */
    public Builder tokenizer(String tokenizer) {
      if (!TOKENIZER_CL100K.equals(tokenizer) && !TOKENIZER_ESTIMATE.equals(tokenizer)) {
        throw new IllegalArgumentException(
            "tokenizer must be '"
                + TOKENIZER_CL100K
                + "' or '"
                + TOKENIZER_ESTIMATE
                + "', was '"
                + tokenizer
                + "'");
      }
      this.tokenizer = tokenizer;
      return this;
    }

    /**
     * @throws IllegalStateException if the dimensions were not set or the limits contradict
     */
    public ModelSpec build() {
      if (dimensions == 0) {
        throw new IllegalStateException(
            "dimensions of model " + provider + ":" + name + " must be set");
      }
      if (minReducedDimensions > dimensions) {
        throw new IllegalStateException(
            "reducibleFrom("
                + minReducedDimensions
                + ") exceeds the native dimensions "
                + dimensions
                + " of "
                + provider
                + ":"
                + name);
      }
      if (maxTokensPerInput > maxTokensPerRequest) {
        throw new IllegalStateException(
            "maxTokensPerInput "
                + maxTokensPerInput
                + " exceeds maxTokensPerRequest "
                + maxTokensPerRequest
                + " of "
                + provider
                + ":"
                + name);
      }
      return new ModelSpec(this);
    }

    private static int requirePositive(String what, int value) {
      if (value <= 0) {
        throw new IllegalArgumentException(what + " must be positive, was " + value);
      }
      return value;
    }
  }
}
