package dev.embed4j.emulator;

import com.fasterxml.jackson.core.io.JsonStringEncoder;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Arrays;
import java.util.Base64;

/**
 * A growable byte array for writing the large success bodies directly as JSON bytes. It is several
 * times faster than a {@code JsonGenerator} for the two payloads that dominate them: float arrays
 * (a fixed-point formatter instead of shortest-representation formatting) and base64 (the JDK's
 * encoder instead of Jackson's). Not thread-safe.
 */
final class Out {

  private static final byte[] DIGIT_PAIRS = new byte[200];

  static {
    for (int i = 0; i < 100; i++) {
      DIGIT_PAIRS[2 * i] = (byte) ('0' + i / 10);
      DIGIT_PAIRS[2 * i + 1] = (byte) ('0' + i % 10);
    }
  }

  private static final ThreadLocal<ByteBuffer[]> SCRATCH =
      ThreadLocal.withInitial(
          () -> new ByteBuffer[] {ByteBuffer.allocate(0), ByteBuffer.allocate(0)});

  private byte[] buf;
  private int len;

  Out(int capacity) {
    buf = new byte[Math.max(64, capacity)];
  }

  byte[] array() {
    return buf;
  }

  int length() {
    return len;
  }

  private void ensure(int more) {
    if (len + more > buf.length) {
      buf = Arrays.copyOf(buf, Math.max(len + more, buf.length * 2));
    }
  }

  /** Appends ASCII text as is (field names, punctuation). */
  Out raw(String ascii) {
    int n = ascii.length();
    ensure(n);
    for (int i = 0; i < n; i++) {
      buf[len++] = (byte) ascii.charAt(i);
    }
    return this;
  }

  Out raw(char c) {
    ensure(1);
    buf[len++] = (byte) c;
    return this;
  }

  /** Appends a JSON string literal, quoted and escaped. */
  Out string(String s) {
    byte[] escaped = JsonStringEncoder.getInstance().quoteAsUTF8(s);
    ensure(escaped.length + 2);
    buf[len++] = '"';
    System.arraycopy(escaped, 0, buf, len, escaped.length);
    len += escaped.length;
    buf[len++] = '"';
    return this;
  }

  Out number(long v) {
    return raw(Long.toString(v));
  }

  /** Appends {@code [f0,f1,...]}, each float in a form that parses back to the same float. */
  Out floats(float[] v) {
    ensure(2 + v.length * 17);
    buf[len++] = '[';
    for (int i = 0; i < v.length; i++) {
      if (i > 0) {
        buf[len++] = ',';
      }
      writeFloat(v[i]);
    }
    buf[len++] = ']';
    return this;
  }

  /**
   * Writes {@code 0.dddddddddddd} (12 decimals, no branches on the digits) for 1e-4 <= |f| < 1,
   * else Float.toString. At least 9 significant digits always identify a float: the decimal is
   * within 5e-9 (relative) of f, while neighbouring floats are at least 6e-8 apart.
   */
  private void writeFloat(float f) {
    double x = Math.abs((double) f);
    if (!(x >= 1e-4 && x < 1)) {
      raw(Float.toString(f));
      return;
    }
    long m = (long) (x * 1e12 + 0.5);
    int hi = (int) (m / 1_000_000);
    int lo = (int) (m - hi * 1_000_000L);
    byte[] b = buf;
    int p = len;
    if (f < 0) {
      b[p++] = '-';
    }
    b[p++] = '0';
    b[p++] = '.';
    p = pair(b, p, hi / 10_000);
    p = pair(b, p, hi / 100 % 100);
    p = pair(b, p, hi % 100);
    p = pair(b, p, lo / 10_000);
    p = pair(b, p, lo / 100 % 100);
    len = pair(b, p, lo % 100);
  }

  private static int pair(byte[] b, int p, int v) {
    b[p] = DIGIT_PAIRS[2 * v];
    b[p + 1] = DIGIT_PAIRS[2 * v + 1];
    return p + 2;
  }

  /** Appends the vector's little-endian float32 bytes as a base64 JSON string. */
  Out base64(float[] v) {
    ByteBuffer[] scratch = SCRATCH.get();
    int bytes = v.length * 4;
    int chars = (bytes + 2) / 3 * 4;
    if (scratch[0].capacity() != bytes) { // sized exactly: the encoder takes whole arrays
      scratch[0] = ByteBuffer.allocate(bytes).order(ByteOrder.LITTLE_ENDIAN);
      scratch[1] = ByteBuffer.allocate(chars);
    }
    scratch[0].clear();
    scratch[0].asFloatBuffer().put(v);
    ensure(chars + 2);
    buf[len++] = '"';
    int n = Base64.getEncoder().encode(scratch[0].array(), scratch[1].array());
    System.arraycopy(scratch[1].array(), 0, buf, len, n);
    len += n;
    buf[len++] = '"';
    return this;
  }
}
