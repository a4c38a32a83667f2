package dev.embed4j.emulator;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Set;
import java.util.function.ToIntFunction;

/**
 * What a Cohere {@code /v2/embed} request asks to embed: {@code texts}, {@code images} (data URIs)
 * or {@code inputs} (content parts of {@code text} and {@code image_url}), exactly one of them, as
 * items the endpoint embeds one vector each.
 *
 * <p>An item's vector is seeded from its key: the text itself for a text alone (so {@code inputs}
 * and {@code texts} agree), else its parts in order, {@code text:<text>} and {@code image_url:<data
 * URI>}, joined by NUL. An image bills {@link #imageTokens(byte[])} tokens.
 */
final class CohereContent {
  static final Set<String> IMAGE_TYPES =
      Set.of("image/jpeg", "image/png", "image/webp", "image/gif");

  /**
   * @param text the text of a text alone (which {@code truncate} may cut), else null
   * @param key what the vector is seeded from
   * @param textTokens the tokens of the item's text parts
   * @param imageTokens the tokens of its images
   */
  record Item(String text, String key, int textTokens, int imageTokens, int images, long bytes) {}

  private CohereContent() {}

  static List<Item> read(JsonNode root, ToIntFunction<String> tokens) {
    JsonNode texts = present(root.get("texts"));
    JsonNode images = present(root.get("images"));
    JsonNode inputs = present(root.get("inputs"));
    int given = (texts == null ? 0 : 1) + (images == null ? 0 : 1) + (inputs == null ? 0 : 1);
    if (given == 0) {
      throw CohereEndpoint.reject(
          400, "invalid request: one of texts, images or inputs must be provided");
    }
    if (given > 1) {
      throw CohereEndpoint.reject(
          400, "invalid request: only one of texts, images or inputs may be provided");
    }
    JsonNode array = texts != null ? texts : images != null ? images : inputs;
    String field = texts != null ? "texts" : images != null ? "images" : "inputs";
    if (!array.isArray()) {
      throw CohereEndpoint.reject(400, "invalid request: " + field + " must be an array");
    }
    List<Item> items = new ArrayList<>(array.size());
    for (int i = 0; i < array.size(); i++) {
      JsonNode n = array.get(i);
      if (texts != null) {
        if (!n.isTextual()) {
          throw CohereEndpoint.reject(400, "invalid request: texts must be an array of strings");
        }
        items.add(text(n.textValue(), tokens));
      } else if (images != null) {
        items.add(image(n.isTextual() ? n.textValue() : null, i));
      } else {
        items.add(input(n, i, tokens));
      }
    }
    return items;
  }

  private static Item text(String text, ToIntFunction<String> tokens) {
    return new Item(text, text, tokens.applyAsInt(text), 0, 0, 0);
  }

  private static Item image(String url, int index) {
    byte[] bytes = decode(url, index);
    return new Item(null, "image_url:" + url, 0, imageTokens(bytes), 1, bytes.length);
  }

  private static Item input(JsonNode input, int index, ToIntFunction<String> tokens) {
    JsonNode content = input.get("content");
    if (content == null || !content.isArray() || content.isEmpty()) {
      throw CohereEndpoint.reject(
          400, "invalid request: inputs[" + index + "].content must be a non-empty array");
    }
    if (content.size() == 1 && "text".equals(Endpoint.text(content.get(0), "type"))) {
      String text = Endpoint.text(content.get(0), "text");
      if (text == null) {
        throw CohereEndpoint.reject(
            400, "invalid request: inputs[" + index + "].content[0].text must be provided");
      }
      return text(text, tokens);
    }
    StringBuilder key = new StringBuilder();
    int textTokens = 0;
    int imageTokens = 0;
    int images = 0;
    long bytes = 0;
    for (int p = 0; p < content.size(); p++) {
      JsonNode part = content.get(p);
      String type = Endpoint.text(part, "type");
      key.append(p == 0 ? "" : "\u0000");
      if ("text".equals(type) && part.path("text").isTextual()) {
        String text = part.get("text").textValue();
        key.append("text:").append(text);
        textTokens += tokens.applyAsInt(text);
      } else if ("image_url".equals(type)) {
        String url = Endpoint.text(part.path("image_url"), "url");
        byte[] data = decode(url, index);
        key.append("image_url:").append(url);
        imageTokens += imageTokens(data);
        images++;
        bytes += data.length;
      } else {
        throw CohereEndpoint.reject(
            400,
            "invalid request: inputs["
                + index
                + "].content["
                + p
                + "] must be {\"type\":\"text\",\"text\":...} or"
                + " {\"type\":\"image_url\",\"image_url\":{\"url\":...}}");
      }
    }
    return new Item(null, key.toString(), textTokens, imageTokens, images, bytes);
  }

  private static byte[] decode(String url, int index) {
    String invalid =
        "invalid request: image at index "
            + index
            + " must be a valid data URI of type image/jpeg, image/png, image/webp or image/gif";
    if (url == null || !url.startsWith("data:")) {
      throw CohereEndpoint.reject(400, invalid);
    }
    int semi = url.indexOf(";base64,");
    if (semi < 0 || !IMAGE_TYPES.contains(url.substring(5, semi))) {
      throw CohereEndpoint.reject(400, invalid);
    }
    try {
      byte[] data = Base64.getDecoder().decode(url.substring(semi + 8));
      if (data.length == 0) {
        throw CohereEndpoint.reject(400, invalid);
      }
      return data;
    } catch (IllegalArgumentException e) {
      throw CohereEndpoint.reject(400, invalid);
    }
  }

  /**
   * The emulator's image tokens: for a PNG or GIF whose header gives its size, one token per 163
   * pixels (Cohere: a 512 x 512 image is about 1,610 tokens), at least 1; 1,610 for any other.
   */
  static int imageTokens(byte[] image) {
    long pixels = -1;
    if (image.length >= 24
        && (image[0] & 0xff) == 0x89
        && image[1] == 'P'
        && image[2] == 'N'
        && image[3] == 'G') {
      pixels = bigEndian(image, 16) * bigEndian(image, 20);
    } else if (image.length >= 10 && image[0] == 'G' && image[1] == 'I' && image[2] == 'F') {
      pixels =
          (long) ((image[6] & 0xff) | (image[7] & 0xff) << 8)
              * ((image[8] & 0xff) | (image[9] & 0xff) << 8);
    }
    return pixels < 0 ? 1610 : (int) Math.max(1, Math.min(Integer.MAX_VALUE, (pixels + 162) / 163));
  }

  private static long bigEndian(byte[] b, int off) {
    return ((b[off] & 0xffL) << 24)
        | ((b[off + 1] & 0xff) << 16)
        | ((b[off + 2] & 0xff) << 8)
        | (b[off + 3] & 0xff);
  }

  private static JsonNode present(JsonNode n) {
    return n == null || n.isNull() ? null : n;
  }
}
