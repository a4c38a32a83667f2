package dev.embed4j;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.math.BigDecimal;
import java.math.MathContext;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.TimeUnit;
import okhttp3.mockwebserver.MockWebServer;
import okhttp3.mockwebserver.RecordedRequest;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Images through Cohere's /v2/embed {@code inputs}, against scripted replies. */
class ImageInputTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  // the 8-byte PNG signature and a few bytes: the provider, not Embed4j, decodes images
  static final byte[] PNG = {(byte) 0x89, 'P', 'N', 'G', 13, 10, 26, 10, 1, 2, 3};

  private final MockWebServer server = new MockWebServer();
  private Embedder embedder;

  @BeforeEach
  void start() throws IOException {
    server.start();
    embedder =
        Embedder.builder()
            .model("embed-v4.0")
            .apiKey("co-test")
            .baseUrl(server.url("/").toString())
            .inputType(InputType.SEARCH_DOCUMENT)
            .learnRateLimits(false)
            .build();
  }

  @AfterEach
  void stop() throws IOException {
    embedder.close();
    server.shutdown();
  }

  @Test
  void imagesAndInterleavedInputs_goAsContentParts_imageTokensPricedAtTheImageRate()
      throws Exception {
    server.enqueue(
        Replies.json(
            200,
            "{\"id\":\"x\",\"embeddings\":{\"float\":["
                + Replies.floats(Replies.vector(1, 1536))
                + ","
                + Replies.floats(Replies.vector(2, 1536))
                + ","
                + Replies.floats(Replies.vector(3, 1536))
                + "]},\"texts\":[],\"meta\":{\"billed_units\":{\"input_tokens\":7,"
                + "\"image_tokens\":3220,\"images\":2}}}"));
    List<EmbedInput> inputs =
        List.of(
            EmbedInput.image(PNG, "image/png"),
            EmbedInput.of(new EmbedInput.Text("Figure 3: "), EmbedInput.Image.of(PNG, "image/png")),
            EmbedInput.text("a plain passage"));

    EmbeddingRun run = embedder.embedInputs(inputs);

    RecordedRequest request = server.takeRequest(1, TimeUnit.SECONDS);
    String uri = "data:image/png;base64," + Base64.getEncoder().encodeToString(PNG);
    String image = "{\"type\":\"image_url\",\"image_url\":{\"url\":\"" + uri + "\"}}";
    assertThat(JSON.readTree(request.getBody().readUtf8()))
        .isEqualTo(
            JSON.readTree(
                "{\"model\":\"embed-v4.0\",\"inputs\":[{\"content\":["
                    + image
                    + "]},{\"content\":[{\"type\":\"text\",\"text\":\"Figure 3: \"},"
                    + image
                    + "]},{\"content\":[{\"type\":\"text\",\"text\":\"a plain passage\"}]}],"
                    + "\"input_type\":\"search_document\",\"embedding_types\":[\"float\"],"
                    + "\"truncate\":\"NONE\"}"));
    for (int i = 0; i < 3; i++) {
      assertThat(run.vector(i)).containsExactly(Replies.vector(i + 1, 1536));
    }
    assertThat(run.tokens()).as("text and image tokens").isEqualTo(3227);
    BigDecimal expected =
        new BigDecimal("0.12")
            .multiply(BigDecimal.valueOf(7))
            .add(new BigDecimal("0.47").multiply(BigDecimal.valueOf(3220)))
            .divide(BigDecimal.valueOf(1_000_000), MathContext.DECIMAL64);
    assertThat(run.cost()).isEqualByComparingTo(expected);
    assertThat(run.texts().get(0)).startsWith("[image/png, 11 bytes, sha-256 ").doesNotContain(uri);
    assertThat(run.texts().get(2)).isEqualTo("a plain passage");
  }

  @Test
  void aTextOnlyRunOfInputs_keepsTheTextsWireShape() throws Exception {
    server.enqueue(Replies.cohere(List.of(Replies.vector(1, 1536)), 2));

    embedder.embedInputs(List.of(EmbedInput.text("hello")));

    JsonNode body = JSON.readTree(server.takeRequest(1, TimeUnit.SECONDS).getBody().readUtf8());
    assertThat(body.get("texts")).hasSize(1);
    assertThat(body.has("inputs")).isFalse();
  }

  @Test
  void anImageForATextModel_orOfAnotherFormat_isRefusedBeforeSending() {
    try (Embedder openAi =
        Embedder.builder()
            .model("text-embedding-3-small")
            .apiKey("sk-test")
            .baseUrl(server.url("/").toString())
            .build()) {
      assertThatThrownBy(
              () ->
                  openAi.embedInputs(
                      List.of(EmbedInput.text("a"), EmbedInput.image(PNG, "image/png"))))
          .isInstanceOf(InvalidInputException.class)
          .hasMessage(
              "Input 1 has an image, but openai:text-embedding-3-small embeds text only. Use a"
                  + " model that takes images (Cohere embed-v4.0). Nothing was sent.")
          .extracting(e -> ((InvalidInputException) e).index())
          .isEqualTo(1);
    }
    assertThatThrownBy(() -> embedder.embedInputs(List.of(EmbedInput.image(PNG, "image/bmp"))))
        .isInstanceOf(InvalidInputException.class)
        .hasMessageContaining("Input 0 has an image of type image/bmp");
    assertThatThrownBy(() -> embedder.embedInputs(List.of(EmbedInput.text(" "))))
        .isInstanceOf(InvalidInputException.class)
        .hasMessageStartingWith("Input 0 is blank.");
    assertThat(server.getRequestCount()).isZero();
  }

  @Test
  void input_isImmutableAndNeverPrintsItsBytes() {
    byte[] data = PNG.clone();
    EmbedInput.Image image = EmbedInput.Image.of(data, "image/png");
    data[0] = 0;

    assertThat(image.data()).containsExactly(PNG);
    assertThat(EmbedInput.Image.ofBase64(Base64.getEncoder().encodeToString(PNG), "image/png"))
        .isEqualTo(image);
    assertThat(EmbedInput.image(PNG, "image/png").hasImage()).isTrue();
    assertThat(EmbedInput.text("x").onlyText()).isEqualTo("x");
    assertThatThrownBy(() -> EmbedInput.of(List.of()))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("An input needs at least one part, text or image");
    assertThatThrownBy(() -> EmbedInput.Image.of(PNG, "text/plain"))
        .isInstanceOf(IllegalArgumentException.class);
    assertThat(ModelRegistry.defaults().get("embed-v4.0").pricePerMillionImageTokens())
        .isEqualByComparingTo("0.47");
    assertThat(ModelRegistry.defaults().get("embed-english-v3.0").acceptsImages()).isFalse();
  }
}
