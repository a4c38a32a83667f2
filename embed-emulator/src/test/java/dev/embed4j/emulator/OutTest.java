package dev.embed4j.emulator;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class OutTest {

  static String text(Out out) {
    return new String(out.array(), 0, out.length(), StandardCharsets.UTF_8);
  }

  @Test
  void floats_parseBackToTheSameFloats() throws IOException {
    SplittableRandom r = new SplittableRandom(7);
    float[] v = new float[200_000];
    for (int i = 0; i < v.length; i++) {
      v[i] = (float) ((r.nextBoolean() ? 1 : -1) * Math.pow(10, -r.nextDouble(0, 8)));
    }
    float[] special = {
      0f,
      -0f,
      1f,
      -1f,
      1e-4f,
      0.1f,
      0.099999994f,
      0.99999994f,
      9.9999e-5f,
      Float.MIN_VALUE,
      3.4e38f,
      0.12345678f
    };
    System.arraycopy(special, 0, v, 0, special.length);

    Out out = new Out(16).floats(v);
    JsonNode parsed = Http.JSON.readTree(text(out));

    assertThat(parsed.size()).isEqualTo(v.length);
    for (int i = 0; i < v.length; i++) {
      String literal = parsed.get(i).asText();
      assertThat(Float.parseFloat(literal)).as(literal).isEqualTo(v[i]);
      assertThat(parsed.get(i).floatValue()).as(literal).isEqualTo(v[i]);
    }
    assertThat(text(new Out(1).floats(new float[] {0.5f, -0.001234f})))
        .isEqualTo("[0.500000000000,-0.001233999967]"); // the float nearest -0.001234
  }

  @Test
  void base64_isLittleEndianFloat32() {
    float[] v = {1f, -2.5f, 0.1f, 3f, 7f};
    for (int n = 1; n <= v.length; n++) {
      float[] part = java.util.Arrays.copyOf(v, n);
      String s = text(new Out(1).base64(part));

      assertThat(s).startsWith("\"").endsWith("\"");
      assertThat(Http.base64(s.substring(1, s.length() - 1))).containsExactly(part);
    }
    assertThat(text(new Out(1).base64(new float[] {1f}))).isEqualTo("\"AACAPw==\"");
  }

  @Test
  void strings_areEscaped() {
    assertThat(text(new Out(1).string("a\"b\\c\n\u0001é"))).isEqualTo("\"a\\\"b\\\\c\\n\\u0001é\"");
  }
}
