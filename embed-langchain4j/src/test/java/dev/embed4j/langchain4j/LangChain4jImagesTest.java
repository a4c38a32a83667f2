package dev.embed4j.langchain4j;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.embed4j.Embedder;
import dev.embed4j.InputType;
import dev.embed4j.emulator.EmbeddingEmulator;
import dev.langchain4j.data.message.ImageContent;
import dev.langchain4j.data.message.TextContent;
import dev.langchain4j.exception.InvalidRequestException;
import dev.langchain4j.model.embedding.request.EmbeddingInput;
import dev.langchain4j.model.embedding.request.EmbeddingRequest;
import dev.langchain4j.model.embedding.response.EmbeddingResponse;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.math.BigDecimal;
import java.math.MathContext;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** LangChain4j image content through Embed4j to the emulator's Cohere embed-v4.0. */
class LangChain4jImagesTest {
  private EmbeddingEmulator emulator;
  private Embedder embedder;
  private LangChain4jEmbeddingModel model;

  @BeforeEach
  void start() {
    emulator = EmbeddingEmulator.builder().start();
    embedder =
        Embedder.builder()
            .model("embed-v4.0")
            .apiKey("co-emulator")
            .baseUrl(emulator.baseUrl())
            .inputType(InputType.SEARCH_DOCUMENT)
            .batchSize(8)
            .build();
    model = LangChain4jEmbeddingModel.builder(embedder).build();
  }

  @AfterEach
  void stop() {
    embedder.close();
    emulator.close();
  }

  static String png(int seed) throws IOException {
    BufferedImage image = new BufferedImage(20 + seed, 10, BufferedImage.TYPE_INT_RGB);
    image.setRGB(seed % 10, 3, 0xabcdef);
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ImageIO.write(image, "png", out);
    return Base64.getEncoder().encodeToString(out.toByteArray());
  }

  @Test
  void imagesTextAndInterleaved_inOrderAcrossBatches_billedAtTheImageRate() throws IOException {
    List<EmbeddingInput> inputs = new ArrayList<>();
    List<String[]> parts = new ArrayList<>();
    for (int i = 0; i < 30; i++) {
      String b64 = png(i);
      String uri = "image_url:data:image/png;base64," + b64;
      if (i % 3 == 0) {
        inputs.add(EmbeddingInput.from(ImageContent.from(b64, "image/png")));
        parts.add(new String[] {uri});
      } else if (i % 3 == 1) {
        inputs.add(
            EmbeddingInput.from(
                TextContent.from("slide " + i + ": "), ImageContent.from(b64, "image/png")));
        parts.add(new String[] {"text:slide " + i + ": ", uri});
      } else {
        inputs.add(EmbeddingInput.from("note " + i));
        parts.add(new String[] {"text:note " + i});
      }
    }

    EmbeddingResponse response = model.embed(EmbeddingRequest.builder().inputs(inputs).build());

    assertThat(response.embeddings()).hasSize(30);
    for (int i = 0; i < 30; i++) {
      assertThat(response.embeddings().get(i).vector())
          .as("vector of input %d", i)
          .containsExactly(
              EmbeddingEmulator.expectedContentVector(
                  "embed-v4.0", "search_document", 1536, parts.get(i)));
    }
    Embed4jResponseMetadata metadata = (Embed4jResponseMetadata) response.metadata();
    long text = emulator.stats().tokensBilled();
    long images = emulator.stats().imageTokensBilled();
    assertThat(images).isPositive();
    assertThat(metadata.run().batches()).hasSize(4);
    assertThat(metadata.tokenUsage().inputTokenCount()).isEqualTo((int) (text + images));
    assertThat(metadata.cost())
        .isEqualByComparingTo(
            new BigDecimal("0.12")
                .multiply(BigDecimal.valueOf(text))
                .add(new BigDecimal("0.47").multiply(BigDecimal.valueOf(images)))
                .divide(BigDecimal.valueOf(1_000_000), MathContext.DECIMAL64));
  }

  @Test
  void anImageByUrl_isRefusedNamingItsInput_nothingSent() {
    EmbeddingRequest request =
        EmbeddingRequest.builder()
            .inputs(
                List.of(
                    EmbeddingInput.from("fine"),
                    EmbeddingInput.from(ImageContent.from("https://example.com/cat.png"))))
            .build();

    assertThatThrownBy(() -> model.embed(request))
        .isInstanceOf(InvalidRequestException.class)
        .hasMessageStartingWith("Input 1 has an image by URL (https://example.com/cat.png)");
    assertThat(emulator.stats().requests()).isZero();
  }
}
