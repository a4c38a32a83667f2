package dev.embed4j.internal;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.sun.management.HotSpotDiagnosticMXBean;
import java.io.IOException;
import java.lang.management.ManagementFactory;
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
   * which must be followed by the closing quote before {@code end}, and returns that quote's index;
   * -1 if the string is longer or shorter, or holds anything the decoders refuse (a JSON escape
   * among them). Where the JVM compiles the JDK's decoder to vector instructions, it reads the
   * bytes where they lie and its output is copied once into {@code out}; elsewhere (JDK 17 without
   * AVX-512, for one) that decoder is a loop over bytes, and {@link #decodeWithTables} is faster.
   */
  static int decode(byte[] b, int from, int end, float[] out) {
    return JDK_INTRINSIC ? decodeWithJdk(b, from, end, out) : decodeWithTables(b, from, end, out);
  }

  /** {@link #decode} by the JDK's decoder. */
  static int decodeWithJdk(byte[] b, int from, int end, float[] out) {
    int quote = closingQuote(b, from, end, out.length);
    if (quote < 0) {
      return -1;
    }
    return decodeTail(b, from, quote, out, 0) ? quote : -1;
  }

  /**
   * {@link #decode} in Java: each group of 16 characters, 12 bytes, becomes three floats straight
   * from four lookups per quad into tables of each character's six bits, already shifted to its
   * place (4 KB, held in the first-level cache); a character outside the alphabet sets the sign
   * bit, checked once at the end. The last one or two floats, which end in padding, go through the
   * JDK's decoder.
   */
  static int decodeWithTables(byte[] b, int from, int end, float[] out) {
    int quote = closingQuote(b, from, end, out.length);
    if (quote < 0) {
      return -1;
    }
    int[] t0 = SHIFT18;
    int[] t1 = SHIFT12;
    int[] t2 = SHIFT6;
    int[] t3 = SHIFT0;
    int whole = out.length / 3 * 3;
    int bad = 0;
    int p = from;
    for (int k = 0; k < whole; k += 3, p += 16) {
      int q0 = t0[b[p] & 0xff] | t1[b[p + 1] & 0xff] | t2[b[p + 2] & 0xff] | t3[b[p + 3] & 0xff];
      int q1 =
          t0[b[p + 4] & 0xff] | t1[b[p + 5] & 0xff] | t2[b[p + 6] & 0xff] | t3[b[p + 7] & 0xff];
      int q2 =
          t0[b[p + 8] & 0xff] | t1[b[p + 9] & 0xff] | t2[b[p + 10] & 0xff] | t3[b[p + 11] & 0xff];
      int q3 =
          t0[b[p + 12] & 0xff] | t1[b[p + 13] & 0xff] | t2[b[p + 14] & 0xff] | t3[b[p + 15] & 0xff];
      bad |= q0 | q1 | q2 | q3;
      // four quads of 24 bits are the 12 bytes of three floats, each stored little-endian
      out[k] = Float.intBitsToFloat(Integer.reverseBytes(q0 << 8 | (q1 >>> 16 & 0xff)));
      out[k + 1] = Float.intBitsToFloat(Integer.reverseBytes(q1 << 16 | (q2 >>> 8 & 0xffff)));
      out[k + 2] = Float.intBitsToFloat(Integer.reverseBytes(q2 << 24 | (q3 & 0xffffff)));
    }
    if (bad < 0) {
      return -1;
    }
    return whole == out.length || decodeTail(b, p, quote, out, whole) ? quote : -1;
  }

  /** The index of the quote that must close {@code floats} float32s of base64 at {@code from}. */
  private static int closingQuote(byte[] b, int from, int end, int floats) {
    int quote = from + (floats * 4 + 2) / 3 * 4; // floats * 4 bytes, padded to whole quads
    return quote < end && b[quote] == '"' ? quote : -1;
  }

  /** Decodes {@code b[from, to)} by the JDK's decoder into {@code out} from {@code at} on. */
  private static boolean decodeTail(byte[] b, int from, int to, float[] out, int at) {
    ByteBuffer bytes;
    try {
      bytes = DECODER.decode(ByteBuffer.wrap(b, from, to - from));
    } catch (IllegalArgumentException e) {
      return false;
    }
    if (bytes.remaining() != (out.length - at) * 4) {
      return false;
    }
    bytes.order(ByteOrder.LITTLE_ENDIAN).asFloatBuffer().get(out, at, out.length - at);
    return true;
  }

  private static final int[] SHIFT18 = sixBits(18);
  private static final int[] SHIFT12 = sixBits(12);
  private static final int[] SHIFT6 = sixBits(6);
  private static final int[] SHIFT0 = sixBits(0);

  private static int[] sixBits(int shift) {
    int[] table = new int[256];
    Arrays.fill(table, Integer.MIN_VALUE);
    String alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    for (int i = 0; i < alphabet.length(); i++) {
      table[alphabet.charAt(i)] = i << shift;
    }
    return table;
  }

  /** Whether HotSpot compiles the JDK's base64 decoding to vector instructions. */
  static final boolean JDK_INTRINSIC = jdkIntrinsic();

  private static boolean jdkIntrinsic() {
    try {
      return Boolean.parseBoolean(
          ManagementFactory.getPlatformMXBean(HotSpotDiagnosticMXBean.class)
              .getVMOption("UseBASE64Intrinsics")
              .getValue());
    } catch (RuntimeException | LinkageError e) {
      return false; // not HotSpot, or no such option, or no jdk.management: the tables are safe
    }
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
