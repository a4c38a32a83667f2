package dev.embed4j.spring.autoconfigure;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.embed4j.ModelRegistry;
import dev.embed4j.internal.BuiltInProvider;
import dev.embed4j.internal.Settings;
import java.io.InputStream;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.boot.convert.DurationStyle;

/**
 * The configuration metadata the annotation processor generates, which IDEs show for
 * application.yml.
 */
class ConfigurationMetadataTests {

  @Test
  void metadata_listsEveryPropertyWithItsDescriptionAndDefault() throws Exception {
    Map<String, JsonNode> properties = new HashMap<>();
    try (InputStream in =
        getClass().getResourceAsStream("/META-INF/spring-configuration-metadata.json")) {
      assertThat(in).as("generated spring-configuration-metadata.json").isNotNull();
      new ObjectMapper()
          .readTree(in)
          .get("properties")
          .forEach(p -> properties.put(p.get("name").asText(), p));
    }

    assertThat(properties)
        .containsKeys(
            "embed4j.model",
            "embed4j.dimensions",
            "embed4j.input-type",
            "embed4j.truncate",
            "embed4j.batch-size",
            "embed4j.max-concurrent-requests",
            "embed4j.max-attempts",
            "embed4j.request-timeout",
            "embed4j.connect-timeout",
            "embed4j.retry.initial-backoff",
            "embed4j.retry.max-backoff",
            "embed4j.rate-limit.requests-per-minute",
            "embed4j.rate-limit.tokens-per-minute",
            "embed4j.rate-limit.learn",
            "embed4j.max-cost",
            "embed4j.run-timeout",
            "embed4j.show-progress",
            "embed4j.openai.api-key",
            "embed4j.openai.base-url",
            "embed4j.cohere.api-key",
            "embed4j.cohere.base-url",
            "embed4j.azure.api-key",
            "embed4j.azure.base-url",
            "embed4j.voyage.api-key",
            "embed4j.mistral.api-key",
            "embed4j.jina.api-key",
            "embed4j.gemini.api-key",
            "embed4j.ollama.base-url",
            "embed4j.tei.base-url");
    assertThat(properties.values())
        .allSatisfy(p -> assertThat(p.path("description").asText()).isNotBlank());
    assertThat(properties.get("embed4j.batch-size").get("description").asText())
        .startsWith("The most texts per request");
    assertThat(properties.get("embed4j.batch-size").get("defaultValue").asInt()).isEqualTo(64);
    assertThat(properties.get("embed4j.request-timeout").get("defaultValue").asText())
        .isEqualTo("60s");
    assertThat(properties.get("embed4j.retry.initial-backoff").get("defaultValue").asText())
        .isEqualTo("500ms");
  }

  @Test
  void metadata_defaultsAreCoresDefaults() throws Exception {
    Map<String, JsonNode> properties = properties();
    Map<String, Object> defaults = Settings.defaults();
    Map<String, String> settingOfProperty =
        Map.of(
            "embed4j.truncate",
            "truncate",
            "embed4j.batch-size",
            "batchSize",
            "embed4j.max-concurrent-requests",
            "maxConcurrentRequests",
            "embed4j.max-attempts",
            "maxAttempts",
            "embed4j.request-timeout",
            "requestTimeout",
            "embed4j.connect-timeout",
            "connectTimeout",
            "embed4j.retry.initial-backoff",
            "initialBackoff",
            "embed4j.retry.max-backoff",
            "maxBackoff",
            "embed4j.rate-limit.learn",
            "learnRateLimits",
            "embed4j.show-progress",
            "showProgress");
    settingOfProperty.forEach(
        (property, setting) -> {
          Object expected = defaults.get(setting);
          assertThat(expected).as(setting).isNotNull();
          JsonNode actual = properties.get(property).get("defaultValue");
          assertThat(actual).as(property).isNotNull();
          if (expected instanceof Duration) {
            assertThat(DurationStyle.detectAndParse(actual.asText()))
                .as(property)
                .isEqualTo(expected);
          } else {
            assertThat(actual.asText()).as(property).isEqualTo(expected.toString());
          }
        });
  }

  @Test
  void metadata_listsTheKeyAndBaseUrlOfEveryBuiltInProvider() throws Exception {
    Map<String, JsonNode> properties = properties();
    for (BuiltInProvider provider : BuiltInProvider.values()) {
      assertThat(properties.get(provider.apiKeyProperty()).get("description").asText())
          .contains(provider.displayName())
          .contains(provider.keyVariables().get(0));
      assertThat(properties.get(provider.baseUrlProperty()).get("description").asText())
          .contains(provider.displayName())
          .contains(provider.baseUrlVariable());
      JsonNode defaultValue = properties.get(provider.baseUrlProperty()).get("defaultValue");
      if (provider.defaultBaseUrl() == null) {
        assertThat(defaultValue).as("%s has no public endpoint", provider.id()).isNull();
        assertThat(properties.get(provider.baseUrlProperty()).get("description").asText())
            .contains("required");
      } else {
        assertThat(defaultValue.asText()).isEqualTo(provider.defaultBaseUrl());
      }
    }
  }

  @Test
  void metadata_hintsEveryBundledModelAndTheOfflineOne() throws Exception {
    List<String> values = new ArrayList<>();
    try (InputStream in =
        getClass().getResourceAsStream("/META-INF/spring-configuration-metadata.json")) {
      new ObjectMapper()
          .readTree(in)
          .get("hints")
          .forEach(
              hint -> {
                if (hint.get("name").asText().equals("embed4j.model")) {
                  hint.get("values").forEach(v -> values.add(v.get("value").asText()));
                }
              });
    }
    ModelRegistry registry = ModelRegistry.defaults();
    assertThat(values)
        .contains(EmbedderFactory.OFFLINE_MODEL)
        .hasSize(registry.models().size() + 1)
        .allSatisfy(
            value ->
                assertThat(
                        value.equals(EmbedderFactory.OFFLINE_MODEL)
                            || registry.find(value).isPresent())
                    .as(value)
                    .isTrue());
  }

  private Map<String, JsonNode> properties() throws Exception {
    Map<String, JsonNode> properties = new HashMap<>();
    try (InputStream in =
        getClass().getResourceAsStream("/META-INF/spring-configuration-metadata.json")) {
      new ObjectMapper()
          .readTree(in)
          .get("properties")
          .forEach(p -> properties.put(p.get("name").asText(), p));
    }
    return properties;
  }
}
