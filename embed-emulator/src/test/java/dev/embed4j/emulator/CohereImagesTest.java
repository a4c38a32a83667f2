package dev.embed4j.emulator;

import static dev.embed4j.emulator.Http.cohere;
import static dev.embed4j.emulator.Http.cohereError;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.Base64;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Cohere's {@code images} and {@code inputs}: vectors per image bytes, image tokens billed apart.
 */
class CohereImagesTest {
  private static final String DOC =
      ",\"input_type\":\"search_document\",\"embedding_types\":[\"float\"]";
  static EmbeddingEmulator emu;

  @BeforeAll
  static void start() {
    emu = EmbeddingEmulator.builder().start();
  }

  @AfterAll
  static void stop() {
    emu.close();
  }

  @BeforeEach
  void reset() {
    emu.stats().reset();
  }

  static byte[] png(int width, int height, int rgb) throws IOException {
    BufferedImage image = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
    for (int x = 0; x < width; x++) {
      image.setRGB(x, x % height, rgb);
    }
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ImageIO.write(image, "png", out);
    return out.toByteArray();
  }

  static String uri(byte[] png) {
    return "data:image/png;base64," + Base64.getEncoder().encodeToString(png);
  }

  static String image(String uri) {
    return "{\"type\":\"image_url\",\"image_url\":{\"url\":\"" + uri + "\"}}";
  }

  @Test
  void inputs_imageAlone_andInterleaved_vectorsPerContent_imageTokensBilledApart()
      throws IOException {
    byte[] cat = png(64, 64, 0xff8800);
    String body =
        "{\"model\":\"embed-v4.0\",\"inputs\":[{\"content\":["
            + image(uri(cat))
            + "]},{\"content\":[{\"type\":\"text\",\"text\":\"a photo of a cat: \"},"
            + image(uri(cat))
            + "]},{\"content\":[{\"type\":\"text\",\"text\":\"just text\"}]}]"
            + DOC
            + "}";

    Http.Reply r = cohere(emu, body);

    assertThat(r.status()).isEqualTo(200);
    JsonNode floats = r.json().get("embeddings").get("float");
    assertThat(Http.floats(floats.get(0)))
        .containsExactly(
            EmbeddingEmulator.expectedContentVector(
                "embed-v4.0", "search_document", 1536, "image_url:" + uri(cat)));
    assertThat(Http.floats(floats.get(1)))
        .containsExactly(
            EmbeddingEmulator.expectedContentVector(
                "embed-v4.0",
                "search_document",
                1536,
                "text:a photo of a cat: ",
                "image_url:" + uri(cat)));
    assertThat(Http.floats(floats.get(2)))
        .as("a text alone has its texts vector")
        .containsExactly(
            EmbeddingEmulator.expectedVector("embed-v4.0", "search_document", "just text"));
    int imageTokens = EmbeddingEmulator.expectedImageTokens(cat);
    assertThat(imageTokens).as("one token per 163 pixels").isEqualTo((64 * 64 + 162) / 163);
    JsonNode billed = r.json().get("meta").get("billed_units");
    assertThat(billed.get("image_tokens").asLong()).isEqualTo(2L * imageTokens);
    assertThat(billed.get("input_tokens").asLong())
        .isEqualTo(
            EmbeddingEmulator.expectedTokens("a photo of a cat: ")
                + EmbeddingEmulator.expectedTokens("just text"));
    assertThat(emu.stats().imageTokensBilled()).isEqualTo(2L * imageTokens);
    assertThat(emu.stats().inputsEmbedded()).isEqualTo(3);
  }

  @Test
  void images_distinctBytesGiveDistinctVectors_v3TakesOnePerCall() throws IOException {
    String a = uri(png(16, 16, 0x0000ff));
    String b = uri(png(16, 16, 0x00ff00));

    Http.Reply two =
        cohere(
            emu, "{\"model\":\"embed-v4.0\",\"images\":[\"" + a + "\",\"" + b + "\"]" + DOC + "}");
    Http.Reply v3 =
        cohere(
            emu,
            "{\"model\":\"embed-english-v3.0\",\"images\":[\""
                + a
                + "\",\""
                + b
                + "\"]"
                + DOC
                + "}");

    assertThat(two.status()).isEqualTo(200);
    JsonNode floats = two.json().get("embeddings").get("float");
    assertThat(Http.floats(floats.get(0))).isNotEqualTo(Http.floats(floats.get(1)));
    assertThat(v3.status()).isEqualTo(400);
    assertThat(v3.json())
        .isEqualTo(
            cohereError(
                "invalid request: the maximum number of images per call is 1 for model"
                    + " embed-english-v3.0 - received 2"));
  }

  @Test
  void badImagesAndAmbiguousBodies_areRefused() throws IOException {
    Http.Reply notDataUri =
        cohere(
            emu,
            "{\"model\":\"embed-v4.0\",\"inputs\":[{\"content\":["
                + image("https://example.com/cat.png")
                + "]}]"
                + DOC
                + "}");
    Http.Reply bmp =
        cohere(
            emu,
            "{\"model\":\"embed-v4.0\",\"images\":[\"data:image/bmp;base64,Qk0=\"]" + DOC + "}");
    Http.Reply both =
        cohere(
            emu,
            "{\"model\":\"embed-v4.0\",\"texts\":[\"x\"],\"images\":[\""
                + uri(png(2, 2, 1))
                + "\"]"
                + DOC
                + "}");

    String invalid =
        "invalid request: image at index 0 must be a valid data URI of type image/jpeg,"
            + " image/png, image/webp or image/gif";
    assertThat(notDataUri.status()).isEqualTo(400);
    assertThat(notDataUri.json()).isEqualTo(cohereError(invalid));
    assertThat(bmp.json()).isEqualTo(cohereError(invalid));
    assertThat(both.status()).isEqualTo(400);
    assertThat(both.json())
        .isEqualTo(
            cohereError("invalid request: only one of texts, images or inputs may be provided"));
    assertThat(emu.stats().tokensBilled()).isZero();
  }
}
