package dev.embed4j.internal.cache;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.zip.CRC32C;

/**
 * The bytes of one stored vector: a 20-byte header (magic, float count, time written in epoch
 * milliseconds, CRC-32C of the count, the time and the floats), then the floats, little-endian.
 * Anything that does not decode to exactly that (another format, a cut-off value, a flipped byte)
 * decodes to null, so a damaged entry is a miss and the engine overwrites it.
 */
final class VectorCodec {
  static final int MAGIC = 0x45345631; // "E4V1"
  static final int HEADER = 20;
  private static final int MAX_FLOATS = 1 << 20;

  private VectorCodec() {}

  static byte[] encode(float[] vector, long writtenAtMillis) {
    ByteBuffer b = ByteBuffer.allocate(HEADER + 4 * vector.length).order(ByteOrder.LITTLE_ENDIAN);
    b.putInt(MAGIC).putInt(vector.length).putLong(writtenAtMillis).putInt(0);
    b.asFloatBuffer().put(vector);
    b.putInt(16, checksum(b.array()));
    return b.array();
  }

  /** The vector, or null if {@code bytes} is not one whole, intact encoded vector. */
  static float[] decode(byte[] bytes) {
    if (bytes == null || bytes.length < HEADER) {
      return null;
    }
    ByteBuffer b = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
    int count = b.getInt(4);
    if (b.getInt(0) != MAGIC
        || count <= 0
        || count > MAX_FLOATS
        || bytes.length != HEADER + 4 * count
        || b.getInt(16) != checksum(bytes)) {
      return null;
    }
    float[] vector = new float[count];
    b.position(HEADER);
    b.asFloatBuffer().get(vector);
    return vector;
  }

  /** When the entry was written, from a value {@link #decode} accepted. */
  static long writtenAt(byte[] bytes) {
    return ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN).getLong(8);
  }

  private static int checksum(byte[] bytes) {
    CRC32C crc = new CRC32C();
    crc.update(bytes, 4, 12);
    crc.update(bytes, HEADER, bytes.length - HEADER);
    return (int) crc.getValue();
  }
}
