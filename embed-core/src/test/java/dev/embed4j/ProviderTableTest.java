package dev.embed4j;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.embed4j.internal.BuiltInProvider;
import dev.embed4j.internal.Settings;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import okhttp3.mockwebserver.MockWebServer;
import okhttp3.mockwebserver.RecordedRequest;
import org.junit.jupiter.api.Test;

/** Keys, base URLs and default models come from the provider table, through one lookup. */
class ProviderTableTest {

  @Test
  void theKeyAndBaseUrlProperties_winOverTheProvidersVariables() throws Exception {
    try (MockWebServer server = new MockWebServer()) {
      server.enqueue(Replies.openAiInOrder(1, 1, 1536, 2));
      server.start();
      Map<String, String> env =
          Map.of(
              "embed4j.openai.api-key", "from-property",
              "OPENAI_API_KEY", "from-variable",
              "embed4j.openai.base-url", server.url("/").toString(),
              "OPENAI_BASE_URL", "https://unused.example");
      try (Embedder embedder =
          Embedder.builder().environment(env::get).learnRateLimits(false).build()) {
        embedder.embed(List.of("x"));
      }
      RecordedRequest request = server.takeRequest();
      assertThat(request.getHeader("Authorization")).isEqualTo("Bearer from-property");
    }
  }

  @Test
  void withoutAModel_theFirstProviderWhoseKeyIsFound_choosesTheModel() {
    Map<String, String> cohereOnly = Map.of("COHERE_API_KEY", "co");
    try (Embedder embedder = Embedder.builder().environment(cohereOnly::get).build()) {
      assertThat(embedder.model().id()).isEqualTo("cohere:embed-v4.0");
      assertThat(embedder.acceptsInputType()).isTrue();
      assertThat(embedder.inputType()).isEqualTo(InputType.SEARCH_DOCUMENT);
    }
    Map<String, String> both = Map.of("COHERE_API_KEY", "co", "OPENAI_API_KEY", "sk");
    try (Embedder embedder = Embedder.builder().environment(both::get).build()) {
      assertThat(embedder.model().id()).isEqualTo("openai:text-embedding-3-small");
      assertThat(embedder.acceptsInputType()).isFalse();
    }
  }

  @Test
  void apiKeyFound_answersBeforeBuilding() {
    assertThat(Embedder.builder().environment(name -> null).apiKeyFound()).isFalse();
    assertThat(Embedder.builder().environment(Map.of("COHERE_API_KEY", "co")::get).apiKeyFound())
        .isTrue();
    assertThat(
            Embedder.builder()
                .model("text-embedding-3-small")
                .environment(Map.of("COHERE_API_KEY", "co")::get)
                .apiKeyFound())
        .as("a Cohere key is no key for an OpenAI model")
        .isFalse();
    assertThat(Embedder.builder().apiKey("k").environment(name -> null).apiKeyFound()).isTrue();
  }

  @Test
  void noModelAndNoKey_namesEveryProvidersPropertyAndVariable() {
    assertThatThrownBy(() -> Embedder.builder().environment(name -> null).build())
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining(
            "Set embed4j.openai.api-key (or the OPENAI_API_KEY environment variable)")
        .hasMessageContaining(
            "embed4j.cohere.api-key (or the COHERE_API_KEY environment variable)");
  }

  @Test
  void everyRowHasItsKeyVariables_andItsDefaultModelIsRegistered() {
    for (BuiltInProvider p : BuiltInProvider.values()) {
      assertThat(p.keyVariables()).allSatisfy(v -> assertThat(v).endsWith("_API_KEY"));
      assertThat(p.apiKeyProperty()).isEqualTo("embed4j." + p.id() + ".api-key");
      assertThat(ModelRegistry.defaults().find(p.defaultModel())).isPresent();
      assertThat(BuiltInProvider.find(p.id().toUpperCase())).contains(p);
    }
  }

  @Test
  void coresDefaults_areReadFromTheSettingsThemselves() {
    Map<String, Object> defaults = Settings.defaults();
    assertThat(defaults)
        .containsEntry("batchSize", 64)
        .containsEntry("maxConcurrentRequests", 16)
        .containsEntry("maxAttempts", 5)
        .containsEntry("requestTimeout", Duration.ofSeconds(60))
        .containsEntry("connectTimeout", Duration.ofSeconds(10))
        .containsEntry("initialBackoff", Duration.ofMillis(500))
        .containsEntry("maxBackoff", Duration.ofSeconds(30))
        .containsEntry("learnRateLimits", true)
        .containsEntry("truncate", false)
        .doesNotContainKeys("dims", "batch", "frozen", "key", "requestsPerMinute");
  }
}
