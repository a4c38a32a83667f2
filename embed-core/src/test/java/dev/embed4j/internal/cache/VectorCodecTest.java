package dev.embed4j.internal.cache;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

class VectorCodecTest {
  private final float[] vector = StoreContract.vectorOf("codec");

  @Test
  void roundTrip_littleEndianFloatsAfterA20ByteHeader() {
    byte[] bytes = VectorCodec.encode(vector, 1234L);
    assertThat(bytes).hasSize(20 + 4 * vector.length);
    assertThat(VectorCodec.decode(bytes)).containsExactly(vector);
    assertThat(VectorCodec.writtenAt(bytes)).isEqualTo(1234L);
    ByteBuffer b = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
    assertThat(b.getInt(4)).isEqualTo(vector.length);
    assertThat(b.getFloat(20)).isEqualTo(vector[0]);
  }

  @Test
  void everySingleFlippedBit_isRejected() {
    byte[] bytes = VectorCodec.encode(Arrays.copyOf(vector, 16), 99L);
    for (int i = 0; i < bytes.length; i++) {
      for (int bit = 0; bit < 8; bit++) {
        byte[] damaged = bytes.clone();
        damaged[i] ^= (byte) (1 << bit);
        assertThat(VectorCodec.decode(damaged)).as("byte %d bit %d", i, bit).isNull();
      }
    }
  }

  @Test
  void truncatedExtendedOrEmpty_isRejected() {
    byte[] bytes = VectorCodec.encode(vector, 0);
    assertThat(VectorCodec.decode(Arrays.copyOf(bytes, bytes.length - 4))).isNull();
    assertThat(VectorCodec.decode(Arrays.copyOf(bytes, bytes.length + 4))).isNull();
    assertThat(VectorCodec.decode(Arrays.copyOf(bytes, 19))).isNull();
    assertThat(VectorCodec.decode(new byte[0])).isNull();
    assertThat(VectorCodec.decode(null)).isNull();
  }

  @Test
  void aHeaderClaimingAHugeCount_isRejectedWithoutAllocating() {
    byte[] bytes = VectorCodec.encode(new float[1], 0);
    ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN).putInt(4, Integer.MAX_VALUE);
    assertThat(VectorCodec.decode(bytes)).isNull();
  }
}
