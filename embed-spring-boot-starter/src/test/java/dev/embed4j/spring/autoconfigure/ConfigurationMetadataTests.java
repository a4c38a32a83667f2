package dev.embed4j.spring.autoconfigure;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.InputStream;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

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
            "embed4j.cohere.base-url");
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
}
