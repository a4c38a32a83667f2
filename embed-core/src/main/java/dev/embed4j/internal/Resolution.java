package dev.embed4j.internal;

import dev.embed4j.ModelSpec;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;
import okhttp3.HttpUrl;

/**
 * What frozen settings resolve to: the model (from the spec, the registry, a compatible server's
 * name, or the first provider whose key is found), its provider's row, dimensions, input type, key
 * and base URL, each checked with a message that says what to change.
 */
final class Resolution {
  private Resolution() {}

  static boolean apiKeyFound(Settings s) {
    if (s.apiKey != null || s.provider != null || s.tokenSupplier != null) {
      return true;
    }
    if (s.modelSpec == null && s.modelName == null) {
      return keyedProvider(s).isPresent();
    }
    String id = providerId(s);
    return id == null
        || BuiltInProvider.find(id)
            .map(p -> !p.keyRequired() || p.findKey(s.environment) != null)
            .orElse(true);
  }

  static void resolve(Settings s) {
    if (s.maxBackoff.compareTo(s.initialBackoff) < 0) {
      throw new IllegalStateException(
          "maxBackoff "
              + s.maxBackoff
              + " is shorter than"
              + " initialBackoff "
              + s.initialBackoff
              + ": raise maxBackoff or lower initialBackoff");
    }
    s.model = resolveModel(s);
    if (s.provider != null) {
      if (!s.provider.id().equalsIgnoreCase(s.model.provider())) {
        throw new IllegalStateException(
            "The custom provider '"
                + s.provider.id()
                + "' cannot serve "
                + "model "
                + s.model.id()
                + ": describe the model with ModelSpec.builder(\""
                + s.provider.id()
                + "\", ...)");
      }
    } else {
      s.builtIn =
          BuiltInProvider.find(s.model.provider())
              .orElseThrow(
                  () ->
                      new IllegalStateException(
                          "Model "
                              + s.model.id()
                              + " belongs to provider '"
                              + s.model.provider()
                              + "', which has no "
                              + "built-in client ("
                              + builtInIds()
                              + " do). Pass one with Embedder.builder()"
                              + ".provider(...)."));
    }
    s.dims = s.dimensions == 0 ? s.model.dimensions() : s.dimensions;
    if (!s.model.acceptsDimensions(s.dims)) {
      throw new IllegalStateException(
          s.model.id()
              + " does not accept dimensions="
              + s.dims
              + ": it "
              + "supports "
              + s.model.describeDimensions()
              + ". Remove dimensions(...) or choose a "
              + "supported value.");
    }
    s.type = s.inputType;
    s.batch = Math.min(s.batchSize, s.model.maxInputsPerRequest());
    if (s.builtIn == null) {
      return;
    }
    if (!s.builtIn.takesInputType() && s.type != null) {
      throw new IllegalStateException(
          s.model.id()
              + " takes no input type, but inputType("
              + s.type
              + ") was set. Remove it: "
              + s.builtIn.displayName()
              + " embeds queries and documents"
              + " alike.");
    }
    s.type = s.type == null ? s.builtIn.defaultInputType() : s.type;
    s.key = s.apiKey != null ? s.apiKey : s.builtIn.findKey(s.environment);
    if (s.key == null && s.tokenSupplier == null && s.builtIn.keyRequired()) {
      throw new IllegalStateException(
          (s.modelName != null ? s.modelName : s.model.id())
              + " needs an "
              + s.builtIn.displayName()
              + " API key, but none was found: set the "
              + String.join(" or ", s.builtIn.keyVariables())
              + " environment variable (or the "
              + s.builtIn.apiKeyProperty()
              + " property), or call Embedder.builder().apiKey(...)");
    }
    s.base = s.baseUrl != null ? s.baseUrl : s.builtIn.findBaseUrl(s.environment);
    s.base = s.base == null ? s.builtIn.defaultBaseUrl() : s.base;
    if (s.base == null) {
      throw new IllegalStateException(
          s.model.id()
              + " needs the base URL of your "
              + s.builtIn.displayName()
              + " resource, but none was found: set the "
              + s.builtIn.baseUrlVariable()
              + " environment variable (or the "
              + s.builtIn.baseUrlProperty()
              + " property), or call Embedder.builder().baseUrl(...)");
    }
    checkBaseUrl(s);
  }

  private static ModelSpec resolveModel(Settings s) {
    if (s.modelSpec != null) {
      return s.modelSpec;
    }
    if (s.modelName == null) {
      Optional<BuiltInProvider> keyed = keyedProvider(s);
      if (keyed.isEmpty() && s.apiKey == null && s.provider == null) {
        throw new IllegalStateException(
            "No embedding model is set and no API key was found. Set "
                + Arrays.stream(BuiltInProvider.values())
                    .filter(BuiltInProvider::keyRequired)
                    .map(BuiltInProvider::describeKeySources)
                    .collect(Collectors.joining(", or "))
                + "; or call Embedder.builder().model(...).apiKey(...)");
      }
      return s.registry.get(keyed.orElse(BuiltInProvider.values()[0]).defaultModel());
    }
    Optional<ModelSpec> found = s.registry.find(s.modelName);
    if (found.isPresent()) {
      return found.get();
    }
    int colon = s.modelName.indexOf(':');
    if (colon > 0) {
      Optional<BuiltInProvider> p = BuiltInProvider.find(s.modelName.substring(0, colon));
      if (p.isPresent()
          && (s.baseUrl != null
              || p.get().findBaseUrl(s.environment) != null
              || !p.get().keyRequired())) {
        Optional<ModelSpec> compatible =
            p.get().compatibleServerModel(s.modelName.substring(colon + 1), s.dimensions);
        if (compatible.isPresent()) {
          return compatible.get();
        }
      }
    }
    return s.registry.get(s.modelName);
  }

  private static Optional<BuiltInProvider> keyedProvider(Settings s) {
    for (BuiltInProvider p : BuiltInProvider.values()) {
      if (p.findKey(s.environment) != null) {
        return Optional.of(p);
      }
    }
    return Optional.empty();
  }

  private static String providerId(Settings s) {
    if (s.modelSpec != null) {
      return s.modelSpec.provider();
    }
    try {
      Optional<ModelSpec> found = s.registry.find(s.modelName);
      if (found.isPresent()) {
        return found.get().provider();
      }
    } catch (IllegalArgumentException ambiguous) {
      return null;
    }
    int colon = s.modelName.indexOf(':');
    return colon > 0 ? s.modelName.substring(0, colon) : null;
  }

  private static void checkBaseUrl(Settings s) {
    HttpUrl url = HttpUrl.parse(s.base);
    if (url == null) {
      throw new IllegalStateException(
          "Base URL '"
              + s.base
              + "' is not an http(s) URL (from "
              + "baseUrl(...), "
              + s.builtIn.baseUrlProperty()
              + " or "
              + s.builtIn.baseUrlVariable()
              + ")");
    }
    if (url.scheme().equals("http") && !s.allowInsecureHttp && !isLoopback(url.host())) {
      throw new IllegalStateException(
          "Base URL http://"
              + url.host()
              + " uses plain http on a "
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
      } catch (UnknownHostException e) {
        return false;
      }
    }
    return false;
  }

  /**
   * The settings' fields that have a value in {@code fresh}, apart from the {@code resolved} ones.
   */
  static Map<String, Object> defaults(Settings fresh, Set<String> resolved) {
    Map<String, Object> out = new LinkedHashMap<>();
    for (Field f : Settings.class.getDeclaredFields()) {
      if (Modifier.isStatic(f.getModifiers()) || resolved.contains(f.getName())) {
        continue;
      }
      try {
        Object value = f.get(fresh);
        boolean unset =
            value == null || (value instanceof Number && ((Number) value).longValue() == 0);
        if (!unset
            && (value instanceof Number || value instanceof Boolean || value instanceof Duration)) {
          out.put(f.getName(), value);
        }
      } catch (IllegalAccessException e) {
        throw new IllegalStateException(e);
      }
    }
    return out;
  }

  private static String article(String name) {
    return ("AEIOU".indexOf(Character.toUpperCase(name.charAt(0))) >= 0 ? "an " : "a ") + name;
  }

  private static String builtInIds() {
    return Arrays.stream(BuiltInProvider.values())
        .map(BuiltInProvider::id)
        .collect(Collectors.joining(" and "));
  }
}
