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
   * Decodes base64 embeddings, little-endian float32, into floats, reusing its buffers from one
   * vector to the next: one per reply, not thread-safe. Reads the characters where the parser holds
   * them ({@link JsonParser#getTextCharacters()}, no {@code String}), narrows them into a reused
   * byte buffer, decodes that with the JDK's decoder (vectorised by the JIT on x86 and AArch64:
   * faster than a table-driven decoder over the characters, and than Jackson's own) into a second
   * reused buffer, and copies the floats once, into the vector's {@code float[]}. Nothing is
   * allocated per vector but that array.
   */
  static final class Base64Floats {
    private byte[] ascii = new byte[0]; // exactly one vector's length: the decoder takes it whole
    private byte[] bytes = new byte[0];
    private FloatBuffer floats = view(bytes);

    private static FloatBuffer view(byte[] b) {
      return ByteBuffer.wrap(b).order(ByteOrder.LITTLE_ENDIAN).asFloatBuffer();
    }

    /** Decodes the current string token. */
    float[] read(JsonParser p) throws IOException {
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
      floats.position(0);
      floats.get(out);
      return out;
    }
  }

  private static final Base64.Decoder DECODER = Base64.getDecoder();

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
