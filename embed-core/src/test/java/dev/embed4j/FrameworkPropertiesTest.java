package dev.embed4j;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.embed4j.internal.BuiltInProvider;
import dev.embed4j.internal.FrameworkProperties;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import okhttp3.mockwebserver.MockWebServer;
import okhttp3.mockwebserver.RecordedRequest;
import org.junit.jupiter.api.Test;

/**
 * The frameworks' starters' properties: read after Embed4j's own and before the provider's
 * variables, so an application keeps its configuration when it changes starters.
 */
class FrameworkPropertiesTest {

  private static String sentKey(Map<String, String> env) throws Exception {
    return sentKey(env, "spring.ai.openai.base-url");
  }

  /** The Authorization header of a request sent to a server whose URL is in {@code baseUrl}. */
  private static String sentKey(Map<String, String> env, String baseUrl) throws Exception {
    try (MockWebServer server = new MockWebServer()) {
      server.enqueue(Replies.openAiInOrder(1, 1, 1536, 2));
      server.start();
      Map<String, String> withServer = new HashMap<>(env);
      withServer.putIfAbsent(baseUrl, server.url("/").toString());
      try (Embedder embedder =
          Embedder.builder().environment(withServer::get).learnRateLimits(false).build()) {
        embedder.embed(List.of("x"));
      }
      RecordedRequest request = server.takeRequest();
      return request.getHeader("Authorization");
    }
  }

  @Test
  void springAiKeyAndBaseUrl_areUsed_andSelectOpenAi() throws Exception {
    assertThat(sentKey(Map.of("spring.ai.openai.api-key", "from-spring-ai")))
        .isEqualTo("Bearer from-spring-ai");
  }

  @Test
  void springAiEmbeddingKey_winsOverItsConnectionKey() throws Exception {
    assertThat(
            sentKey(
                Map.of(
                    "spring.ai.openai.embedding.api-key", "embedding",
                    "spring.ai.openai.api-key", "connection")))
        .isEqualTo("Bearer embedding");
  }

  @Test
  void langChain4jKey_isUsed() throws Exception {
    assertThat(sentKey(Map.of("langchain4j.open-ai.embedding-model.api-key", "from-lc4j")))
        .isEqualTo("Bearer from-lc4j");
  }

  @Test
  void embed4jProperty_winsOverTheStarters_whichWinOverTheVariable() throws Exception {
    assertThat(
            sentKey(
                Map.of(
                    "embed4j.openai.api-key", "embed4j",
                    "spring.ai.openai.api-key", "spring-ai",
                    "OPENAI_API_KEY", "variable")))
        .isEqualTo("Bearer embed4j");
    assertThat(
            sentKey(
                Map.of(
                    "spring.ai.openai.api-key", "spring-ai",
                    "OPENAI_API_KEY", "variable")))
        .isEqualTo("Bearer spring-ai");
  }

  @Test
  void baseUrl_fromLangChain4jsStarter() throws Exception {
    assertThat(
            sentKey(
                Map.of("langchain4j.open-ai.embedding-model.api-key", "k"),
                "langchain4j.open-ai.embedding-model.base-url"))
        .isEqualTo("Bearer k");
  }

  @Test
  void modelAndDimensions_comeFromTheFirstConfiguredStarter() {
    Map<String, String> springAi =
        Map.of(
            "spring.ai.openai.api-key", "k",
            "spring.ai.openai.embedding.options.model", "text-embedding-3-large",
            "spring.ai.openai.embedding.options.dimensions", "256");
    FrameworkProperties row = FrameworkProperties.configured(springAi::get).orElseThrow();
    assertThat(row).isEqualTo(FrameworkProperties.SPRING_AI_OPENAI);
    assertThat(row.provider()).isEqualTo(BuiltInProvider.OPENAI);
    assertThat(row.model(springAi::get)).isEqualTo("openai:text-embedding-3-large");
    assertThat(row.dimensions(springAi::get)).isEqualTo(256);

    Map<String, String> lc4j =
        Map.of(
            "langchain4j.open-ai.embedding-model.model-name", "text-embedding-3-small",
            "langchain4j.open-ai.embedding-model.dimensions", "512");
    row = FrameworkProperties.configured(lc4j::get).orElseThrow();
    assertThat(row).isEqualTo(FrameworkProperties.LANGCHAIN4J_OPENAI);
    assertThat(row.model(lc4j::get)).isEqualTo("openai:text-embedding-3-small");
    assertThat(row.dimensions(lc4j::get)).isEqualTo(512);

    assertThat(FrameworkProperties.configured(Map.of("OPENAI_API_KEY", "k")::get)).isEmpty();
  }

  @Test
  void springAiWithoutAModel_keepsSpringAisDefaultModel_soStoredVectorsStayComparable() {
    Map<String, String> keyOnly = Map.of("spring.ai.openai.api-key", "k");
    assertThat(FrameworkProperties.SPRING_AI_OPENAI.model(keyOnly::get))
        .isEqualTo("openai:text-embedding-ada-002");
    assertThat(FrameworkProperties.LANGCHAIN4J_OPENAI.model(keyOnly::get)).isNull();
  }

  @Test
  void dimensionsThatAreNoNumber_nameTheProperty() {
    Map<String, String> env = Map.of("langchain4j.open-ai.embedding-model.dimensions", "large");
    assertThatThrownBy(() -> FrameworkProperties.LANGCHAIN4J_OPENAI.dimensions(env::get))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("langchain4j.open-ai.embedding-model.dimensions=large");
  }

  @Test
  void everyRowNamesOnlyPropertiesOutsideEmbed4j() {
    for (FrameworkProperties row : FrameworkProperties.values()) {
      assertThat(row.properties()).isNotEmpty().noneMatch(p -> p.startsWith("embed4j."));
      assertThat(row.starter()).isNotBlank();
    }
  }
}
