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

/**
 * Base64 of little-endian float32 decoded bit for bit: from the reply's bytes where they lie, and
 * the general way from the parser's characters.
 */
class FloatDecodingTest {

  private static String base64(float[] v) {
    ByteBuffer b = ByteBuffer.allocate(v.length * 4).order(ByteOrder.LITTLE_ENDIAN);
    b.asFloatBuffer().put(v);
    return Base64.getEncoder().encodeToString(b.array());
  }

  /** Through a parser over a stream: the general way. */
  private static float[] decode(String base64) throws IOException {
    byte[] json = ("{\"embedding\":\"" + base64 + "\"}").getBytes(StandardCharsets.UTF_8);
    try (JsonParser p = HttpCall.JSON_FACTORY.createParser(new ByteArrayInputStream(json))) {
      p.nextToken();
      p.nextToken();
      assertThat(p.nextToken()).isEqualTo(JsonToken.VALUE_STRING);
      return new FloatDecoding.Base64Floats(0).read(p);
    }
  }

  /** Through a parser over the reply's bytes, expecting {@code dimensions} floats. */
  private static float[] decodeBytes(String value, int dimensions) throws IOException {
    byte[] json =
        ("{ \"index\": 0,\n  \"embedding\" : \"" + value + "\", \"object\":\"embedding\"}")
            .getBytes(StandardCharsets.UTF_8);
    try (JsonParser p = HttpCall.JSON_FACTORY.createParser(json)) {
      FloatDecoding.Base64Floats decoder = new FloatDecoding.Base64Floats(dimensions);
      float[] out = null;
      for (JsonToken t = p.nextToken(); t != JsonToken.END_OBJECT; t = p.nextToken()) {
        if (t == JsonToken.VALUE_STRING && "embedding".equals(p.currentName())) {
          out = decoder.read(p);
        }
      }
      return out;
    }
  }

  private static float[] randomBits(int n, long seed) {
    SplittableRandom random = new SplittableRandom(seed);
    float[] v = new float[n];
    for (int i = 0; i < n; i++) {
      v[i] = Float.intBitsToFloat(random.nextInt()); // NaNs, infinities, subnormals included
    }
    return v;
  }

  private static void assertSameBits(float[] decoded, float[] v) {
    assertThat(decoded).hasSize(v.length);
    for (int i = 0; i < v.length; i++) {
      assertThat(Float.floatToRawIntBits(decoded[i]))
          .as("float %d of %d", i, v.length)
          .isEqualTo(Float.floatToRawIntBits(v[i]));
    }
  }

  @Test
  void fromTheReplyBytes_everyLengthAndBitPattern_decodesAsTheJdkEncodedIt() throws IOException {
    for (int n : new int[] {1, 2, 3, 4, 5, 6, 7, 11, 12, 13, 256, 1024, 1536, 3072}) {
      float[] v = randomBits(n, n);
      byte[] json = ("[\"" + base64(v) + "\"]").getBytes(StandardCharsets.US_ASCII);
      for (InPlace decoder : IN_PLACE) {
        float[] direct = new float[n];
        assertThat(decoder.decode(json, 2, json.length, direct))
            .as("decoded in place, n=%d", n)
            .isEqualTo(json.length - 2);
        assertSameBits(direct, v);
      }
      assertSameBits(decodeBytes(base64(v), n), v);
    }
  }

  /** The two ways of decoding in place, whichever of them this JVM uses. */
  interface InPlace {
    int decode(byte[] b, int from, int end, float[] out);
  }

  private static final InPlace[] IN_PLACE = {
    FloatDecoding::decodeWithTables, FloatDecoding::decodeWithJdk
  };

  @Test
  void inPlace_aCharacterOutsideTheAlphabetAnywhereIsRefused() {
    float[] v = randomBits(7, 9); // two whole groups of three floats and a padded tail
    byte[] good = ("\"" + base64(v) + "\"").getBytes(StandardCharsets.US_ASCII);
    for (int at = 1; at < good.length - 1; at++) {
      if (good[at] == '=') {
        continue;
      }
      for (byte c : new byte[] {'\\', '*', '=', ' ', '-', '_', (byte) 0xc3, 0}) {
        byte[] bad = good.clone();
        bad[at] = c;
        for (InPlace decoder : IN_PLACE) {
          assertThat(decoder.decode(bad, 1, bad.length, new float[7]))
              .as("0x%02x at %d", c & 0xff, at)
              .isEqualTo(-1);
        }
      }
    }
  }

  @Test
  void fromTheReplyBytes_theParserGoesOnAfterEachVector() throws IOException {
    float[][] vectors = {randomBits(1536, 1), randomBits(1536, 2), randomBits(1536, 3)};
    StringBuilder json = new StringBuilder("\uFEFF{\"data\":[");
    for (int i = 0; i < vectors.length; i++) {
      json.append(i > 0 ? "," : "")
          .append("{\"embedding\":\"")
          .append(base64(vectors[i]))
          .append("\",\"index\":")
          .append(i)
          .append(",\"note\":\"a \\\"quoted\\\" word\"}");
    }
    json.append("],\"model\":\"m\",\"usage\":{\"prompt_tokens\":42}}");
    HttpCall.Decoded decoded =
        OpenAiProvider.parse(json.toString().getBytes(StandardCharsets.UTF_8), 3, 1536);
    assertThat(decoded.tokens()).isEqualTo(42);
    for (int i = 0; i < vectors.length; i++) {
      assertSameBits(decoded.vectors().get(i), vectors[i]);
    }
  }

  @Test
  void fromTheReplyBytes_whatItCannotTakeGoesTheGeneralWay() throws IOException {
    float[] v = randomBits(1536, 3);
    String plain = base64(v);
    assertThat(plain).contains("/");
    String escaped = plain.replace("/", "\\/"); // a legal JSON spelling of the same string
    float[] direct = new float[1536];
    byte[] json = ("\"" + escaped + "\"").getBytes(StandardCharsets.US_ASCII);
    for (InPlace decoder : IN_PLACE) {
      assertThat(decoder.decode(json, 1, json.length, direct)).isEqualTo(-1);
    }
    assertSameBits(decodeBytes(escaped, 1536), v);
    // another length than expected: decoded whole, for the reply check to name the length
    assertSameBits(decodeBytes(plain, 1024), v);
    assertSameBits(decodeBytes(plain, 2048), v);
    // padding with bits set after the last byte is not canonical: both ways read it alike
    String offBits = base64(new float[] {1.5f}).substring(0, 5) + "B==";
    assertThat(decodeBytes(offBits, 1)).containsExactly(decode(offBits));
  }

  @Test
  void fromTheReplyBytes_anInvalidCharacterIsTheSameErrorAsTheGeneralWay() {
    String good = base64(new float[] {1f, 2f, 3f, 4f, 5f, 6f});
    String star = good.substring(0, 4) + "*" + good.substring(5);
    assertThatThrownBy(() -> decodeBytes(star, 6))
        .isInstanceOf(IOException.class)
        .hasMessageContaining("not valid base64");
    String padded = good.substring(0, 8) + "====" + good.substring(12);
    assertThatThrownBy(() -> decodeBytes(padded, 6)).isInstanceOf(IOException.class);
  }

  @Test
  void oneDecoderForManyVectorsOfChangingLengths() throws IOException {
    FloatDecoding.Base64Floats decoder = new FloatDecoding.Base64Floats(0);
    float[][] vectors = {{1f, 2f}, {3f, 4f}, {5f}, {6f, 7f, 8f, 9f, 10f}, {11f, 12f}};
    StringBuilder json = new StringBuilder("[");
    for (float[] v : vectors) {
      json.append(json.length() > 1 ? "," : "").append('"').append(base64(v)).append('"');
    }
    byte[] bytes = json.append(']').toString().getBytes(StandardCharsets.UTF_8);
    try (JsonParser p = HttpCall.JSON_FACTORY.createParser(new ByteArrayInputStream(bytes))) {
      p.nextToken();
      for (float[] v : vectors) {
        p.nextToken();
        assertThat(decoder.read(p)).containsExactly(v);
      }
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
        .hasMessageContaining("U+00E9 is not ASCII");
    String star = good.substring(0, 4) + "*" + good.substring(5);
    assertThatThrownBy(() -> decode(star))
        .isInstanceOf(IOException.class)
        .hasMessageContaining("not valid base64");
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
