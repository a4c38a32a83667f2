package dev.embed4j;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import okhttp3.mockwebserver.RecordedRequest;
import org.junit.jupiter.api.Test;

/**
 * Azure OpenAI's wire format against scripted replies: the three URL forms (a deployment named as
 * the model, a deployment's own URL, the v1 API), the {@code api-key} header or an Entra ID bearer
 * token, the key and endpoint variables.
 */
class AzureOpenAiWireTest extends MockServerTest {
  @Test
  void azureDeploymentNamedAsTheModel_apiKeyHeader_openAisBodyWithoutModel() throws Exception {
    server.enqueue(Replies.openAiInOrder(2, 1, 256, 9));
    embedder =
        builder("azure:text-embedding-3-small", root()).apiKey("az-key").dimensions(256).build();

    EmbeddingRun run = embedder.embed(List.of("first", "second"));

    RecordedRequest request = server.takeRequest();
    assertThat(request.getRequestUrl().encodedPath())
        .isEqualTo("/openai/deployments/text-embedding-3-small/embeddings");
    assertThat(request.getRequestUrl().queryParameter("api-version")).isEqualTo("2024-10-21");
    assertThat(request.getHeader("api-key")).isEqualTo("az-key");
    assertThat(request.getHeader("Authorization")).isNull();
    assertBody(
        request,
        "{\"input\":[\"first\",\"second\"],\"dimensions\":256,\"encoding_format\":\"base64\"}");
    assertThat(run.vectors()).extracting(v -> v[0]).containsExactly(1f, 2f);
    assertThat(run.tokens()).isEqualTo(9);
  }

  @Test
  void azureDeploymentAndApiVersionFromTheBaseUrl() throws Exception {
    server.enqueue(Replies.openAiInOrder(1, 1, 1536, 2));
    String base =
        server.url("/openai/deployments/my-embedder?api-version=2025-04-01-preview").toString();
    embedder = builder("azure:text-embedding-3-small", base).apiKey("az-key").build();

    embedder.embed(List.of("one"));

    RecordedRequest request = server.takeRequest();
    assertThat(request.getPath())
        .isEqualTo("/openai/deployments/my-embedder/embeddings?api-version=2025-04-01-preview");
  }

  @Test
  void azureV1Path_sendsTheDeploymentAsModel() throws Exception {
    server.enqueue(Replies.openAiInOrder(1, 1, 3072, 2));
    embedder =
        builder("azure:text-embedding-3-large", server.url("/openai/v1/").toString())
            .apiKey("az-key")
            .build();

    embedder.embed(List.of("one"));

    RecordedRequest request = server.takeRequest();
    assertThat(request.getPath()).isEqualTo("/openai/v1/embeddings");
    assertBody(
        request,
        "{\"model\":\"text-embedding-3-large\",\"input\":[\"one\"],\"encoding_format\":\"base64\"}");
  }

  @Test
  void azureWithAnEntraIdTokenSupplier_needsNoKey_andAsksForATokenPerRequest() throws Exception {
    server.enqueue(Replies.openAiInOrder(1, 1, 1536, 2));
    server.enqueue(Replies.openAiInOrder(1, 2, 1536, 2));
    AtomicInteger issued = new AtomicInteger();
    embedder =
        builder("azure:text-embedding-3-small", root())
            .tokenSupplier(() -> "entra-token-" + issued.incrementAndGet())
            .batchSize(1)
            .maxConcurrentRequests(1)
            .build();

    embedder.embed(List.of("one", "two"));

    RecordedRequest first = server.takeRequest();
    RecordedRequest second = server.takeRequest();
    assertThat(first.getHeader("Authorization")).isEqualTo("Bearer entra-token-1");
    assertThat(second.getHeader("Authorization")).isEqualTo("Bearer entra-token-2");
    assertThat(first.getHeader("api-key")).isNull();
    assertThat(embedder.toString()).doesNotContain("entra-token");
  }

  @Test
  void azureWithoutAnEndpoint_namesTheVariable() {
    assertThatThrownBy(
            () ->
                Embedder.builder()
                    .model("azure:text-embedding-3-small")
                    .environment(Map.of("AZURE_OPENAI_API_KEY", "k")::get)
                    .build())
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("AZURE_OPENAI_ENDPOINT")
        .hasMessageContaining("embed4j.azure.base-url");
  }

  @Test
  void azureKeyAndEndpointFromTheirVariables() throws Exception {
    server.enqueue(Replies.openAiInOrder(1, 1, 1536, 2));
    embedder =
        Embedder.builder()
            .model("azure:text-embedding-3-small")
            .environment(
                Map.of("AZURE_OPENAI_API_KEY", "from-env", "AZURE_OPENAI_ENDPOINT", root())::get)
            .learnRateLimits(false)
            .build();

    embedder.embed(List.of("one"));

    assertThat(server.takeRequest().getHeader("api-key")).isEqualTo("from-env");
  }

  @Test
  void aBareOpenAiModelNameStillMeansOpenAi() {
    assertThat(ModelRegistry.defaults().get("text-embedding-3-small").provider())
        .isEqualTo("openai");
    assertThat(ModelRegistry.defaults().get("azure:text-embedding-3-small").provider())
        .isEqualTo("azure");
  }
}
