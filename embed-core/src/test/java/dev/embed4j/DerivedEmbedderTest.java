package dev.embed4j;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.List;
import okhttp3.mockwebserver.MockWebServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** {@link Embedder#with}: the per-call options of the frameworks, answered once, in core. */
class DerivedEmbedderTest {
  private final MockWebServer server = new MockWebServer();
  private Embedder embedder;

  @BeforeEach
  void start() throws Exception {
    server.start();
    embedder =
        Embedder.builder()
            .model("text-embedding-3-small")
            .apiKey("sk-test")
            .baseUrl(server.url("/").toString())
            .learnRateLimits(false)
            .build();
  }

  @AfterEach
  void stop() throws Exception {
    embedder.close();
    server.shutdown();
  }

  @Test
  void sameOptions_areThisEmbedder() {
    assertThat(embedder.with(null, null, null)).isSameAs(embedder);
    assertThat(embedder.with("text-embedding-3-small", 1536, null)).isSameAs(embedder);
    assertThat(embedder.with("openai:text-embedding-3-small", null, null)).isSameAs(embedder);
  }

  @Test
  void otherDimensions_sendThemAndAreCountedInTheParentsTotals() throws Exception {
    server.enqueue(Replies.openAiInOrder(1, 1, 256, 7));
    Embedder shorter = embedder.with(null, 256, null);

    EmbeddingRun run = shorter.embed(List.of("x"));

    assertThat(run.dimensions()).isEqualTo(256);
    JsonNode body = new ObjectMapper().readTree(server.takeRequest().getBody().readUtf8());
    assertThat(body.get("dimensions").asInt()).isEqualTo(256);
    assertThat(embedder.with(null, 256, null)).as("kept for later calls").isSameAs(shorter);
    assertThat(embedder.totalTokens()).isEqualTo(7);
    assertThat(embedder.totalCost()).isEqualByComparingTo(run.cost());
  }

  @Test
  void anotherModel_withoutDimensions_getsItsNativeOnes() {
    Embedder large = embedder.with("text-embedding-3-large", null, null);
    assertThat(large.model().id()).isEqualTo("openai:text-embedding-3-large");
    assertThat(large.dimensions()).isEqualTo(3072);
  }

  @Test
  void optionsTheModelRejects_orAnotherProvidersModel_areIllegalArguments() {
    assertThatThrownBy(() -> embedder.with("embed-v4.0", null, null))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("cannot be served by this embedder");
    assertThatThrownBy(() -> embedder.with(null, null, InputType.SEARCH_QUERY))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("takes no input type");
    assertThatThrownBy(() -> embedder.with("no-such-model", null, null))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("Unknown embedding model");
    assertThatThrownBy(() -> embedder.with(null, 5000, null))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("does not accept dimensions=5000");
  }

  @Test
  void derivedEmbedders_closeWithTheirParent() {
    Embedder shorter = embedder.with(null, 256, null);
    embedder.close();
    assertThatThrownBy(() -> shorter.embed(List.of("x")))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("closed");
  }
}
