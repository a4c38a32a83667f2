package dev.embed4j.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** Base64 of little-endian float32 decoded from the parser's characters, bit for bit. */
class FloatDecodingTest {

  private static String base64(float[] v) {
    ByteBuffer b = ByteBuffer.allocate(v.length * 4).order(ByteOrder.LITTLE_ENDIAN);
    b.asFloatBuffer().put(v);
    return Base64.getEncoder().encodeToString(b.array());
  }

  private static float[] decode(String base64) throws IOException {
    byte[] json = ("{\"embedding\":\"" + base64 + "\"}").getBytes(StandardCharsets.UTF_8);
    try (JsonParser p = HttpCall.JSON_FACTORY.createParser(new ByteArrayInputStream(json))) {
      p.nextToken();
      p.nextToken();
      assertThat(p.nextToken()).isEqualTo(JsonToken.VALUE_STRING);
      return FloatDecoding.readBase64Floats(p);
    }
  }

  @Test
  void everyLengthAndBitPattern_decodesAsTheJdkEncodedIt() throws IOException {
    SplittableRandom random = new SplittableRandom(7);
    for (int n : new int[] {0, 1, 2, 3, 4, 5, 11, 12, 13, 256, 1536, 3072}) {
      float[] v = new float[n];
      for (int i = 0; i < n; i++) {
        v[i] = Float.intBitsToFloat(random.nextInt()); // NaNs, infinities, subnormals included
      }
      float[] decoded = decode(base64(v));
      assertThat(decoded).hasSize(n);
      for (int i = 0; i < n; i++) {
        assertThat(Float.floatToRawIntBits(decoded[i]))
            .as("float %d of %d", i, n)
            .isEqualTo(Float.floatToRawIntBits(v[i]));
      }
    }
  }

  @Test
  void aCharacterOutsideTheAlphabet_isAnErrorNamingIt() {
    String good = base64(new float[] {1f, 2f, 3f, 4f, 5f});
    String bad = good.substring(0, 20) + "é" + good.substring(21);
    assertThatThrownBy(() -> decode(bad))
        .isInstanceOf(IOException.class)
        .hasMessageContaining("U+00E9 is not in the base64 alphabet");
    String tail = good.substring(0, good.length() - 2) + "*=";
    assertThatThrownBy(() -> decode(tail)).hasMessageContaining("U+002A");
  }

  @Test
  void aLengthThatIsNotWholeFloats_isAnError() {
    assertThatThrownBy(() -> decode("AAAAAAA=")) // 5 bytes
        .isInstanceOf(IOException.class)
        .hasMessageContaining("5 bytes is not a whole number of float32s");
    assertThatThrownBy(() -> decode("AAAAA"))
        .isInstanceOf(IOException.class)
        .hasMessageContaining("not valid base64");
  }
}
