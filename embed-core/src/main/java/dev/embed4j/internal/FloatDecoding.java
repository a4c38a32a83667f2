package dev.embed4j.internal;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import java.io.IOException;
import java.util.Arrays;

/** Embeddings from the wire into {@code float[]}: JSON number arrays, and base64 of float32. */
final class FloatDecoding {
  private FloatDecoding() {}

  /** Reads a JSON array of numbers into a float[]; {@code expected} sizes the first buffer. */
  static float[] readFloatArray(JsonParser p, int expected) throws IOException {
    float[] out = new float[Math.max(expected, 16)];
    int n = 0;
    JsonToken t;
    while ((t = p.nextToken()) != JsonToken.END_ARRAY) {
      if (t != JsonToken.VALUE_NUMBER_FLOAT && t != JsonToken.VALUE_NUMBER_INT) {
        throw new IOException("expected a number in an embedding, found " + t);
      }
      if (n == out.length) {
        out = Arrays.copyOf(out, n * 2);
      }
      out[n++] = p.getFloatValue();
    }
    return n == out.length ? out : Arrays.copyOf(out, n);
  }

  /** Each base64 character's 6 bits, -1 for a character outside the alphabet. */
  private static final int[] SEXTETS = new int[128];

  static {
    Arrays.fill(SEXTETS, -1);
    String alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    for (int i = 0; i < alphabet.length(); i++) {
      SEXTETS[alphabet.charAt(i)] = i;
    }
  }

  /**
   * Decodes the current string token, base64 of little-endian float32, into floats. Reads the
   * characters where the parser holds them ({@link JsonParser#getTextCharacters()}, no {@code
   * String}) and writes each float straight into the result: sixteen characters make twelve bytes
   * make three floats, with no byte array in between.
   */
  static float[] readBase64Floats(JsonParser p) throws IOException {
    char[] c = p.getTextCharacters();
    int start = p.getTextOffset();
    int end = start + p.getTextLength();
    int padding = 0;
    while (padding < 2 && end > start && c[end - 1] == '=') {
      end--;
      padding++;
    }
    int chars = end - start;
    if ((chars + padding) % 4 != 0 || chars % 4 == 1) {
      throw new IOException(
          "an embedding is not valid base64: " + (chars + padding) + " characters");
    }
    long bytes = chars / 4 * 3L + (chars % 4 == 0 ? 0 : chars % 4 - 1);
    if (bytes % 4 != 0) {
      throw new IOException(
          "a base64 embedding of " + bytes + " bytes is not a whole number of float32s");
    }
    float[] out = new float[(int) (bytes / 4)];
    int f = 0;
    int i = start;
    for (; end - i >= 16; i += 16) {
      int a = quad(c, i);
      int b = quad(c, i + 4);
      int d = quad(c, i + 8);
      int e = quad(c, i + 12);
      if ((a | b | d | e) < 0) {
        throw invalid(c, i, 16);
      }
      // a, b, d, e hold 3 bytes each, first byte highest; the floats are little-endian
      out[f++] = Float.intBitsToFloat(Integer.reverseBytes(a << 8 | b >>> 16));
      out[f++] = Float.intBitsToFloat(Integer.reverseBytes(b << 16 | d >>> 8));
      out[f++] = Float.intBitsToFloat(Integer.reverseBytes(d << 24 | e));
    }
    int bits = 0; // the last 0 to 15 characters, a byte at a time
    int held = 0;
    int word = 0;
    int bytesInWord = 0;
    for (; i < end; i++) {
      int s = sextet(c[i]);
      if (s < 0) {
        throw invalid(c, i, 1);
      }
      bits = (bits << 6 | s) & 0xfff;
      held += 6;
      if (held >= 8) {
        held -= 8;
        word |= (bits >>> held & 0xff) << 8 * bytesInWord;
        if (++bytesInWord == 4) {
          out[f++] = Float.intBitsToFloat(word);
          word = 0;
          bytesInWord = 0;
        }
      }
    }
    return out;
  }

  private static int quad(char[] c, int i) {
    return sextet(c[i]) << 18 | sextet(c[i + 1]) << 12 | sextet(c[i + 2]) << 6 | sextet(c[i + 3]);
  }

  private static int sextet(char ch) {
    return ch < 128 ? SEXTETS[ch] : -1;
  }

  private static IOException invalid(char[] c, int from, int length) {
    for (int k = from; k < from + length; k++) {
      if (sextet(c[k]) < 0) {
        return new IOException(
            "an embedding is not valid base64: the character U+"
                + String.format("%04X", (int) c[k])
                + " is not in the base64 alphabet");
      }
    }
    return new IOException("an embedding is not valid base64");
  }
}
