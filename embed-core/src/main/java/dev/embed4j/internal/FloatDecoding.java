package dev.embed4j.internal;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import java.util.Arrays;
import java.util.Base64;

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

  /**
   * Decodes base64 embeddings, little-endian float32, into floats: one per reply, not thread-safe.
   *
   * <p>When the parser reads the reply's own bytes (a {@link ReplyParser}), a vector of the
   * expected length is decoded from those bytes where they lie ({@link #decode}) and stepped over:
   * no {@code String}, no character buffer, and no second scan of the string by Jackson. Anything
   * else (a parser over other input, another length, a JSON escape such as {@code \/} inside the
   * string, a character outside the alphabet) goes the general way: the characters the parser holds
   * ({@link JsonParser#getTextCharacters()}), narrowed into a reused byte buffer and decoded by the
   * JDK's decoder, which also names what is wrong.
   */
  static final class Base64Floats {
    private final int dimensions;
    // The general way's buffers, made when it is first taken (the reply's bytes usually do)
    private byte[] ascii = EMPTY; // exactly one vector's length: the decoder takes it whole
    private byte[] bytes = EMPTY;
    private FloatBuffer floats; // a view of bytes

    /** A decoder for a reply whose vectors should have {@code dimensions} floats. */
    Base64Floats(int dimensions) {
      this.dimensions = dimensions;
    }

    private static FloatBuffer view(byte[] b) {
      return ByteBuffer.wrap(b).order(ByteOrder.LITTLE_ENDIAN).asFloatBuffer();
    }

    /** Decodes the current string token. */
    float[] read(JsonParser p) throws IOException {
      if (p instanceof ReplyParser) {
        float[] out = ((ReplyParser) p).base64Floats(dimensions);
        if (out != null) {
          return out;
        }
      }
      return readCharacters(p);
    }

    private float[] readCharacters(JsonParser p) throws IOException {
      char[] c = p.getTextCharacters();
      int offset = p.getTextOffset();
      int length = p.getTextLength();
      if (ascii.length != length) { // once per reply: its vectors are all as long
        ascii = new byte[length];
        if (bytes.length < length / 4 * 3 + 3) {
          bytes = new byte[length / 4 * 3 + 3];
          floats = view(bytes);
        }
      }
      int nonAscii = 0;
      for (int i = 0; i < length; i++) {
        char ch = c[offset + i];
        nonAscii |= ch & 0xff80;
        ascii[i] = (byte) ch;
      }
      if (nonAscii != 0) {
        throw invalid(c, offset, length);
      }
      int n;
      try {
        n = DECODER.decode(ascii, bytes);
      } catch (IllegalArgumentException e) {
        throw new IOException("an embedding is not valid base64: " + e.getMessage(), e);
      }
      if (n % 4 != 0) {
        throw new IOException(
            "a base64 embedding of " + n + " bytes is not a whole number of float32s");
      }
      float[] out = new float[n / 4];
      if (floats == null) {
        floats = view(bytes);
      }
      floats.position(0);
      floats.get(out);
      return out;
    }
  }

  /**
   * Decodes exactly {@code out.length} little-endian float32s from the base64 at {@code b[from]},
   * which must be followed by the closing quote before {@code end}, and returns that quote's index.
   * The JDK's decoder reads the bytes where they lie (its intrinsic beat a table-driven decoder in
   * Java several times over when both were tried), and its output is copied once, into {@code out}.
   * -1 if the string is longer or shorter, or holds anything the decoder refuses (a JSON escape
   * among them).
   */
  static int decode(byte[] b, int from, int end, float[] out) {
    int chars = (out.length * 4 + 2) / 3 * 4; // out.length * 4 bytes, padded to whole quads
    int quote = from + chars;
    if (quote >= end || b[quote] != '"') {
      return -1;
    }
    ByteBuffer bytes;
    try {
      bytes = DECODER.decode(ByteBuffer.wrap(b, from, chars));
    } catch (IllegalArgumentException e) {
      return -1;
    }
    if (bytes.remaining() != out.length * 4) {
      return -1;
    }
    bytes.order(ByteOrder.LITTLE_ENDIAN).asFloatBuffer().get(out);
    return quote;
  }

  private static final Base64.Decoder DECODER = Base64.getDecoder();

  private static final byte[] EMPTY = new byte[0];

  private static IOException invalid(char[] c, int from, int length) {
    for (int k = from; k < from + length; k++) {
      if (c[k] > 0x7f) {
        return new IOException(
            "an embedding is not valid base64: the character U+"
                + String.format("%04X", (int) c[k])
                + " is not ASCII");
      }
    }
    return new IOException("an embedding is not valid base64");
  }
}
