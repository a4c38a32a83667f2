package dev.embed4j.emulator;

import com.knuddels.jtokkit.Encodings;
import com.knuddels.jtokkit.api.Encoding;
import com.knuddels.jtokkit.api.EncodingType;
import com.knuddels.jtokkit.api.IntArrayList;

/** cl100k_base token counts, used to enforce limits and bill both providers. */
final class Tokenizer {

  private static final class Holder {
    static final Encoding CL100K =
        Encodings.newLazyEncodingRegistry().getEncoding(EncodingType.CL100K_BASE);
  }

  private Tokenizer() {}

  /** Tokens of the text; special-token text such as {@code <|endoftext|>} counts as ordinary. */
  static int count(String text) {
    return text.isEmpty() ? 0 : Holder.CL100K.countTokensOrdinary(text);
  }

  /** The text cut to its first ({@code fromStart == false}) or last {@code max} tokens. */
  static String truncate(String text, int max, boolean fromStart) {
    IntArrayList tokens = Holder.CL100K.encodeOrdinary(text);
    int n = tokens.size();
    if (n <= max) {
      return text;
    }
    IntArrayList kept = new IntArrayList(max);
    for (int i = fromStart ? n - max : 0, end = i + max; i < end; i++) {
      kept.add(tokens.get(i));
    }
    return Holder.CL100K.decode(kept);
  }
}
