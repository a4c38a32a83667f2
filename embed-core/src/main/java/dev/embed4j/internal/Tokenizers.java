package dev.embed4j.internal;

import com.knuddels.jtokkit.Encodings;
import com.knuddels.jtokkit.api.Encoding;
import com.knuddels.jtokkit.api.EncodingResult;
import com.knuddels.jtokkit.api.EncodingType;

/**
 * Token counts with jtokkit's {@code cl100k_base}, exact for OpenAI's embedding models and the
 * estimate for the others. Special-token text such as {@code <|endoftext|>} is counted as ordinary
 * text, as the embeddings endpoints treat it.
 */
final class Tokenizers {
  private Tokenizers() {}

  private static final class Holder {
    static final Encoding CL100K =
        Encodings.newLazyEncodingRegistry().getEncoding(EncodingType.CL100K_BASE);
  }

  static int count(String text) {
    return Holder.CL100K.countTokensOrdinary(text);
  }

  /** {@code text} cut to at most {@code maxTokens} tokens, on a token boundary. */
  static String truncate(String text, int maxTokens) {
    EncodingResult result = Holder.CL100K.encodeOrdinary(text, maxTokens);
    return result.isTruncated() ? Holder.CL100K.decode(result.getTokens()) : text;
  }
}
