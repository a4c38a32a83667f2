package dev.embed4j;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Objects;

/**
 * One input of {@link Embedder#embedInputs(List)}: text and images, in order, embedded into one
 * vector. A model that takes images ({@link ModelSpec#acceptsImages()}, such as Cohere's {@code
 * embed-v4.0}) embeds an image alone, or text and images together ("interleaved": a page's caption
 * with its figure); a text-only input is embedded as {@link Embedder#embed(List)} would.
 *
 * <pre>{@code
 * byte[] png = Files.readAllBytes(Path.of("figure-3.png"));
 * EmbeddingRun run = embedder.embedInputs(List.of(
 *     EmbedInput.image(png, "image/png"),
 *     EmbedInput.of(
 *         new EmbedInput.Text("Figure 3: throughput by batch size"),
 *         EmbedInput.Image.of(png, "image/png")),
 *     EmbedInput.text("a plain passage")));
 * }</pre>
 *
 * <p>Immutable and thread-safe: the image bytes are copied in and never handed out.
 */
public final class EmbedInput {
  private final List<Part> parts;

  private EmbedInput(List<Part> parts) {
    this.parts = parts;
  }

  /** An input of one text. */
  public static EmbedInput text(String text) {
    return new EmbedInput(List.of(new Text(text)));
  }

  /**
   * An input of one image.
   *
   * @param data the image file's bytes, e.g. a PNG
   * @param mimeType its type: {@code image/jpeg}, {@code image/png}, {@code image/webp} or {@code
   *     image/gif} for Cohere
   */
  public static EmbedInput image(byte[] data, String mimeType) {
    return new EmbedInput(List.of(Image.of(data, mimeType)));
  }

  /**
   * An input of these parts, in order.
   *
   * @throws IllegalArgumentException if there are none
   */
  public static EmbedInput of(Part... parts) {
    return of(Arrays.asList(parts));
  }

  /**
   * An input of these parts, in order.
   *
   * @throws IllegalArgumentException if there are none
   */
  public static EmbedInput of(List<? extends Part> parts) {
    Objects.requireNonNull(parts, "parts");
    for (int i = 0; i < parts.size(); i++) {
      Objects.requireNonNull(parts.get(i), "parts[" + i + "]");
    }
    if (parts.isEmpty()) {
      throw new IllegalArgumentException("An input needs at least one part, text or image");
    }
    return new EmbedInput(List.copyOf(parts));
  }

  /** The parts, in order. */
  public List<Part> parts() {
    return parts;
  }

  /** Whether any part is an image. */
  public boolean hasImage() {
    for (Part p : parts) {
      if (p instanceof Image) {
        return true;
      }
    }
    return false;
  }

  /** The text of a text-only input of one part, else null. */
  public String onlyText() {
    return parts.size() == 1 && parts.get(0) instanceof Text ? ((Text) parts.get(0)).text() : null;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof EmbedInput && ((EmbedInput) o).parts.equals(parts);
  }

  @Override
  public int hashCode() {
    return parts.hashCode();
  }

  /**
   * The text itself for a text-only input; else the parts described, images by type, size and a
   * digest of their bytes: {@code a photo of a cat: [image/png, 5120 bytes, sha-256 3fa2c1d09e7b]}.
   */
  @Override
  public String toString() {
    String only = onlyText();
    if (only != null) {
      return only;
    }
    StringBuilder sb = new StringBuilder();
    for (Part p : parts) {
      sb.append(p instanceof Text ? ((Text) p).text() : p.toString());
    }
    return sb.toString();
  }

  /** A part of an input: a {@link Text} or an {@link Image}. */
  public sealed interface Part permits Text, Image {}

  /** A text part. */
  public record Text(String text) implements Part {
    public Text {
      Objects.requireNonNull(text, "text");
    }
  }

  /** An image part: the image file's bytes and their MIME type. */
  public static final class Image implements Part {
    private final byte[] data;
    private final String mimeType;

    private Image(byte[] data, String mimeType) {
      this.data = data;
      this.mimeType = mimeType;
    }

    /**
     * @throws IllegalArgumentException if the data is empty or the type is not an {@code image/...}
     */
    public static Image of(byte[] data, String mimeType) {
      Objects.requireNonNull(data, "data");
      Objects.requireNonNull(mimeType, "mimeType");
      if (data.length == 0) {
        throw new IllegalArgumentException("An image must not be empty");
      }
      if (!mimeType.startsWith("image/") || mimeType.length() == 6) {
        throw new IllegalArgumentException(
            "mimeType must be an image type such as image/png, was '" + mimeType + "'");
      }
      return new Image(data.clone(), mimeType);
    }

    /**
     * An image from base64 data, as LangChain4j's {@code Image} and most APIs carry it.
     *
     * @throws IllegalArgumentException if {@code base64} is not valid base64
     */
    public static Image ofBase64(String base64, String mimeType) {
      Objects.requireNonNull(base64, "base64");
      return of(Base64.getMimeDecoder().decode(base64), mimeType);
    }

    /** The MIME type, e.g. {@code image/png}. */
    public String mimeType() {
      return mimeType;
    }

    /** The size in bytes. */
    public int size() {
      return data.length;
    }

    /** A copy of the bytes. */
    public byte[] data() {
      return data.clone();
    }

    /** {@code data:<mimeType>;base64,<data>}, as Cohere takes it. */
    public String dataUri() {
      return "data:" + mimeType + ";base64," + Base64.getEncoder().encodeToString(data);
    }

    @Override
    public boolean equals(Object o) {
      return o instanceof Image
          && ((Image) o).mimeType.equals(mimeType)
          && Arrays.equals(((Image) o).data, data);
    }

    @Override
    public int hashCode() {
      return 31 * mimeType.hashCode() + Arrays.hashCode(data);
    }

    /** {@code [image/png, 5120 bytes, sha-256 3fa2c1d09e7b]}: never the bytes themselves. */
    @Override
    public String toString() {
      return "[" + mimeType + ", " + data.length + " bytes, sha-256 " + digest() + "]";
    }

    private String digest() {
      try {
        byte[] d = MessageDigest.getInstance("SHA-256").digest(data);
        return HexFormat.of().formatHex(d, 0, 6);
      } catch (NoSuchAlgorithmException e) {
        throw new IllegalStateException("every JDK has SHA-256", e);
      }
    }
  }
}
