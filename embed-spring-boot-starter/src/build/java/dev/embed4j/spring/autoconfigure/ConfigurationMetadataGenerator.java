package dev.embed4j.spring.autoconfigure;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.embed4j.ModelRegistry;
import dev.embed4j.ModelSpec;
import dev.embed4j.internal.BuiltInProvider;
import dev.embed4j.internal.Settings;
import java.io.IOException;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Build tooling, not part of the starter: writes what core knows into the configuration metadata
 * that Spring Boot's annotation processor generated from {@link Embed4jProperties}, so that the
 * starter repeats none of it by hand.
 *
 * <ul>
 *   <li>the {@code defaultValue} of every property whose setting has a default in {@link
 *       Settings#defaults()} (the properties have no initializers: unset means core's default);
 *   <li>{@code embed4j.<provider>.api-key} and {@code embed4j.<provider>.base-url}, with a group,
 *       for every {@link BuiltInProvider} (core reads them through Spring's {@code Environment};
 *       they are not bound to {@code Embed4jProperties});
 *   <li>a hint for {@code embed4j.model} per model of {@link ModelRegistry#defaults()}.
 * </ul>
 *
 * <p>Run by Maven at {@code process-classes}, after the processor and before the jar is packaged
 * and the tests run, with Java's source launcher (no compile step, so it also runs with {@code
 * -Dmaven.test.skip=true}): {@code java -cp <compile class path>
 * src/build/java/.../ConfigurationMetadataGenerator.java
 * target/classes/META-INF/spring-configuration-metadata.json}. Running it twice gives the same
 * file.
 */
public final class ConfigurationMetadataGenerator {
  /** Properties whose last segment, in camel case, is not the name of their core setting. */
  private static final Map<String, String> SETTING_OF_PROPERTY =
      Map.of("embed4j.rate-limit.learn", "learnRateLimits");

  private static final String MODEL_PROPERTY = "embed4j.model";

  private ConfigurationMetadataGenerator() {}

  public static void main(String[] args) throws IOException {
    if (args.length != 1) {
      throw new IllegalArgumentException("Usage: ConfigurationMetadataGenerator METADATA_JSON");
    }
    Path file = Path.of(args[0]);
    if (!Files.isRegularFile(file)) {
      throw new IllegalStateException(
          file + " is missing: Spring Boot's configuration processor did not run");
    }
    ObjectMapper json = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
    ObjectNode metadata = (ObjectNode) json.readTree(file.toFile());
    int defaults = addDefaults(metadata.withArray("properties"));
    int providers = addProviders(metadata.withArray("groups"), metadata.withArray("properties"));
    int models = addModelHints(json, metadata.withArray("hints"));
    if (defaults == 0 || providers == 0 || models == 0) {
      throw new IllegalStateException(
          "Found "
              + defaults
              + " defaults, "
              + providers
              + " providers and "
              + models
              + " models in embed-core for "
              + file
              + ": the metadata would not show core's settings");
    }
    json.writeValue(file.toFile(), metadata);
  }

  private static int addDefaults(ArrayNode properties) {
    Map<String, Object> defaults = Settings.defaults();
    int added = 0;
    for (JsonNode property : properties) {
      String name = property.get("name").asText();
      String leaf = name.substring(name.lastIndexOf('.') + 1);
      Object value = defaults.get(SETTING_OF_PROPERTY.getOrDefault(name, camelCase(leaf)));
      if (value instanceof Duration) {
        ((ObjectNode) property).put("defaultValue", format((Duration) value));
      } else if (value instanceof Boolean) {
        ((ObjectNode) property).put("defaultValue", (Boolean) value);
      } else if (value instanceof Number) {
        ((ObjectNode) property).put("defaultValue", ((Number) value).longValue());
      } else {
        continue;
      }
      added++;
    }
    return added;
  }

  private static int addProviders(ArrayNode groups, ArrayNode properties) {
    for (BuiltInProvider p : BuiltInProvider.values()) {
      String prefix = p.apiKeyProperty().substring(0, p.apiKeyProperty().lastIndexOf('.'));
      ObjectNode group = replace(groups, prefix);
      group.put("description", p.displayName() + "'s API: key and base URL.");
      ObjectNode key = replace(properties, p.apiKeyProperty());
      key.put("type", String.class.getName());
      key.put(
          "description",
          "The "
              + p.displayName()
              + " API key. Default: the "
              + String.join(" or ", p.keyVariables())
              + " environment variable."
              + (p.keyRequired() ? "" : " Optional: the server is keyless unless it checks one.")
              + " Read by the embedder through Spring's Environment; never logged.");
      ObjectNode base = replace(properties, p.baseUrlProperty());
      base.put("type", String.class.getName());
      base.put(
          "description",
          "The "
              + p.displayName()
              + " API's base URL, for a proxy or a compatible server. Plain http is accepted only"
              + " on loopback addresses. Default: the "
              + p.baseUrlVariable()
              + " environment variable, else "
              + (p.defaultBaseUrl() == null
                  ? "none: required (your resource's endpoint)."
                  : p.defaultBaseUrl() + "."));
      if (p.defaultBaseUrl() != null) {
        base.put("defaultValue", p.defaultBaseUrl());
      }
    }
    return BuiltInProvider.values().length;
  }

  private static int addModelHints(ObjectMapper json, ArrayNode hints) {
    ObjectNode hint = null;
    for (JsonNode h : hints) {
      if (h.path("name").asText().equals(MODEL_PROPERTY)) {
        hint = (ObjectNode) h;
      }
    }
    if (hint == null) {
      hint = hints.addObject().put("name", MODEL_PROPERTY);
    }
    ModelRegistry registry = ModelRegistry.defaults();
    List<String> bundled = new ArrayList<>();
    ArrayNode values = json.createArrayNode();
    for (ModelSpec model : registry.models()) {
      String value =
          registry.find(model.name()).filter(model::equals).isPresent() ? model.name() : model.id();
      bundled.add(value);
      values.addObject().put("value", value).put("description", describe(model));
    }
    for (JsonNode v : hint.withArray("values")) {
      if (!bundled.contains(v.path("value").asText())) {
        values.add(v);
      }
    }
    hint.set("values", values);
    return bundled.size();
  }

  /** {@code OpenAI, 1536 dimensions (any of 1..1536), $0.02 per 1M tokens.} */
  private static String describe(ModelSpec model) {
    String provider =
        BuiltInProvider.find(model.provider())
            .map(BuiltInProvider::displayName)
            .orElse(model.provider());
    return provider
        + ", "
        + model.dimensions()
        + " dimensions"
        + (model.supportsReducedDimensions() ? " (" + model.describeDimensions() + ")" : "")
        + ", $"
        + dollars(model.pricePerMillionTokens())
        + " per 1M tokens.";
  }

  /**
   * {@code 0.02}, {@code 0.10}, {@code 0.065}: cents at least, more digits where the price has
   * them.
   */
  private static String dollars(BigDecimal price) {
    BigDecimal p = price.stripTrailingZeros();
    return (p.scale() < 2 ? p.setScale(2) : p).toPlainString();
  }

  /** The entry named {@code name} in {@code array}, emptied, or a new one. */
  private static ObjectNode replace(ArrayNode array, String name) {
    for (int i = 0; i < array.size(); i++) {
      if (array.get(i).path("name").asText().equals(name)) {
        array.remove(i);
        break;
      }
    }
    return array.addObject().put("name", name);
  }

  /** Spring Boot's form: {@code 60s}, {@code 500ms}. */
  private static String format(Duration d) {
    long millis = d.toMillis();
    return millis % 1000 == 0 ? (millis / 1000) + "s" : millis + "ms";
  }

  private static String camelCase(String kebab) {
    StringBuilder out = new StringBuilder();
    for (String part : kebab.split("-")) {
      out.append(
          out.length() == 0
              ? part
              : part.substring(0, 1).toUpperCase(Locale.ROOT) + part.substring(1));
    }
    return out.toString();
  }
}
