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

  /**
   * The UTF-8 length of {@code text}: a bound on its token count, since a byte-level BPE token
   * covers at least one byte. Far cheaper than counting, so counts are exact only where the bound
   * cannot prove a limit safe.
   */
  static int bound(String text) {
    int n = text.length();
    int bytes = n;
    for (int i = 0; i < n; i++) {
      char c = text.charAt(i);
      if (c >= 0x80) {
        bytes += c < 0x800 ? 1 : Character.isSurrogate(c) ? 1 : 2; // a surrogate pair is 4 bytes
      }
    }
    return bytes;
  }

  /** A likely token count for pacing from the {@link #bound}: about four bytes per token. */
  static int guess(int bound) {
    return Math.max(1, (bound + 3) / 4);
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
