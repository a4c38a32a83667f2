package dev.embed4j.emulator;

import static dev.embed4j.emulator.Http.cohere;
import static dev.embed4j.emulator.Http.cohereError;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class CohereEmulatorTest {

  static EmbeddingEmulator emu;

  @BeforeAll
  static void start() {
    emu = EmbeddingEmulator.builder().start();
  }

  @AfterAll
  static void stop() {
    emu.close();
  }

  @BeforeEach
  void resetStats() {
    emu.stats().reset();
  }

  static String body(String model, String texts, String extra) {
    return "{\"model\":\"" + model + "\",\"texts\":" + texts + extra + "}";
  }

  static final String DOC = ",\"input_type\":\"search_document\",\"embedding_types\":[\"float\"]";

  @Test
  void happyPath_matchesExpectedVectors() throws IOException {
    List<String> texts = List.of("first text", "second text", "third");
    Http.Reply r =
        cohere(emu, body("embed-english-v3.0", Http.JSON.writeValueAsString(texts), DOC));

    assertThat(r.status()).isEqualTo(200);
    JsonNode json = r.json();
    assertThat(json.get("id").asText()).isNotBlank();
    JsonNode floats = json.get("embeddings").get("float");
    assertThat(floats).hasSize(3);
    long tokens = 0;
    for (int i = 0; i < 3; i++) {
      assertThat(Http.floats(floats.get(i)))
          .hasSize(1024)
          .containsExactly(
              EmbeddingEmulator.expectedVector(
                  "embed-english-v3.0", "search_document", texts.get(i), 1024));
      tokens += EmbeddingEmulator.expectedTokens(texts.get(i));
    }
    assertThat(json.get("texts")).hasSize(3);
    assertThat(json.get("texts").get(0).asText()).isEqualTo("first text");
    assertThat(json.get("meta").get("api_version").get("version").asText()).isEqualTo("2");
    assertThat(json.get("meta").get("billed_units").get("input_tokens").asLong()).isEqualTo(tokens);
    assertThat(emu.stats().tokensBilled("embed-english-v3.0")).isEqualTo(tokens);
    assertThat(emu.stats().inputsEmbedded()).isEqualTo(3);
  }

  @Test
  void inputType_changesTheVector() throws IOException {
    Http.Reply q =
        cohere(
            emu,
            body(
                "embed-v4.0",
                "[\"x\"]",
                ",\"input_type\":\"search_query\",\"embedding_types\":[\"float\",\"int8\"]"));

    float[] v = Http.floats(q.json().get("embeddings").get("float").get(0));
    assertThat(q.json().get("embeddings").has("int8")).isFalse();
    assertThat(v)
        .hasSize(1536)
        .containsExactly(EmbeddingEmulator.expectedVector("embed-v4.0", "search_query", "x"))
        .isNotEqualTo(EmbeddingEmulator.expectedVector("embed-v4.0", "search_document", "x"));
  }

  @Test
  void outputDimension_onV4() throws IOException {
    for (int d : new int[] {256, 512, 1024, 1536}) {
      Http.Reply r = cohere(emu, body("embed-v4.0", "[\"x\"]", DOC + ",\"output_dimension\":" + d));

      assertThat(r.status()).isEqualTo(200);
      assertThat(Http.floats(r.json().get("embeddings").get("float").get(0)))
          .containsExactly(
              EmbeddingEmulator.expectedVector("embed-v4.0", "search_document", "x", d));
    }
  }

  @Test
  void outputDimension_invalid() throws IOException {
    Http.Reply odd = cohere(emu, body("embed-v4.0", "[\"x\"]", DOC + ",\"output_dimension\":300"));
    Http.Reply v3 =
        cohere(emu, body("embed-english-v3.0", "[\"x\"]", DOC + ",\"output_dimension\":256"));

    assertThat(odd.status()).isEqualTo(400);
    assertThat(odd.json())
        .isEqualTo(
            cohereError(
                "invalid request: output_dimension must be one "
                    + "of [256, 512, 1024, 1536] for model embed-v4.0 - received 300"));
    assertThat(v3.status()).isEqualTo(400);
    assertThat(v3.json())
        .isEqualTo(
            cohereError(
                "invalid request: output_dimension is not supported for model embed-english-v3.0"));
  }

  @Test
  void texts_count() throws IOException {
    Http.Reply ok = cohere(emu, body("embed-english-light-v3.0", Http.array(96, "t"), DOC));
    Http.Reply over = cohere(emu, body("embed-english-light-v3.0", Http.array(97, "t"), DOC));
    Http.Reply empty = cohere(emu, body("embed-english-light-v3.0", "[]", DOC));
    Http.Reply missing = cohere(emu, "{\"model\":\"embed-english-light-v3.0\"" + DOC + "}");

    assertThat(ok.status()).isEqualTo(200);
    assertThat(ok.json().get("embeddings").get("float")).hasSize(96);
    assertThat(ok.json().get("embeddings").get("float").get(0)).hasSize(384);
    assertThat(over.status()).isEqualTo(400);
    assertThat(over.json())
        .isEqualTo(
            cohereError("invalid request: total number of texts must be at most 96 - received 97"));
    assertThat(empty.status()).isEqualTo(400);
    assertThat(empty.json())
        .isEqualTo(cohereError("invalid request: texts must contain at least one text"));
    assertThat(missing.status()).isEqualTo(400);
    assertThat(emu.stats().batchSizes()).containsExactly(96, 97, 0);
  }

  @Test
  void inputType_requiredAndValid() throws IOException {
    Http.Reply none =
        cohere(emu, body("embed-multilingual-v3.0", "[\"x\"]", ",\"embedding_types\":[\"float\"]"));
    Http.Reply bad =
        cohere(
            emu,
            body(
                "embed-multilingual-v3.0",
                "[\"x\"]",
                ",\"input_type\":\"search\",\"embedding_types\":[\"float\"]"));

    for (Http.Reply r : List.of(none, bad)) {
      assertThat(r.status()).isEqualTo(400);
      assertThat(r.json())
          .isEqualTo(
              cohereError(
                  "invalid request: valid input_type must be provided with the provided model"));
    }
  }

  @Test
  void embeddingTypes_mustContainFloat() throws IOException {
    Http.Reply missing =
        cohere(emu, body("embed-v4.0", "[\"x\"]", ",\"input_type\":\"clustering\""));
    Http.Reply noFloat =
        cohere(
            emu,
            body(
                "embed-v4.0",
                "[\"x\"]",
                ",\"input_type\":\"clustering\",\"embedding_types\":[\"int8\"]"));
    Http.Reply unknown =
        cohere(
            emu,
            body(
                "embed-v4.0",
                "[\"x\"]",
                ",\"input_type\":\"clustering\",\"embedding_types\":[\"float\",\"double\"]"));

    assertThat(missing.status()).isEqualTo(400);
    assertThat(noFloat.status()).isEqualTo(400);
    assertThat(noFloat.json().get("message").asText())
        .contains("embedding_types must contain \"float\"");
    assertThat(unknown.status()).isEqualTo(400);
    assertThat(unknown.json().get("message").asText())
        .contains("embedding_types contains invalid value \"double\"");
  }

  @Test
  void truncate_none_rejectsLongText() throws IOException {
    String longText = "hello" + " hello".repeat(600); // 601 tokens
    Http.Reply r =
        cohere(
            emu,
            body(
                "embed-english-v3.0",
                "[\"x\"," + Http.quote(longText) + "]",
                DOC + ",\"truncate\":\"NONE\""));

    assertThat(r.status()).isEqualTo(400);
    assertThat(r.json())
        .isEqualTo(
            cohereError(
                "invalid request: text at index 1 has 601 tokens, "
                    + "which exceeds the maximum of 512 tokens for embed-english-v3.0; shorten it or set "
                    + "truncate to START or END"));
  }

  @Test
  void truncate_endAndStart_embedTheKeptTokens() throws IOException {
    StringBuilder sb = new StringBuilder("w0");
    for (int i = 1; i < 700; i++) {
      sb.append(" w").append(i);
    }
    String longText = sb.toString();
    for (String mode : List.of("END", "START", "")) {
      String extra = mode.isEmpty() ? DOC : DOC + ",\"truncate\":\"" + mode + "\"";
      Http.Reply r =
          cohere(emu, body("embed-english-v3.0", "[" + Http.quote(longText) + "]", extra));

      assertThat(r.status()).as(mode).isEqualTo(200);
      assertThat(r.json().get("meta").get("billed_units").get("input_tokens").asInt())
          .isEqualTo(512);
      String kept = Tokenizer.truncate(longText, 512, mode.equals("START"));
      assertThat(kept).isNotEqualTo(longText);
      assertThat(mode.equals("START") ? kept.endsWith(" w699") : kept.startsWith("w0 w1 "))
          .isTrue();
      assertThat(Http.floats(r.json().get("embeddings").get("float").get(0)))
          .containsExactly(
              EmbeddingEmulator.expectedVector("embed-english-v3.0", "search_document", kept));
    }
  }

  @Test
  void truncate_invalidValue() throws IOException {
    Http.Reply r = cohere(emu, body("embed-v4.0", "[\"x\"]", DOC + ",\"truncate\":\"MIDDLE\""));

    assertThat(r.status()).isEqualTo(400);
    assertThat(r.json())
        .isEqualTo(
            cohereError(
                "invalid request: truncate must be one of NONE, START, END - received MIDDLE"));
  }

  @Test
  void unknownModel_andOpenAiModel_are404() throws IOException {
    Http.Reply r = cohere(emu, body("embed-english-v2.0", "[\"x\"]", DOC));
    Http.Reply openAiModel = cohere(emu, body("text-embedding-3-small", "[\"x\"]", DOC));

    assertThat(r.status()).isEqualTo(404);
    assertThat(r.json())
        .isEqualTo(
            cohereError(
                "model 'embed-english-v2.0' not found, make sure "
                    + "the correct model ID was used and that you have access to the model."));
    assertThat(openAiModel.status()).isEqualTo(404);
  }

  @Test
  void auth() throws IOException {
    try (EmbeddingEmulator strict = EmbeddingEmulator.builder().apiKeys("co-good").start()) {
      String url = strict.baseUrl() + "/v2/embed";
      String b = body("embed-v4.0", "[\"x\"]", DOC);

      Http.Reply missing = Http.post(Http.CLIENT, url, null, b);
      Http.Reply wrong = Http.post(Http.CLIENT, url, "co-bad", b);
      Http.Reply good = Http.post(Http.CLIENT, url, "co-good", b);

      assertThat(missing.status()).isEqualTo(401);
      assertThat(wrong.status()).isEqualTo(401);
      assertThat(wrong.json()).isEqualTo(cohereError("invalid api token"));
      assertThat(good.status()).isEqualTo(200);
    }
  }

  @Test
  void badJson() throws IOException {
    Http.Reply r = cohere(emu, "{\"model\":");

    assertThat(r.status()).isEqualTo(400);
    assertThat(r.json().get("message").asText()).startsWith("invalid request:");
  }
}
