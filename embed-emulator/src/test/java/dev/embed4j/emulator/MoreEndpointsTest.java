package dev.embed4j.emulator;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import okhttp3.Request;
import okhttp3.RequestBody;
import okhttp3.Response;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The wire shapes added after OpenAI's and Cohere's, over raw HTTP: each API's path, key header,
 * reply shape, limits (inputs and tokens per request) and error bodies, and its rate-limit answer.
 */
class MoreEndpointsTest {
  private EmbeddingEmulator emu;

  @AfterEach
  void stop() {
    if (emu != null) {
      emu.close();
    }
  }

  private static Http.Reply post(String url, Map<String, String> headers, String json)
      throws IOException {
    Request.Builder rb =
        new Request.Builder().url(url).post(RequestBody.create(json, Http.APPLICATION_JSON));
    headers.forEach(rb::header);
    try (Response r = Http.CLIENT.newCall(rb.build()).execute()) {
      return new Http.Reply(r.code(), r.headers(), r.body().string());
    }
  }

  private static Map<String, String> bearer(String key) {
    return Map.of("Authorization", "Bearer " + key);
  }

  private static String texts(int n) {
    return IntStream.range(0, n).mapToObj(i -> "\"t" + i + "\"").collect(Collectors.joining(","));
  }

  private static void assertVector(JsonNode array, String model, String type, String text) {
    float[] expected = EmbeddingEmulator.expectedVector(model, type, text, array.size());
    for (int i = 0; i < expected.length; i++) {
      assertThat(array.get(i).floatValue()).isEqualTo(expected[i]);
    }
  }

  @Test
  void azure_deploymentPath_apiKeyHeader_base64_andItsAuthAndMissingApiVersionErrors()
      throws IOException {
    emu = EmbeddingEmulator.builder().apiKeys("k").start();
    String url =
        emu.baseUrl("azure")
            + "/openai/deployments/text-embedding-3-small/embeddings?api-version=2024-10-21";
    Http.Reply ok =
        post(url, Map.of("api-key", "k"), "{\"input\":[\"a\"],\"encoding_format\":\"float\"}");
    assertThat(ok.status()).isEqualTo(200);
    assertVector(ok.json().at("/data/0/embedding"), "text-embedding-3-small", null, "a");
    assertThat(ok.json().at("/usage/prompt_tokens").asInt()).isEqualTo(1);

    Http.Reply denied = post(url, Map.of("api-key", "nope"), "{\"input\":[\"a\"]}");
    assertThat(denied.status()).isEqualTo(401);
    assertThat(denied.json().at("/error/code").asText()).isEqualTo("401");
    assertThat(denied.json().at("/error/message").asText()).startsWith("Access denied");

    Http.Reply noVersion =
        post(
            emu.baseUrl("azure") + "/openai/deployments/text-embedding-3-small/embeddings",
            Map.of("api-key", "k"),
            "{\"input\":[\"a\"]}");
    assertThat(noVersion.status()).isEqualTo(404);

    Http.Reply tooMany = post(url, Map.of("api-key", "k"), "{\"input\":[" + texts(2049) + "]}");
    assertThat(tooMany.status()).isEqualTo(400);
    assertThat(tooMany.json().at("/error/message").asText())
        .startsWith("Too many inputs. The max number of inputs is 2048");

    Http.Reply v1 =
        post(
            emu.baseUrl("azure") + "/openai/v1/embeddings",
            bearer("k"),
            "{\"model\":\"text-embedding-3-large\",\"input\":\"a\",\"dimensions\":8}");
    assertThat(v1.status()).as("v1 path, Entra bearer token").isEqualTo(200);
    assertThat(v1.json().at("/data/0/embedding").size()).isEqualTo(8);
  }

  @Test
  void azure429_saysRetryAfterNSecondsInTheBody_withRetryAfterAndRemainingHeaders()
      throws IOException {
    AtomicLong now = new AtomicLong();
    emu = EmbeddingEmulator.builder().requestsPerMinute(1).nanoTime(now::get).start();
    String url =
        emu.baseUrl("azure")
            + "/openai/deployments/text-embedding-3-small/embeddings?api-version=2024-10-21";
    Http.Reply first = post(url, Map.of("api-key", "k"), "{\"input\":[\"a\"]}");
    assertThat(first.status()).isEqualTo(200);
    assertThat(first.headers().get("x-ratelimit-remaining-requests")).isEqualTo("0");
    assertThat(first.headers().get("x-ratelimit-limit-requests")).as("Azure sends none").isNull();

    Http.Reply limited = post(url, Map.of("api-key", "k"), "{\"input\":[\"a\"]}");
    assertThat(limited.status()).isEqualTo(429);
    assertThat(limited.json().at("/error/message").asText())
        .contains("Please retry after 60 seconds");
    assertThat(limited.headers().get("retry-after")).isEqualTo("60");
  }

  @Test
  void voyage_inputTypeShapesTheVector_batchAndTokenCapsAnswerInDetail() throws IOException {
    emu = EmbeddingEmulator.builder().start();
    String url = emu.baseUrl("voyage") + "/v1/embeddings";
    Http.Reply ok =
        post(
            url,
            bearer("k"),
            "{\"model\":\"voyage-4\",\"input\":[\"a\",\"b\"],\"input_type\":\"query\","
                + "\"output_dimension\":256,\"output_dtype\":\"float\"}");
    assertThat(ok.status()).isEqualTo(200);
    assertVector(ok.json().at("/data/1/embedding"), "voyage-4", "query", "b");
    assertThat(ok.json().at("/data/1/embedding").size()).isEqualTo(256);
    assertThat(ok.json().at("/usage/total_tokens").asInt()).isEqualTo(2);
    assertThat(ok.json().at("/usage/prompt_tokens").isMissingNode()).isTrue();

    Http.Reply batch =
        post(url, bearer("k"), "{\"model\":\"voyage-4\",\"input\":[" + texts(1001) + "]}");
    assertThat(batch.status()).isEqualTo(400);
    assertThat(batch.json().get("detail").asText())
        .isEqualTo("The batch size limit is 1000. Your batch size is 1001.");

    String big = "\"" + "word ".repeat(20_000) + "\"";
    Http.Reply tokens =
        post(
            url,
            bearer("k"),
            "{\"model\":\"voyage-4-large\",\"input\":["
                + big
                + ","
                + big
                + ","
                + big
                + ","
                + big
                + ","
                + big
                + ","
                + big
                + ","
                + big
                + "]}");
    assertThat(tokens.status()).isEqualTo(400);
    assertThat(tokens.json().get("detail").asText())
        .contains("The max allowed tokens per submitted batch is 120000");

    Http.Reply dims =
        post(
            url,
            bearer("k"),
            "{\"model\":\"voyage-4\",\"input\":[\"a\"],\"output_dimension\":300}");
    assertThat(dims.status()).isEqualTo(400);
    assertThat(post(url, Map.of(), "{\"model\":\"voyage-4\",\"input\":[\"a\"]}").status())
        .isEqualTo(401);
  }

  @Test
  void mistral_16384TokensPerRequest_andItsErrorShape() throws IOException {
    emu = EmbeddingEmulator.builder().start();
    String url = emu.baseUrl("mistral") + "/v1/embeddings";
    String half = "\"" + "word ".repeat(6_000) + "\"";
    Http.Reply over =
        post(
            url,
            bearer("k"),
            "{\"model\":\"mistral-embed\",\"input\":[" + half + "," + half + "," + half + "]}");
    assertThat(over.status()).isEqualTo(400);
    assertThat(over.json().get("object").asText()).isEqualTo("error");
    assertThat(over.json().get("message").asText())
        .startsWith("Too many tokens in batch. Max is 16384");
    Http.Reply ok =
        post(
            url,
            bearer("k"),
            "{\"model\":\"codestral-embed\",\"input\":[\"x\"],\"output_dimension\":100}");
    assertThat(ok.status()).isEqualTo(200);
    assertVector(ok.json().at("/data/0/embedding"), "codestral-embed", null, "x");
    Http.Reply noDims =
        post(
            url,
            bearer("k"),
            "{\"model\":\"mistral-embed\",\"input\":[\"x\"],\"output_dimension\":100}");
    assertThat(noDims.status()).as("a validation error").isEqualTo(422);
  }

  @Test
  void jina_taskShapesTheVector_remainingHeaders_validation() throws IOException {
    emu = EmbeddingEmulator.builder().requestsPerMinute(100).start();
    String url = emu.baseUrl("jina") + "/v1/embeddings";
    Http.Reply ok =
        post(
            url,
            bearer("k"),
            "{\"model\":\"jina-embeddings-v3\",\"input\":[\"a\"],\"task\":\"retrieval.passage\",\"dimensions\":32}");
    assertThat(ok.status()).isEqualTo(200);
    assertVector(ok.json().at("/data/0/embedding"), "jina-embeddings-v3", "retrieval.passage", "a");
    assertThat(ok.headers().get("x-ratelimit-remaining-requests")).isEqualTo("99");
    Http.Reply badTask =
        post(
            url,
            bearer("k"),
            "{\"model\":\"jina-embeddings-v3\",\"input\":[\"a\"],\"task\":\"search\"}");
    assertThat(badTask.status()).isEqualTo(422);
    Http.Reply tooMany =
        post(
            url, bearer("k"), "{\"model\":\"jina-embeddings-v3\",\"input\":[" + texts(2049) + "]}");
    assertThat(tooMany.json().get("detail").asText()).startsWith("Number of input texts exceeds");
  }

  @Test
  void gemini_100RequestsPerBatch_noUsage_invalidKeyIs400ApiKeyInvalid_retryInfoOn429()
      throws IOException {
    AtomicLong now = new AtomicLong();
    emu = EmbeddingEmulator.builder().apiKeys("g").requestsPerMinute(2).nanoTime(now::get).start();
    String url = emu.baseUrl("gemini") + "/v1beta/models/gemini-embedding-001:batchEmbedContents";
    String one =
        "{\"model\":\"models/gemini-embedding-001\",\"content\":{\"parts\":[{\"text\":\"%s\"}]},"
            + "\"taskType\":\"RETRIEVAL_QUERY\",\"outputDimensionality\":128}";
    Http.Reply ok =
        post(
            url, Map.of("x-goog-api-key", "g"), "{\"requests\":[" + String.format(one, "a") + "]}");
    assertThat(ok.status()).isEqualTo(200);
    assertVector(
        ok.json().at("/embeddings/0/values"), "gemini-embedding-001", "RETRIEVAL_QUERY", "a");
    assertThat(ok.json().has("usageMetadata")).isFalse();

    String many =
        IntStream.range(0, 101)
            .mapToObj(i -> String.format(one, "t" + i))
            .collect(Collectors.joining(","));
    Http.Reply tooMany = post(url, Map.of("x-goog-api-key", "g"), "{\"requests\":[" + many + "]}");
    assertThat(tooMany.status()).isEqualTo(400);
    assertThat(tooMany.json().at("/error/message").asText())
        .contains("at most 100 requests can be in one batch");
    assertThat(tooMany.json().at("/error/status").asText()).isEqualTo("INVALID_ARGUMENT");

    Http.Reply badKey =
        post(
            url, Map.of("x-goog-api-key", "x"), "{\"requests\":[" + String.format(one, "a") + "]}");
    assertThat(badKey.status()).isEqualTo(400);
    assertThat(badKey.json().at("/error/details/0/reason").asText()).isEqualTo("API_KEY_INVALID");

    post(url, Map.of("x-goog-api-key", "g"), "{\"requests\":[" + String.format(one, "b") + "]}");
    Http.Reply limited =
        post(
            url, Map.of("x-goog-api-key", "g"), "{\"requests\":[" + String.format(one, "c") + "]}");
    assertThat(limited.status()).isEqualTo(429);
    assertThat(limited.json().at("/error/status").asText()).isEqualTo("RESOURCE_EXHAUSTED");
    assertThat(limited.json().at("/error/details/0/retryDelay").asText()).isEqualTo("30.000s");
  }

  @Test
  void ollama_keyless_embeddingsAndPromptEvalCount_noTruncationWhenAsked() throws IOException {
    emu = EmbeddingEmulator.builder().start();
    String url = emu.baseUrl("ollama") + "/api/embed";
    Http.Reply ok = post(url, Map.of(), "{\"model\":\"all-minilm\",\"input\":[\"a\",\"b\"]}");
    assertThat(ok.status()).isEqualTo(200);
    assertVector(ok.json().at("/embeddings/1"), "all-minilm", null, "b");
    assertThat(ok.json().get("prompt_eval_count").asInt()).isEqualTo(2);
    String big = "\"" + "word ".repeat(300) + "\"";
    Http.Reply cut = post(url, Map.of(), "{\"model\":\"all-minilm\",\"input\":[" + big + "]}");
    assertThat(cut.status()).as("Ollama truncates by default").isEqualTo(200);
    Http.Reply refused =
        post(
            url, Map.of(), "{\"model\":\"all-minilm\",\"input\":[" + big + "],\"truncate\":false}");
    assertThat(refused.status()).isEqualTo(400);
    assertThat(refused.json().get("error").asText()).contains("exceeds the context length");
    Http.Reply missing = post(url, Map.of(), "{\"model\":\"llama3\",\"input\":[\"a\"]}");
    assertThat(missing.status()).isEqualTo(404);
    assertThat(missing.json().get("error").asText()).contains("try pulling it first");
  }

  @Test
  void tei_bareArray_xComputeTokens_maxClientBatchSizeConfigurable() throws IOException {
    emu =
        EmbeddingEmulator.builder()
            .teiModel("BAAI/bge-small-en-v1.5")
            .teiMaxClientBatchSize(4)
            .start();
    String url = emu.baseUrl("tei") + "/embed";
    Http.Reply ok = post(url, Map.of(), "{\"inputs\":[\"a\",\"bb\"],\"normalize\":true}");
    assertThat(ok.status()).isEqualTo(200);
    assertVector(ok.json().get(1), "BAAI/bge-small-en-v1.5", null, "bb");
    assertThat(ok.headers().get("x-compute-tokens")).isEqualTo("2");
    Http.Reply over = post(url, Map.of(), "{\"inputs\":[" + texts(5) + "]}");
    assertThat(over.status()).isEqualTo(413);
    assertThat(over.json().get("error").asText())
        .isEqualTo("batch size 5 > maximum allowed batch size 4");
    assertThat(over.json().get("error_type").asText()).isEqualTo("validation");
  }
}
