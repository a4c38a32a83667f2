package dev.embed4j.internal;

import dev.embed4j.EmbedInput;
import dev.embed4j.InvalidInputException;
import dev.embed4j.ModelSpec;
import java.util.List;
import java.util.Set;

/**
 * The preparation of a run of {@link EmbedInput}s, text and images, before anything is sent: every
 * input is checked (null, no parts, a blank text, an image the model cannot take, text over the
 * model's per-input limit), described and counted, so that the rest of the engine (batching,
 * dispatch, placing by index, cost) runs as for texts. An image counts {@value #IMAGE_TOKENS}
 * tokens for planning (Cohere: "a 512 x 512 image is about 1,610 tokens"); what is billed comes
 * from the server, at the model's image rate.
 */
final class Inputs {
  /** The planning estimate of one image's tokens. */
  static final int IMAGE_TOKENS = 1610;

  /** Cohere's formats; 20 MB is its cap on all images of a request. */
  static final Set<String> IMAGE_TYPES =
      Set.of("image/jpeg", "image/png", "image/webp", "image/gif");

  static final int MAX_IMAGE_BYTES = 20 * 1024 * 1024;

  private Inputs() {}

  /**
   * Every input, checked and counted: described as its {@link Input#text}, its parts kept as its
   * {@link Input#content}.
   *
   * @throws InvalidInputException naming the first invalid input; nothing is sent
   */
  static Input[] prepare(List<EmbedInput> input, ModelSpec model, boolean truncate) {
    if (input == null) {
      throw new IllegalArgumentException("inputs must not be null");
    }
    int n = input.size();
    Input[] prepared = new Input[n];
    for (int i = 0; i < n; i++) {
      EmbedInput in = input.get(i);
      if (in == null) {
        throw invalid(i, "is null. Remove it or replace it before embedding.");
      }
      int textTokens = 0;
      int images = 0;
      for (EmbedInput.Part part : in.parts()) {
        if (part instanceof EmbedInput.Text) {
          String text = ((EmbedInput.Text) part).text();
          if (text.isBlank() && in.parts().size() == 1) {
            throw invalid(
                i,
                "is "
                    + (text.isEmpty() ? "empty" : "blank")
                    + ". Providers reject empty texts: remove it or replace it with text.");
          }
          textTokens += Tokenizers.count(text);
        } else {
          EmbedInput.Image image = (EmbedInput.Image) part;
          if (!model.acceptsImages()) {
            throw invalid(
                i,
                "has an image, but "
                    + model.id()
                    + " embeds text only. Use a model that takes images (Cohere embed-v4.0).");
          }
          if (!IMAGE_TYPES.contains(image.mimeType())) {
            throw invalid(
                i,
                "has an image of type "
                    + image.mimeType()
                    + "; "
                    + model.id()
                    + " takes image/jpeg, image/png, image/webp or image/gif. Convert it first.");
          }
          if (image.size() > MAX_IMAGE_BYTES) {
            throw invalid(
                i,
                "has an image of "
                    + image.size()
                    + " bytes; a request may carry at most 20 MB of images. Scale it down first.");
          }
          images++;
        }
      }
      if (textTokens > model.maxTokensPerInput() && !truncate) {
        throw invalid(
            i,
            "has "
                + textTokens
                + (model.hasExactTokenizer() ? "" : " (estimated)")
                + " tokens of text, more than the "
                + model.maxTokensPerInput()
                + " that "
                + model.id()
                + " accepts per input. Split it, or set truncate(true).");
      }
      String described = in.toString();
      int tokens = Math.min(textTokens, model.maxTokensPerInput()) + images * IMAGE_TOKENS;
      Input one = new Input(i, described, described, described, tokens, tokens);
      one.exact = true; // counted here: never recounted from the description
      one.content = in;
      prepared[i] = one;
    }
    return prepared;
  }

  private static InvalidInputException invalid(int i, String what) {
    return new InvalidInputException(i, "Input " + i + " " + what + " Nothing was sent.");
  }
}
