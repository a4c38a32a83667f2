package dev.embed4j;

import static org.assertj.core.api.Assertions.assertThat;

import dev.embed4j.emulator.EmbeddingEmulator;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.math.MathContext;
import java.util.ArrayList;
import java.util.List;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Runs of images, texts and both against the emulator's Cohere endpoint: every vector checked. */
class ImagesEndToEndTest {
  private EmbeddingEmulator emulator;
  private Embedder embedder;

  @AfterEach
  void stop() {
    if (embedder != null) {
      embedder.close();
    }
    if (emulator != null) {
      emulator.close();
    }
  }

  static byte[] png(int seed) {
    BufferedImage image = new BufferedImage(24 + seed % 9, 16, BufferedImage.TYPE_INT_RGB);
    image.setRGB(seed % 16, seed % 16, 0xffffff - seed);
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try {
      ImageIO.write(image, "png", out);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return out.toByteArray();
  }

  @Test
  void mixedInputsInParallelBatches_landAtTheirIndex_textAndImageTokensBilledOnceAndPriced() {
    emulator = EmbeddingEmulator.builder().start();
    // 3 faults, not retried (400): some batches fail, retryFailed must resend the images
    emulator.failNext(3, 400, "{\"message\":\"invalid request: scripted\"}");
    embedder =
        Embedder.builder()
            .model("embed-v4.0")
            .apiKey("co-emulator")
            .baseUrl(emulator.baseUrl())
            .inputType(InputType.SEARCH_DOCUMENT)
            .batchSize(16)
            .maxConcurrentRequests(4)
            .build();
    List<EmbedInput> inputs = new ArrayList<>();
    List<String[]> parts = new ArrayList<>();
    for (int i = 0; i < 150; i++) {
      byte[] png = png(i);
      String uri = EmbedInput.Image.of(png, "image/png").dataUri();
      if (i % 3 == 0) {
        inputs.add(EmbedInput.image(png, "image/png"));
        parts.add(new String[] {"image_url:" + uri});
      } else if (i % 3 == 1) {
        inputs.add(
            EmbedInput.of(
                new EmbedInput.Text("figure " + i + ": "), EmbedInput.Image.of(png, "image/png")));
        parts.add(new String[] {"text:figure " + i + ": ", "image_url:" + uri});
      } else {
        inputs.add(EmbedInput.text("passage " + i));
        parts.add(new String[] {"text:passage " + i});
      }
    }

    EmbeddingRun first = embedder.embedInputs(inputs);
    assertThat(first.isComplete()).isFalse();
    EmbeddingRun run = embedder.retryFailed(first);

    assertThat(run.isComplete()).isTrue();
    for (int i = 0; i < inputs.size(); i++) {
      assertThat(run.vector(i))
          .as("vector of input %d", i)
          .containsExactly(
              EmbeddingEmulator.expectedContentVector(
                  "embed-v4.0", "search_document", 1536, parts.get(i)));
    }
    long text = emulator.stats().tokensBilled("embed-v4.0");
    long images = emulator.stats().imageTokensBilled();
    assertThat(emulator.stats().inputsEmbedded()).as("each input billed once").isEqualTo(150);
    assertThat(images)
        .isEqualTo(
            inputs.stream()
                .filter(EmbedInput::hasImage)
                .mapToLong(
                    in ->
                        in.parts().stream()
                            .filter(p -> p instanceof EmbedInput.Image)
                            .mapToLong(
                                p ->
                                    EmbeddingEmulator.expectedImageTokens(
                                        ((EmbedInput.Image) p).data()))
                            .sum())
                .sum());
    assertThat(run.tokens()).isEqualTo(text + images);
    assertThat(run.cost())
        .isEqualByComparingTo(
            new BigDecimal("0.12")
                .multiply(BigDecimal.valueOf(text))
                .add(new BigDecimal("0.47").multiply(BigDecimal.valueOf(images)))
                .divide(BigDecimal.valueOf(1_000_000), MathContext.DECIMAL64));
  }
}
