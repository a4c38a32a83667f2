package dev.embed4j.internal;

import com.fasterxml.jackson.core.JsonGenerator;
import java.io.IOException;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;

/**
 * Texts written into a request body as JSON strings. A text with nothing to escape is written as
 * its UTF-8 bytes between quotes: the JDK encodes a string to UTF-8 with vector instructions, and
 * those bytes are checked for what JSON escapes eight at a time; Jackson's {@code writeString}
 * looks up every character in its escape table, the costliest step of writing a request. A text
 * with a control character, a quote or a backslash goes through {@code writeString}, and so does
 * one the encoder could not encode whole.
 */
final class JsonStrings {
  private JsonStrings() {}

  /** Writes {@code text} as a JSON string value; the same string as {@code g.writeString(text)}. */
  static void write(JsonGenerator g, String text) throws IOException {
    byte[] utf8 = text.getBytes(StandardCharsets.UTF_8);
    if (plain(utf8, text)) {
      g.writeRawUTF8String(utf8, 0, utf8.length);
    } else {
      g.writeString(text);
    }
  }

  /**
   * Whether {@code utf8}, the encoding of {@code text}, is a JSON string's content as it is: no
   * byte below 0x20, no quote, no backslash, and no {@code '?'} the encoder put for a lone
   * surrogate. Bytes of 0x80 and above are multi-byte UTF-8, which JSON takes as it is.
   */
  static boolean plain(byte[] utf8, String text) {
    int n = utf8.length;
    int i = 0;
    for (; i + 8 <= n; i += 8) {
      if (suspect((long) LONGS.get(utf8, i)) != 0 && !plain(utf8, i, i + 8, text)) {
        return false;
      }
    }
    return plain(utf8, i, n, text);
  }

  private static boolean plain(byte[] utf8, int from, int to, String text) {
    for (int k = from; k < to; k++) {
      int c = utf8[k] & 0xff;
      if (c < 0x20 || c == '"' || c == '\\') {
        return false;
      }
      // A '?' is the text's own only if every character became one byte: then byte k is char k.
      if (c == '?' && (utf8.length != text.length() || text.charAt(k) != '?')) {
        return false;
      }
    }
    return true;
  }

  /**
   * Non-zero if one of the eight bytes of {@code x} is below 0x20, a quote, a backslash or a {@code
   * '?'}: each test is the classic "has a byte less than n" on {@code x} or on {@code x} XOR the
   * byte sought (which leaves the top bits as they are); a byte with its top bit set answers no,
   * and a borrow can only spread upward from a byte that answers yes.
   */
  private static long suspect(long x) {
    long below = x - ONES * 0x20;
    long quote = (x ^ ONES * '"') - ONES;
    long backslash = (x ^ ONES * '\\') - ONES;
    long question = (x ^ ONES * '?') - ONES;
    return (below | quote | backslash | question) & ~x & HIGHS;
  }

  private static final long ONES = 0x0101010101010101L;
  private static final long HIGHS = 0x8080808080808080L;

  private static final VarHandle LONGS =
      MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);
}
