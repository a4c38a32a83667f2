package dev.embed4j.langchain4j;

import dev.embed4j.EmbedInput;
import dev.langchain4j.data.image.Image;
import dev.langchain4j.data.message.Content;
import dev.langchain4j.data.message.ContentType;
import dev.langchain4j.data.message.ImageContent;
import dev.langchain4j.data.message.TextContent;
import dev.langchain4j.exception.InvalidRequestException;
import dev.langchain4j.exception.UnsupportedFeatureException;
import dev.langchain4j.model.embedding.request.EmbeddingInput;
import dev.langchain4j.model.embedding.request.EmbeddingRequest;
import java.util.ArrayList;
import java.util.List;

/** LangChain4j's text and image contents as Embed4j {@link EmbedInput}s, in order. */
final class ContentInputs {
  private ContentInputs() {}

  static boolean hasImages(EmbeddingRequest request) {
    for (EmbeddingInput input : request.inputs()) {
      if (input.contentTypes().contains(ContentType.IMAGE)) {
        return true;
      }
    }
    return false;
  }

  /** Each input's text and image contents as Embed4j parts, in order. */
  static List<EmbedInput> of(EmbeddingRequest request) {
    List<EmbeddingInput> given = request.inputs();
    List<EmbedInput> inputs = new ArrayList<>(given.size());
    for (int i = 0; i < given.size(); i++) {
      List<EmbedInput.Part> parts = new ArrayList<>();
      for (Content content : given.get(i).contents()) {
        if (content instanceof TextContent) {
          parts.add(new EmbedInput.Text(((TextContent) content).text()));
        } else if (content instanceof ImageContent) {
          parts.add(image(((ImageContent) content).image(), i));
        } else {
          throw new UnsupportedFeatureException(
              "Input " + i + " has " + content.type() + " content; Embed4j embeds text and images");
        }
      }
      inputs.add(EmbedInput.of(parts));
    }
    return inputs;
  }

  /** A LangChain4j image as bytes: base64 data, or a {@code data:} URI; never fetched by URL. */
  private static EmbedInput.Image image(Image image, int index) {
    String base64 = image.base64Data();
    String mimeType = image.mimeType();
    if (base64 == null && image.url() != null && "data".equals(image.url().getScheme())) {
      String uri = image.url().toString();
      int comma = uri.indexOf(',');
      int semi = uri.indexOf(";base64");
      if (comma > 0 && semi > 5 && semi < comma) {
        mimeType = uri.substring(5, semi);
        base64 = uri.substring(comma + 1);
      }
    }
    if (base64 == null) {
      throw new InvalidRequestException(
          "Input "
              + index
              + " has an image by URL ("
              + image.url()
              + "): Embed4j sends images inline and fetches nothing. Pass the image's bytes:"
              + " ImageContent.from(base64, mimeType).");
    }
    if (mimeType == null) {
      throw new InvalidRequestException(
          "Input " + index + " has an image without a MIME type: give one, e.g. image/png.");
    }
    try {
      return EmbedInput.Image.ofBase64(base64, mimeType);
    } catch (IllegalArgumentException e) {
      throw new InvalidRequestException(
          "Input " + index + " has an image Embed4j cannot take: " + e.getMessage(), e);
    }
  }
}
