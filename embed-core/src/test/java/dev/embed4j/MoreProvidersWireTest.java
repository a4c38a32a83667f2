package dev.embed4j;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import okhttp3.mockwebserver.RecordedRequest;
import org.junit.jupiter.api.Test;

/**
 * The wire format of Voyage, Mistral, Jina, Gemini, Ollama and text-embeddings-inference against
 * scripted replies: the exact request body (every field, nothing else), the URL path, the
 * authentication header, and what is read back from the reply.
 */
class MoreProvidersWireTest extends MockServerTest {
  @Test
  void voyage_inputTypeDocumentByDefault_noSilentTruncation_outputDimension() throws Exception {
    server.enqueue(openAiFloats(2, 512, "{\"total_tokens\":11}"));
    embedder = builder("voyage:voyage-4", root()).apiKey("pa-key").dimensions(512).build();

    EmbeddingRun run = embedder.embed(List.of("first", "second"));

    RecordedRequest request = server.takeRequest();
    assertThat(request.getPath()).isEqualTo("/v1/embeddings");
    assertThat(request.getHeader("Authorization")).isEqualTo("Bearer pa-key");
    assertBody(
        request,
        "{\"model\":\"voyage-4\",\"input\":[\"first\",\"second\"],\"input_type\":\"document\","
            + "\"truncation\":false,\"output_dimension\":512,\"output_dtype\":\"float\"}");
    assertThat(run.vectors()).extracting(v -> v[0]).containsExactly(1f, 2f);
    assertThat(run.tokens()).as("usage.total_tokens").isEqualTo(11);
    assertThat(run.tokensEstimated()).as("Voyage reports its usage").isFalse();
    assertThat(run.cost()).isEqualByComparingTo("0.00000066");
  }

  @Test
  void voyage_queryType_truncationWhenAsked_2048Dimensions() throws Exception {
    server.enqueue(openAiFloats(1, 2048, "{\"total_tokens\":3}"));
    embedder =
        builder("voyage:voyage-3.5", root())
            .apiKey("pa-key")
            .inputType(InputType.SEARCH_QUERY)
            .truncate(true)
            .dimensions(2048)
            .build();

    embedder.embed(List.of("q"));

    assertBody(
        server.takeRequest(),
        "{\"model\":\"voyage-3.5\",\"input\":[\"q\"],\"input_type\":\"query\","
            + "\"truncation\":true,\"output_dimension\":2048,\"output_dtype\":\"float\"}");
  }

  @Test
  void voyage_classificationHasNoVoyageInputType() throws Exception {
    server.enqueue(openAiFloats(1, 1024, "{\"total_tokens\":3}"));
    embedder =
        builder("voyage:voyage-4-lite", root())
            .apiKey("pa-key")
            .inputType(InputType.CLASSIFICATION)
            .build();

    embedder.embed(List.of("q"));

    assertBody(
        server.takeRequest(),
        "{\"model\":\"voyage-4-lite\",\"input\":[\"q\"],\"truncation\":false,"
            + "\"output_dtype\":\"float\"}");
  }

  @Test
  void mistral_floatsAndOutputDimensionForCodestral() throws Exception {
    server.enqueue(openAiFloats(1, 1024, "{\"prompt_tokens\":4,\"total_tokens\":4}"));
    server.enqueue(openAiFloats(1, 256, "{\"prompt_tokens\":5,\"total_tokens\":5}"));
    embedder = builder("mistral:mistral-embed", root()).apiKey("ms-key").build();

    EmbeddingRun run = embedder.embed(List.of("one"));

    RecordedRequest request = server.takeRequest();
    assertThat(request.getPath()).isEqualTo("/v1/embeddings");
    assertThat(request.getHeader("Authorization")).isEqualTo("Bearer ms-key");
    assertBody(
        request,
        "{\"model\":\"mistral-embed\",\"input\":[\"one\"],\"output_dtype\":\"float\","
            + "\"encoding_format\":\"float\"}");
    assertThat(run.tokens()).isEqualTo(4);

    try (Embedder codestral =
        builder("mistral:codestral-embed", root()).apiKey("ms-key").dimensions(256).build()) {
      codestral.embed(List.of("code"));
    }
    assertBody(
        server.takeRequest(),
        "{\"model\":\"codestral-embed\",\"input\":[\"code\"],\"output_dimension\":256,"
            + "\"output_dtype\":\"float\",\"encoding_format\":\"float\"}");
  }

  @Test
  void mistral_truncationAskedFor_cutsAnOverLongTextHere() throws Exception {
    server.enqueue(openAiFloats(2, 1024, "{\"prompt_tokens\":8193,\"total_tokens\":8193}"));
    embedder = builder("mistral:mistral-embed", root()).apiKey("ms-key").truncate(true).build();
    String longText = "word ".repeat(9000);

    embedder.embed(List.of("short", longText));

    JsonNode input = JSON.readTree(server.takeRequest().getBody().readUtf8()).get("input");
    assertThat(input.get(0).asText()).isEqualTo("short");
    assertThat(longText).startsWith(input.get(1).asText());
    assertThat(
            com.knuddels.jtokkit.Encodings.newLazyEncodingRegistry()
                .getEncoding(com.knuddels.jtokkit.api.EncodingType.CL100K_BASE)
                .countTokensOrdinary(input.get(1).asText()))
        .isEqualTo(8192);
  }

  @Test
  void selfHostedServersNeedNoKey_theOthersDo() {
    assertThat(
            Embedder.builder()
                .model("ollama:nomic-embed-text")
                .environment(n -> null)
                .apiKeyFound())
        .isTrue();
    assertThat(Embedder.builder().model("tei:BAAI/bge-m3").environment(n -> null).apiKeyFound())
        .isTrue();
    assertThat(Embedder.builder().model("voyage-4").environment(n -> null).apiKeyFound()).isFalse();
    assertThatThrownBy(() -> builder("jina:jina-embeddings-v3", root()).build())
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("JINA_API_KEY");
  }

  @Test
  void mistralTakesNoInputType() {
    assertThatThrownBy(
            () ->
                builder("mistral:mistral-embed", root())
                    .apiKey("k")
                    .inputType(InputType.SEARCH_QUERY)
                    .build())
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("takes no input type");
  }

  @Test
  void jina_taskFromTheInputType_dimensions_normalized() throws Exception {
    server.enqueue(openAiFloats(2, 64, "{\"total_tokens\":6}"));
    embedder =
        builder("jina:jina-embeddings-v3", root())
            .apiKey("jina-key")
            .inputType(InputType.SEARCH_QUERY)
            .dimensions(64)
            .build();

    EmbeddingRun run = embedder.embed(List.of("a", "b"));

    RecordedRequest request = server.takeRequest();
    assertThat(request.getPath()).isEqualTo("/v1/embeddings");
    assertThat(request.getHeader("Authorization")).isEqualTo("Bearer jina-key");
    assertBody(
        request,
        "{\"model\":\"jina-embeddings-v3\",\"input\":[\"a\",\"b\"],\"task\":\"retrieval.query\","
            + "\"dimensions\":64,\"normalized\":true,\"embedding_type\":\"float\","
            + "\"truncate\":false}");
    assertThat(run.tokens()).isEqualTo(6);
  }

  @Test
  void jina_documentsAreRetrievalPassages_clusteringIsSeparation() throws Exception {
    server.enqueue(openAiFloats(1, 1024, "{\"total_tokens\":1}"));
    server.enqueue(openAiFloats(1, 1024, "{\"total_tokens\":1}"));
    embedder = builder("jina:jina-embeddings-v3", root()).apiKey("jina-key").build();
    embedder.embed(List.of("doc"));
    assertThat(JSON.readTree(server.takeRequest().getBody().readUtf8()).get("task").asText())
        .isEqualTo("retrieval.passage");
    embedder.with(null, null, InputType.CLUSTERING).embed(List.of("doc"));
    assertThat(JSON.readTree(server.takeRequest().getBody().readUtf8()).get("task").asText())
        .isEqualTo("separation");
  }

  @Test
  void gemini_batchEmbedContents_googKeyHeader_taskType_outputDimensionality() throws Exception {
    server.enqueue(
        Replies.json(
            200,
            "{\"embeddings\":[{\"values\":"
                + Replies.floats(Replies.vector(1, 768))
                + "},{\"values\":"
                + Replies.floats(Replies.vector(2, 768))
                + "}]}"));
    embedder =
        builder("gemini:gemini-embedding-001", root()).apiKey("AIza-key").dimensions(768).build();

    EmbeddingRun run = embedder.embed(List.of("first text", "second"));

    RecordedRequest request = server.takeRequest();
    assertThat(request.getPath())
        .isEqualTo("/v1beta/models/gemini-embedding-001:batchEmbedContents");
    assertThat(request.getHeader("x-goog-api-key")).isEqualTo("AIza-key");
    assertThat(request.getHeader("Authorization")).isNull();
    String one =
        "{\"model\":\"models/gemini-embedding-001\",\"content\":{\"parts\":[{\"text\":\"%s\"}]},"
            + "\"taskType\":\"RETRIEVAL_DOCUMENT\",\"outputDimensionality\":768}";
    assertBody(
        request,
        "{\"requests\":["
            + String.format(one, "first text")
            + ","
            + String.format(one, "second")
            + "]}");
    assertThat(run.vectors()).extracting(v -> v[0]).containsExactly(1f, 2f);
    long estimate =
        com.knuddels.jtokkit.Encodings.newLazyEncodingRegistry()
                .getEncoding(com.knuddels.jtokkit.api.EncodingType.CL100K_BASE)
                .countTokensOrdinary("first text")
            + 1;
    assertThat(run.tokens()).as("Gemini reports no usage: the estimate").isEqualTo(estimate);
    assertThat(run.tokensEstimated()).isTrue();
    assertThat(run.batches().get(0).tokensEstimated()).isTrue();
    assertThat(run.summary()).contains(estimate + " tokens (estimated)");
    assertThat(run.cost()).isEqualByComparingTo(embedder.model().cost(estimate));
  }

  @Test
  void gemini_keyFromGoogleApiKeyWhenGeminiApiKeyIsAbsent() throws Exception {
    server.enqueue(
        Replies.json(
            200,
            "{\"embeddings\":[{\"values\":" + Replies.floats(Replies.vector(1, 3072)) + "}]}"));
    embedder =
        Embedder.builder()
            .model("gemini:gemini-embedding-001")
            .environment(Map.of("GOOGLE_API_KEY", "google-key", "GEMINI_BASE_URL", root())::get)
            .learnRateLimits(false)
            .build();

    embedder.embed(List.of("x"));

    assertThat(server.takeRequest().getHeader("x-goog-api-key")).isEqualTo("google-key");
  }

  @Test
  void ollama_keyless_nativeEmbed_noSilentTruncation_promptEvalCount() throws Exception {
    server.enqueue(
        Replies.json(
            200,
            "{\"model\":\"nomic-embed-text\",\"embeddings\":["
                + floats(2, 768, 1)
                + "],\"total_duration\":14143917,\"load_duration\":1019500,"
                + "\"prompt_eval_count\":8}"));
    embedder = builder("ollama:nomic-embed-text", root()).build();

    EmbeddingRun run = embedder.embed(List.of("one", "two"));

    RecordedRequest request = server.takeRequest();
    assertThat(request.getPath()).isEqualTo("/api/embed");
    assertThat(request.getHeader("Authorization")).as("keyless").isNull();
    assertBody(
        request, "{\"model\":\"nomic-embed-text\",\"input\":[\"one\",\"two\"],\"truncate\":false}");
    assertThat(run.vectors()).extracting(v -> v[0]).containsExactly(1f, 2f);
    assertThat(run.tokens()).isEqualTo(8);
    assertThat(run.cost()).isEqualByComparingTo("0");
  }

  @Test
  void ollama_anUnlistedModelWithItsDimensions_andAKeyWhenOneIsSet() throws Exception {
    server.enqueue(
        Replies.json(200, "{\"model\":\"my-model\",\"embeddings\":[" + floats(1, 8, 1) + "]}"));
    embedder = builder("ollama:my-model", root()).dimensions(8).apiKey("proxy-key").build();

    embedder.embed(List.of("one"));

    RecordedRequest request = server.takeRequest();
    assertThat(request.getHeader("Authorization")).isEqualTo("Bearer proxy-key");
    assertBody(request, "{\"model\":\"my-model\",\"input\":[\"one\"],\"truncate\":false}");
  }

  @Test
  void tei_embed_32InputsPerRequest_tokensFromXComputeTokens() throws Exception {
    server.enqueue(
        Replies.json(200, "[" + floats(32, 768, 0) + "]").setHeader("x-compute-tokens", "96"));
    server.enqueue(
        Replies.json(200, "[" + floats(8, 768, 32) + "]").setHeader("x-compute-tokens", "24"));
    embedder =
        builder("tei:BAAI/bge-base-en-v1.5", root())
            .batchSize(100)
            .maxConcurrentRequests(1)
            .build();
    List<String> texts = IntStream.range(0, 40).mapToObj(i -> "text " + i).toList();

    EmbeddingRun run = embedder.embed(texts);

    RecordedRequest first = server.takeRequest();
    assertThat(first.getPath()).isEqualTo("/embed");
    assertThat(first.getHeader("Authorization")).isNull();
    String inputs =
        texts.subList(0, 32).stream().map(t -> "\"" + t + "\"").collect(Collectors.joining(","));
    assertBody(first, "{\"inputs\":[" + inputs + "],\"normalize\":true,\"truncate\":false}");
    assertThat(run.batches()).extracting(BatchOutcome::size).containsExactly(32, 8);
    assertThat(run.vectors())
        .extracting(v -> (int) v[0])
        .containsExactlyElementsOf(IntStream.range(0, 40).boxed().toList());
    assertThat(run.tokens()).isEqualTo(120);
  }
}
