package dev.embed4j.internal;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * A text written into a request body reads back as the same string whichever way it was written,
 * and an ASCII text is written byte for byte as Jackson writes it.
 */
class JsonStringsTest {

  private static byte[] ours(String text) throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try (JsonGenerator g = HttpCall.JSON_FACTORY.createGenerator(out)) {
      g.writeStartArray();
      JsonStrings.write(g, text);
      g.writeEndArray();
    }
    return out.toByteArray();
  }

  private static byte[] jacksons(String text) throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try (JsonGenerator g = HttpCall.JSON_FACTORY.createGenerator(out)) {
      g.writeStartArray();
      g.writeString(text);
      g.writeEndArray();
    }
    return out.toByteArray();
  }

  private static String readBack(byte[] json) throws IOException {
    try (JsonParser p = HttpCall.JSON_FACTORY.createParser(json)) {
      assertThat(p.nextToken()).isEqualTo(JsonToken.START_ARRAY);
      assertThat(p.nextToken()).isEqualTo(JsonToken.VALUE_STRING);
      String text = p.getText();
      assertThat(p.nextToken()).isEqualTo(JsonToken.END_ARRAY);
      return text;
    }
  }

  @Test
  void everyAsciiCharacterAtEveryPlaceOfAWordOrOfTheTailIsWrittenAsJacksonWritesIt()
      throws IOException {
    String filler = "chunk of text, twenty-three";
    for (char c = 0; c < 0x80; c++) {
      for (int at = 0; at <= filler.length(); at++) {
        String text = filler.substring(0, at) + c + filler.substring(at);
        assertThat(ours(text)).as("U+%04X at %d", (int) c, at).isEqualTo(jacksons(text));
      }
    }
  }

  @Test
  void aPlainAsciiTextTakesTheBytePathAndOneWithAnythingToEscapeDoesNot() {
    String plain = "What is a token bucket? It refills at the limit's rate; 100 % ok.";
    assertThat(plain(plain)).isTrue();
    for (String escaped :
        new String[] {
          plain + '"', '\\' + plain, plain.replace(' ', '\n'), plain + '\u001f', "\t" + plain
        }) {
      assertThat(plain(escaped)).as(escaped).isFalse();
    }
  }

  @Test
  void aQuestionMarkThatStandsForALoneSurrogateIsNotTakenForTheText() throws IOException {
    for (String text :
        new String[] {
          "abc\uD800", "\uDC00 and more text after it", "caf\u00e9 \uD83D", "?\uDFFF?", "a?b\uD801c"
        }) {
      assertThat(plain(text)).as(text).isFalse();
      assertThat(ours(text)).as(text).isEqualTo(jacksons(text));
    }
    assertThat(plain("Why? Because. \u00bfQu\u00e9? \uD83D\uDE00")).isFalse(); // '?' and non-ASCII
    assertThat(plain("caf\u00e9 cr\u00e8me, \u4e2d\u6587, \uD83D\uDE00 emoji")).isTrue();
  }

  @Test
  void randomTextsOfEveryKindReadBackAsThemselves() throws IOException {
    String alphabet =
        "abcXYZ019 ,.;?'\"\\/\n\t\r\u0000\u001f\u007f\u0080\u00e9\u00ff\u0100\u07ff\u0800"
            + "\u4e2d\uffff\uD83D\uDE00\uD800\uDBFF\uDC00\uDFFF";
    SplittableRandom random = new SplittableRandom(14);
    for (int i = 0; i < 20_000; i++) {
      StringBuilder b = new StringBuilder();
      int length = random.nextInt(40);
      for (int k = 0; k < length; k++) {
        b.append(alphabet.charAt(random.nextInt(alphabet.length())));
      }
      String text = b.toString();
      byte[] json = ours(text);
      // a lone surrogate has no UTF-8: such a text goes through Jackson, which escapes it
      assertThat(readBack(json)).as("text %d", i).isEqualTo(readBack(jacksons(text)));
      if (text.chars().allMatch(c -> c < 0x80)) {
        assertThat(json).as("text %d", i).isEqualTo(jacksons(text));
      }
    }
  }

  @Test
  void aTextLongerThanTheGeneratorsBufferIsWrittenWhole() throws IOException {
    String text = "a long chunk of plain text. ".repeat(4_000); // 112,000 bytes
    assertThat(plain(text)).isTrue();
    assertThat(ours(text)).isEqualTo(jacksons(text));
  }

  private static boolean plain(String text) {
    return JsonStrings.plain(text.getBytes(StandardCharsets.UTF_8), text);
  }
}
