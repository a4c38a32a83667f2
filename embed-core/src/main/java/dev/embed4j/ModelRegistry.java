package dev.embed4j;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;

/**
 * The models Embed4j knows: provider, dimensions, limits, price and tokenizer of each.
 *
 * <p>{@link #defaults()} holds the bundled models (the resource {@code dev/embed4j/models.json}):
 * OpenAI's {@code text-embedding-3-small}, {@code text-embedding-3-large}, {@code
 * text-embedding-ada-002} and Cohere's {@code embed-v4.0} and the four v3 models. Add or override
 * models with {@link #toBuilder()}:
 *
 * <pre>{@code
 * ModelRegistry registry = ModelRegistry.defaults().toBuilder()
 *     .add(ModelSpec.builder("openai", "text-embedding-3-small")
 *         .dimensions(1536).reducibleFrom(1)
 *         .pricePerMillionTokens(new BigDecimal("0.01"))   // your negotiated price
 *         .tokenizer(ModelSpec.TOKENIZER_CL100K)
 *         .build())
 *     .build();
 * }</pre>
 *
 * <p>A model is looked up by {@code provider:name} ({@code cohere:embed-v4.0}) or by its bare name
 * when only one provider has a model of that name. Registries are immutable and thread-safe.
 */
public final class ModelRegistry {

  private static final String RESOURCE = "/dev/embed4j/models.json";
  private static volatile ModelRegistry defaults;

  private final Map<String, ModelSpec> byId;
  private final Set<String> qualifiedOnly;

  private ModelRegistry(Map<String, ModelSpec> byId, Set<String> qualifiedOnly) {
    this.byId = Collections.unmodifiableMap(new LinkedHashMap<>(byId));
    this.qualifiedOnly = Set.copyOf(qualifiedOnly);
  }

  /** The bundled models. */
  public static ModelRegistry defaults() {
    ModelRegistry registry = defaults;
    if (registry == null) {
      try (InputStream in = ModelRegistry.class.getResourceAsStream(RESOURCE)) {
        if (in == null) {
          throw new IllegalStateException(
              "The bundled model list " + RESOURCE + " is missing from the classpath");
        }
        registry = builder().load(in).build();
      } catch (IOException e) {
        throw new UncheckedIOException("Could not read the bundled model list " + RESOURCE, e);
      }
      defaults = registry;
    }
    return registry;
  }

  /** An empty registry builder. */
  public static Builder builder() {
    return new Builder();
  }

  /** A builder holding this registry's models, to add or override some. */
  public Builder toBuilder() {
    Builder b = new Builder();
    b.byId.putAll(byId);
    b.qualifiedOnly.addAll(qualifiedOnly);
    return b;
  }

  /** All models, in the order they were added. */
  public List<ModelSpec> models() {
    return List.copyOf(byId.values());
  }

  /**
   * Finds a model by {@code provider:name} or by a bare name that only one provider uses.
   *
   * @throws IllegalArgumentException if a bare name is used by more than one provider
   */
  public Optional<ModelSpec> find(String model) {
    Objects.requireNonNull(model, "model");
    String key = model.trim();
    int colon = key.indexOf(':');
    if (colon > 0) {
      return Optional.ofNullable(
          byId.get(key.substring(0, colon).toLowerCase(Locale.ROOT) + key.substring(colon)));
    }
    List<ModelSpec> matches =
        byId.values().stream()
            .filter(m -> m.name().equals(key) && !qualifiedOnly.contains(m.id()))
            .collect(Collectors.toList());
    if (matches.size() > 1) {
      throw new IllegalArgumentException(
          "Model name '"
              + key
              + "' is ambiguous: "
              + matches.stream().map(ModelSpec::id).collect(Collectors.joining(", "))
              + ". Use provider:name.");
    }
    return matches.stream().findFirst();
  }

  /**
   * Returns the model, or fails with a message that lists the known models.
   *
   * @throws IllegalArgumentException if no such model is registered
   */
  public ModelSpec get(String model) {
    return find(model)
        .orElseThrow(
            () ->
                new IllegalArgumentException(
                    "Unknown embedding model '"
                        + model
                        + "'. Known models: "
                        + String.join(", ", new TreeSet<>(byId.keySet()))
                        + ". Register it with ModelRegistry.defaults().toBuilder().add(ModelSpec.builder(...).build()),"
                        + " or for an OpenAI-compatible server use \"openai:"
                        + model
                        + "\" with a baseUrl and dimensions."));
  }

  @Override
  public String toString() {
    return "ModelRegistry" + byId.keySet();
  }

  /** Builds a {@link ModelRegistry}. */
  public static final class Builder {
    private final Map<String, ModelSpec> byId = new LinkedHashMap<>();
    private final Set<String> qualifiedOnly = new HashSet<>();

    private Builder() {}

    /** Adds a model, replacing any registered with the same {@code provider:name}. */
    public Builder add(ModelSpec model) {
      Objects.requireNonNull(model, "model");
      byId.put(model.id(), model);
      qualifiedOnly.remove(model.id());
      return this;
    }

    /**
     * Adds the models of a JSON array in the format of the bundled {@code models.json}: objects
     * with {@code provider}, {@code name}, {@code dimensions}, optional {@code reducibleFrom} or
     * {@code reducedDimensions}, {@code pricePerMillionTokens} (a decimal string), optional {@code
     * batchPricePerMillionTokens}, {@code maxInputsPerRequest}, {@code maxTokensPerInput}, {@code
     * maxTokensPerRequest} and {@code tokenizer}; optional {@code qualifiedOnly} (true: found only
     * as {@code provider:name}, for another provider's deployment of a model, such as Azure's of
     * OpenAI's), {@code priceAsOf} (the date the price was read, for people; not loaded) and, for a
     * model that embeds images, {@code pricePerMillionImageTokens}.
     *
     * @throws IllegalArgumentException naming the entry, if one is not a valid model
     */
    public Builder load(InputStream json) throws IOException {
      JsonNode root = new ObjectMapper().readTree(json);
      if (root == null || !root.isArray()) {
        throw new IllegalArgumentException("A model list must be a JSON array of model objects");
      }
      List<ModelSpec> parsed = new ArrayList<>();
      List<String> qualified = new ArrayList<>();
      for (int i = 0; i < root.size(); i++) {
        JsonNode n = root.get(i);
        try {
          ModelSpec.Builder b =
              ModelSpec.builder(text(n, "provider"), text(n, "name"))
                  .dimensions(n.path("dimensions").asInt());
          if (n.has("reducibleFrom")) {
            b.reducibleFrom(n.get("reducibleFrom").asInt());
          }
          if (n.has("reducedDimensions")) {
            TreeSet<Integer> dims = new TreeSet<>();
            n.get("reducedDimensions").forEach(d -> dims.add(d.asInt()));
            b.reducedDimensions(dims);
          }
          if (n.has("pricePerMillionTokens")) {
            b.pricePerMillionTokens(new BigDecimal(n.get("pricePerMillionTokens").asText()));
          }
          if (n.has("batchPricePerMillionTokens")) {
            b.batchPricePerMillionTokens(
                new BigDecimal(n.get("batchPricePerMillionTokens").asText()));
          }
          if (n.has("maxInputsPerRequest")) {
            b.maxInputsPerRequest(n.get("maxInputsPerRequest").asInt());
          }
          if (n.has("maxTokensPerInput")) {
            b.maxTokensPerInput(n.get("maxTokensPerInput").asInt());
          }
          if (n.has("maxTokensPerRequest")) {
            b.maxTokensPerRequest(n.get("maxTokensPerRequest").asInt());
          }
          if (n.has("tokenizer")) {
            b.tokenizer(n.get("tokenizer").asText());
          }
          if (n.has("pricePerMillionImageTokens")) {
            b.pricePerMillionImageTokens(
                new BigDecimal(n.get("pricePerMillionImageTokens").asText()));
          }
          ModelSpec spec = b.build();
          parsed.add(spec);
          if (n.path("qualifiedOnly").asBoolean(false)) {
            qualified.add(spec.id());
          }
        } catch (RuntimeException e) {
          throw new IllegalArgumentException(
              "Model entry " + i + " is invalid: " + e.getMessage(), e);
        }
      }
      parsed.forEach(this::add);
      qualifiedOnly.addAll(qualified);
      return this;
    }

    private static String text(JsonNode n, String field) {
      JsonNode v = n.get(field);
      if (v == null || !v.isTextual()) {
        throw new IllegalArgumentException("'" + field + "' is missing");
      }
      return v.asText();
    }

    public ModelRegistry build() {
      return new ModelRegistry(byId, qualifiedOnly);
    }
  }
}
