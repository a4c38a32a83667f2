package dev.embed4j.emulator;

import static dev.embed4j.emulator.Http.array;
import static dev.embed4j.emulator.Http.openAi;
import static dev.embed4j.emulator.Http.openAiError;
import static dev.embed4j.emulator.Http.quote;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class OpenAiEmulatorTest {

  static final String INVALID_INPUT =
      "'$.input' is invalid. Please check the API reference: "
          + "https://platform.openai.com/docs/api-reference.";
  static final String SMALL = "text-embedding-3-small";

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

  @Test
  void floats_matchExpectedVectors() throws IOException {
    Http.Reply r =
        openAi(
            emu,
            "{'model':'text-embedding-3-small','input':['hello','world'],".replace('\'', '"')
                + "\"encoding_format\":\"float\"}");

    assertThat(r.status()).isEqualTo(200);
    assertThat(r.headers().get("x-request-id")).startsWith("req_");
    assertThat(r.headers().get("openai-processing-ms")).matches("\\d+");
    assertThat(r.headers().get("x-ratelimit-limit-requests")).isNull();
    JsonNode json = r.json();
    assertThat(json.get("object").asText()).isEqualTo("list");
    assertThat(json.get("model").asText()).isEqualTo(SMALL);
    int tokens =
        EmbeddingEmulator.expectedTokens("hello") + EmbeddingEmulator.expectedTokens("world");
    assertThat(json.get("usage").get("prompt_tokens").asInt()).isEqualTo(tokens);
    assertThat(json.get("usage").get("total_tokens").asInt()).isEqualTo(tokens);
    JsonNode data = json.get("data");
    assertThat(data).hasSize(2);
    List<String> texts = List.of("hello", "world");
    for (int i = 0; i < 2; i++) {
      JsonNode item = data.get(i);
      assertThat(item.get("object").asText()).isEqualTo("embedding");
      assertThat(item.get("index").asInt()).isEqualTo(i);
      assertThat(Http.floats(item.get("embedding")))
          .containsExactly(EmbeddingEmulator.expectedVector(SMALL, null, texts.get(i), 1536));
    }
    assertThat(emu.stats().tokensBilled(SMALL)).isEqualTo(tokens);
    assertThat(emu.stats().inputsEmbedded()).isEqualTo(2);
    assertThat(emu.stats().requests(200)).isEqualTo(1);
    assertThat(emu.stats().batchSizes()).containsExactly(2);
  }

  @Test
  void base64_decodesToExpectedVector() throws IOException {
    for (String model : List.of(SMALL, "text-embedding-3-large", "text-embedding-ada-002")) {
      Http.Reply r =
          openAi(
              emu,
              "{\"model\":\""
                  + model
                  + "\",\"input\":\"héllo wörld ✓\","
                  + "\"encoding_format\":\"base64\",\"user\":\"u1\"}");

      assertThat(r.status()).isEqualTo(200);
      float[] v = Http.base64(r.json().get("data").get(0).get("embedding").asText());
      assertThat(v).containsExactly(EmbeddingEmulator.expectedVector(model, null, "héllo wörld ✓"));
    }
  }

  @Test
  void stringInput_isOneInput() throws IOException {
    Http.Reply r = openAi(emu, "{\"model\":\"text-embedding-ada-002\",\"input\":\"one\"}");

    assertThat(r.json().get("data")).hasSize(1);
    assertThat(Http.floats(r.json().get("data").get(0).get("embedding")))
        .hasSize(1536)
        .containsExactly(EmbeddingEmulator.expectedVector("text-embedding-ada-002", null, "one"));
  }

  @Test
  void dimensions_reduceTheVector() throws IOException {
    Http.Reply r =
        openAi(
            emu,
            "{\"model\":\"text-embedding-3-large\",\"input\":[\"abc\"],"
                + "\"dimensions\":256,\"encoding_format\":\"base64\"}");

    assertThat(r.status()).isEqualTo(200);
    float[] v = Http.base64(r.json().get("data").get(0).get("embedding").asText());
    assertThat(v)
        .containsExactly(
            EmbeddingEmulator.expectedVector("text-embedding-3-large", null, "abc", 256));
  }

  @Test
  void dimensions_rejectedForAda() throws IOException {
    Http.Reply r =
        openAi(emu, "{\"model\":\"text-embedding-ada-002\",\"input\":\"x\",\"dimensions\":512}");

    assertThat(r.status()).isEqualTo(400);
    assertThat(r.json())
        .isEqualTo(
            openAiError(
                "This model does not support specifying dimensions.",
                "invalid_request_error",
                null,
                null));
  }

  @Test
  void dimensions_outOfRange() throws IOException {
    Http.Reply zero =
        openAi(emu, "{\"model\":\"text-embedding-3-small\",\"input\":\"x\",\"dimensions\":0}");
    Http.Reply big =
        openAi(emu, "{\"model\":\"text-embedding-3-small\",\"input\":\"x\",\"dimensions\":1537}");
    Http.Reply text =
        openAi(emu, "{\"model\":\"text-embedding-3-small\",\"input\":\"x\",\"dimensions\":\"8\"}");

    assertThat(zero.status()).isEqualTo(400);
    assertThat(zero.json())
        .isEqualTo(
            openAiError(
                "Invalid 'dimensions': integer below minimum "
                    + "value. Expected a value >= 1, but got 0 instead.",
                "invalid_request_error",
                "dimensions",
                "integer_below_min_value"));
    assertThat(big.status()).isEqualTo(400);
    assertThat(big.json())
        .isEqualTo(
            openAiError(
                "Invalid 'dimensions': integer above maximum "
                    + "value. Expected a value <= 1536, but got 1537 instead.",
                "invalid_request_error",
                "dimensions",
                "integer_above_max_value"));
    assertThat(text.status()).isEqualTo(400);
    assertThat(text.json().get("error").get("code").asText()).isEqualTo("invalid_type");
  }

  @Test
  void dimensions_nativeValueAccepted() throws IOException {
    Http.Reply r =
        openAi(emu, "{\"model\":\"text-embedding-3-small\",\"input\":\"x\",\"dimensions\":1536}");

    assertThat(r.status()).isEqualTo(200);
  }

  @Test
  void tooManyInputs() throws IOException {
    Http.Reply ok =
        openAi(
            emu,
            "{\"model\":\"text-embedding-3-small\",\"input\":"
                + array(2048, "a")
                + ",\"encoding_format\":\"base64\",\"dimensions\":1}");
    Http.Reply r =
        openAi(emu, "{\"model\":\"text-embedding-3-small\",\"input\":" + array(2049, "a") + "}");

    assertThat(ok.status()).isEqualTo(200);
    assertThat(ok.json().get("data")).hasSize(2048);
    assertThat(r.status()).isEqualTo(400);
    assertThat(r.json()).isEqualTo(openAiError(INVALID_INPUT, "invalid_request_error", null, null));
    assertThat(emu.stats().batchSizes()).containsExactly(2048, 2049);
    assertThat(emu.stats().inputsEmbedded()).isEqualTo(2048);
  }

  @Test
  void emptyString_andEmptyArray_andNonStrings() throws IOException {
    for (String input : List.of("\"\"", "[\"a\",\"\"]", "[]", "[1,2]", "{}", "42")) {
      Http.Reply r = openAi(emu, "{\"model\":\"text-embedding-3-small\",\"input\":" + input + "}");

      assertThat(r.status()).as(input).isEqualTo(400);
      assertThat(r.json())
          .as(input)
          .isEqualTo(openAiError(INVALID_INPUT, "invalid_request_error", null, null));
    }
    assertThat(emu.stats().tokensBilled()).isZero();
  }

  @Test
  void inputOver8192Tokens() throws IOException {
    String ok = "hello" + " hello".repeat(8191);
    String tooLong = ok + " hello";
    assertThat(EmbeddingEmulator.expectedTokens(ok)).isEqualTo(8192);

    Http.Reply accepted =
        openAi(emu, "{\"model\":\"text-embedding-3-small\",\"input\":" + quote(ok) + "}");
    Http.Reply r =
        openAi(
            emu, "{\"model\":\"text-embedding-3-small\",\"input\":[\"x\"," + quote(tooLong) + "]}");

    assertThat(accepted.status()).isEqualTo(200);
    assertThat(r.status()).isEqualTo(400);
    assertThat(r.json())
        .isEqualTo(
            openAiError(
                "This model's maximum context length is 8192 "
                    + "tokens, however you requested 8193 tokens (8193 in your prompt; 0 for the "
                    + "completion). Please reduce your prompt; or completion length.",
                "invalid_request_error",
                null,
                null));
  }

  @Test
  void requestOver300kTokens() throws IOException {
    String chunk = "hello" + " hello".repeat(7999); // 8000 tokens
    Http.Reply r =
        openAi(emu, "{\"model\":\"text-embedding-3-small\",\"input\":" + array(38, chunk) + "}");

    assertThat(r.status()).isEqualTo(400);
    assertThat(r.json())
        .isEqualTo(
            openAiError(
                "Requested 304000 tokens, max 300000 tokens per " + "request",
                "max_tokens_per_request",
                null,
                "max_tokens_per_request"));
  }

  @Test
  void unknownModel_is404() throws IOException {
    Http.Reply r = openAi(emu, "{\"model\":\"text-embedding-4\",\"input\":\"x\"}");

    assertThat(r.status()).isEqualTo(404);
    assertThat(r.json())
        .isEqualTo(
            openAiError(
                "The model `text-embedding-4` does not exist or " + "you do not have access to it.",
                "invalid_request_error",
                null,
                "model_not_found"));
  }

  @Test
  void cohereModelOnOpenAiPath_is404() throws IOException {
    Http.Reply r = openAi(emu, "{\"model\":\"embed-v4.0\",\"input\":\"x\"}");

    assertThat(r.status()).isEqualTo(404);
  }

  @Test
  void missingModel_badJson_badEncodingFormat() throws IOException {
    Http.Reply noModel = openAi(emu, "{\"input\":\"x\"}");
    Http.Reply badJson = openAi(emu, "{\"input\":");
    Http.Reply badFormat =
        openAi(
            emu,
            "{\"model\":\"text-embedding-3-small\",\"input\":\"x\",\"encoding_format\":\"hex\"}");
    Http.Reply noInput = openAi(emu, "{\"model\":\"text-embedding-3-small\"}");

    assertThat(noModel.status()).isEqualTo(400);
    assertThat(noModel.json())
        .isEqualTo(
            openAiError("you must provide a model parameter", "invalid_request_error", null, null));
    assertThat(badJson.status()).isEqualTo(400);
    assertThat(badJson.json().get("error").get("message").asText())
        .startsWith("We could not parse the JSON body of your request.");
    assertThat(badFormat.status()).isEqualTo(400);
    assertThat(badFormat.json())
        .isEqualTo(
            openAiError(
                "Invalid value: 'hex'. Supported values " + "are: 'float' and 'base64'.",
                "invalid_request_error",
                "encoding_format",
                "invalid_value"));
    assertThat(noInput.status()).isEqualTo(400);
    assertThat(noInput.json())
        .isEqualTo(
            openAiError("'input' is a required property", "invalid_request_error", null, null));
  }

  @Test
  void unknownPathAndMethod_are404() throws IOException {
    Http.Reply path = Http.post(Http.CLIENT, emu.baseUrl() + "/v1/embedding", "k", "{}");
    okhttp3.Request get =
        new okhttp3.Request.Builder().url(emu.baseUrl() + "/v1/embeddings").build();

    assertThat(path.status()).isEqualTo(404);
    assertThat(path.json())
        .isEqualTo(
            openAiError("Invalid URL (POST /v1/embedding)", "invalid_request_error", null, null));
    try (okhttp3.Response r = Http.CLIENT.newCall(get).execute()) {
      assertThat(r.code()).isEqualTo(404);
    }
  }

  @Test
  void auth_missingAndInvalidKey() throws IOException {
    try (EmbeddingEmulator strict = EmbeddingEmulator.builder().apiKeys("sk-good").start()) {
      String url = strict.baseUrl() + "/v1/embeddings";
      String body = "{\"model\":\"text-embedding-3-small\",\"input\":\"x\"}";

      Http.Reply missing = Http.post(Http.CLIENT, url, null, body);
      Http.Reply wrong = Http.post(Http.CLIENT, url, "sk-wrong-key-123456", body);
      Http.Reply good = Http.post(Http.CLIENT, url, "sk-good", body);

      assertThat(missing.status()).isEqualTo(401);
      assertThat(missing.json().get("error").get("type").asText())
          .isEqualTo("invalid_request_error");
      assertThat(missing.json().get("error").get("code").asText()).isEqualTo("invalid_api_key");
      assertThat(wrong.status()).isEqualTo(401);
      assertThat(wrong.json())
          .isEqualTo(
              openAiError(
                  "Incorrect API key provided: "
                      + "sk-************3456. You can find your API key at "
                      + "https://platform.openai.com/account/api-keys.",
                  "invalid_request_error",
                  null,
                  "invalid_api_key"));
      assertThat(good.status()).isEqualTo(200);
      assertThat(strict.stats().requests(401)).isEqualTo(2);
    }
  }

  @Test
  void quotaExhaustedKey_is429InsufficientQuota() throws IOException {
    try (EmbeddingEmulator e = EmbeddingEmulator.builder().quotaExhaustedKeys("sk-broke").start()) {
      Http.Reply r =
          Http.post(
              Http.CLIENT,
              e.baseUrl() + "/v1/embeddings",
              "sk-broke",
              "{\"model\":\"text-embedding-3-small\",\"input\":\"x\"}");

      assertThat(r.status()).isEqualTo(429);
      assertThat(r.headers().get("retry-after")).isNull();
      assertThat(r.json().get("error").get("type").asText()).isEqualTo("insufficient_quota");
      assertThat(r.json().get("error").get("code").asText()).isEqualTo("insufficient_quota");
      assertThat(e.stats().rateLimited()).isZero();
    }
  }

  @Test
  void shuffleOrder_returnsEveryIndexOnceOutOfOrder() throws IOException {
    try (EmbeddingEmulator e = EmbeddingEmulator.builder().shuffleOrder(true).start()) {
      List<String> texts = new ArrayList<>();
      for (int i = 0; i < 20; i++) {
        texts.add("text " + i);
      }
      Http.Reply r =
          Http.post(
              Http.CLIENT,
              e.baseUrl() + "/v1/embeddings",
              "k",
              "{\"model\":\"text-embedding-3-small\",\"dimensions\":8,\"input\":"
                  + Http.JSON.writeValueAsString(texts)
                  + "}");

      List<Integer> indices = new ArrayList<>();
      for (JsonNode item : r.json().get("data")) {
        int i = item.get("index").asInt();
        indices.add(i);
        assertThat(Http.floats(item.get("embedding")))
            .containsExactly(EmbeddingEmulator.expectedVector(SMALL, null, texts.get(i), 8));
      }
      assertThat(indices)
          .containsExactlyInAnyOrderElementsOf(
              java.util.stream.IntStream.range(0, 20).boxed().toList());
      assertThat(indices).isNotEqualTo(java.util.stream.IntStream.range(0, 20).boxed().toList());
    }
  }

  @Test
  void shuffleOrder_twoInputsAreSwapped() throws IOException {
    try (EmbeddingEmulator e = EmbeddingEmulator.builder().shuffleOrder(true).start()) {
      Http.Reply r =
          Http.post(
              Http.CLIENT,
              e.baseUrl() + "/v1/embeddings",
              "k",
              "{\"model\":\"text-embedding-3-small\",\"dimensions\":8,\"input\":[\"a\",\"b\"]}");

      assertThat(r.json().get("data").get(0).get("index").asInt()).isEqualTo(1);
    }
  }

  @Test
  void ignoreEncodingFormat_sendsFloats() throws IOException {
    try (EmbeddingEmulator e = EmbeddingEmulator.builder().ignoreEncodingFormat(true).start()) {
      Http.Reply r =
          Http.post(
              Http.CLIENT,
              e.baseUrl() + "/v1/embeddings",
              "k",
              "{\"model\":\"text-embedding-3-small\",\"input\":\"x\",\"encoding_format\":\"base64\"}");

      JsonNode emb = r.json().get("data").get(0).get("embedding");
      assertThat(emb.isArray()).isTrue();
      assertThat(Http.floats(emb))
          .containsExactly(EmbeddingEmulator.expectedVector(SMALL, null, "x"));
    }
  }

  @Test
  void distinctTexts_giveDistinctVectors() throws IOException {
    List<String> texts = new ArrayList<>();
    for (int i = 0; i < 100; i++) {
      texts.add("doc-" + i);
    }
    Http.Reply r =
        openAi(
            emu,
            "{\"model\":\"text-embedding-3-small\",\"encoding_format\":\"base64\",\"input\":"
                + Http.JSON.writeValueAsString(texts)
                + "}");

    Set<String> distinct = new HashSet<>();
    for (JsonNode item : r.json().get("data")) {
      distinct.add(item.get("embedding").asText());
    }
    assertThat(distinct).hasSize(100);
  }
}
