package dev.embed4j.internal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.embed4j.AuthenticationException;
import dev.embed4j.ProviderException;
import dev.embed4j.RateLimitException;
import java.time.Duration;
import okhttp3.HttpUrl;
import okhttp3.MediaType;
import okhttp3.OkHttpClient;
import okhttp3.Protocol;
import okhttp3.Request;
import okhttp3.Response;
import okhttp3.ResponseBody;
import org.junit.jupiter.api.Test;

/**
 * Each new provider's error bodies as the engine needs them: message, code, type, retry delay; and
 * every "too many tokens / too many inputs" answer under the one code OpenAI uses for it.
 */
class ErrorShapesTest {
  private static final HttpUrl BASE = HttpUrl.get("https://example.test/");
  private static final HttpCall HTTP = new HttpCall(new OkHttpClient(), "p", "h", "v");

  private static ProviderException map(
      JsonProvider provider, int status, String body, String... headers) {
    Response.Builder r =
        new Response.Builder()
            .request(new Request.Builder().url(BASE).build())
            .protocol(Protocol.HTTP_1_1)
            .code(status)
            .message("x")
            .body(ResponseBody.create(body, MediaType.get("application/json")));
    for (int i = 0; i < headers.length; i += 2) {
      r.header(headers[i], headers[i + 1]);
    }
    return ErrorMapping.fromReply(provider.id(), "m", r.build(), provider::errorCode);
  }

  @Test
  void azure429_retryAfterFromTheBodyWhenNoHeaderSaysIt() {
    ProviderException e =
        map(
            new AzureOpenAiProvider(HTTP, BASE),
            429,
            "{\"error\":{\"code\":\"429\",\"message\":\"Requests to the Embeddings_Create Operation"
                + " under Azure OpenAI API version 2024-10-21 have exceeded call rate limit of your"
                + " current OpenAI S0 pricing tier. Please retry after 7 seconds. Please go here:"
                + " https://aka.ms/oai/quotaincrease\"}}");
    assertThat(e).isInstanceOf(RateLimitException.class);
    assertThat(e.retryAfter()).contains(Duration.ofSeconds(7));
    assertThat(e.getMessage()).contains("Please retry after 7 seconds");
  }

  @Test
  void azure429_theHeaderWinsOverTheBody() {
    ProviderException e =
        map(
            new AzureOpenAiProvider(HTTP, BASE),
            429,
            "{\"error\":{\"code\":\"429\",\"message\":\"Please retry after 7 seconds.\"}}",
            "retry-after-ms",
            "1500");
    assertThat(e.retryAfter()).contains(Duration.ofMillis(1500));
  }

  @Test
  void azureTooManyInputs_isRequestTooLarge_andItsAuthErrorIsAnAuthenticationFailure() {
    ProviderException tooMany =
        map(
            new AzureOpenAiProvider(HTTP, BASE),
            400,
            "{\"error\":{\"message\":\"Too many inputs. The max number of inputs is 2048.\","
                + "\"type\":\"invalid_request_error\",\"param\":null,\"code\":null}}");
    assertThat(tooMany.errorCode()).contains(ErrorMapping.REQUEST_TOO_LARGE);
    assertThat(tooMany.isRequestTooLarge()).as("split, not failed").isTrue();
    assertThat(tooMany.isRetryable()).isFalse();
    ProviderException auth =
        map(
            new AzureOpenAiProvider(HTTP, BASE),
            401,
            "{\"error\":{\"code\":\"401\",\"message\":\"Access denied due to invalid subscription"
                + " key or wrong API endpoint.\"}}");
    assertThat(auth).isInstanceOf(AuthenticationException.class);
    assertThat(auth.getMessage()).contains("Access denied due to invalid subscription key");
  }

  @Test
  void voyage_detailIsTheMessage_tooManyTokensAndTooManyTextsAreRequestTooLarge() {
    VoyageProvider voyage = new VoyageProvider(HTTP, BASE);
    ProviderException tokens =
        map(
            voyage,
            400,
            "{\"detail\":\"Request to model 'voyage-4' failed. The max allowed tokens per"
                + " submitted batch is 320000. Your batch has 350000 tokens after truncation.\"}");
    assertThat(tokens.errorCode()).contains(ErrorMapping.REQUEST_TOO_LARGE);
    assertThat(tokens.isRequestTooLarge()).as("split, not failed").isTrue();
    assertThat(tokens.getMessage())
        .contains("The max allowed tokens per submitted batch is 320000");
    ProviderException texts =
        map(voyage, 400, "{\"detail\":\"The batch size limit is 1000. Your batch size is 1200.\"}");
    assertThat(texts.errorCode()).contains(ErrorMapping.REQUEST_TOO_LARGE);
    assertThat(texts.isRequestTooLarge()).as("split, not failed").isTrue();
    ProviderException other =
        map(voyage, 400, "{\"detail\":\"Input cannot contain empty strings or empty lists.\"}");
    assertThat(other.errorCode()).isEmpty();
    assertThat(map(voyage, 401, "{\"detail\":\"Provided API key is invalid.\"}"))
        .isInstanceOf(AuthenticationException.class);
  }

  @Test
  void mistral_tooManyTokensAndInputsAreRequestTooLarge_unauthorizedIsAuthentication() {
    MistralProvider mistral = new MistralProvider(HTTP, BASE);
    ProviderException tokens =
        map(
            mistral,
            400,
            "{\"object\":\"error\",\"message\":\"Too many tokens in batch. Max is 16384 got"
                + " 20000.\",\"type\":\"invalid_request_prompt\",\"param\":null,\"code\":\"3210\"}");
    assertThat(tokens.errorCode()).contains(ErrorMapping.REQUEST_TOO_LARGE);
    assertThat(tokens.isRequestTooLarge()).as("split, not failed").isTrue();
    ProviderException inputs =
        map(
            mistral,
            400,
            "{\"object\":\"error\",\"message\":\"Too many inputs in request, split into more"
                + " batches.\",\"type\":\"invalid_request_prompt\",\"param\":null,\"code\":\"3210\"}");
    assertThat(inputs.errorCode()).contains(ErrorMapping.REQUEST_TOO_LARGE);
    assertThat(inputs.isRequestTooLarge()).as("split, not failed").isTrue();
    assertThat(map(mistral, 401, "{\"message\":\"Unauthorized\",\"request_id\":\"r\"}"))
        .isInstanceOf(AuthenticationException.class)
        .hasMessageContaining("Unauthorized");
  }

  @Test
  void jina_tooManyInputsIsRequestTooLarge_validationListReadsItsFirstMessage() {
    JinaProvider jina = new JinaProvider(HTTP, BASE);
    assertThat(
            map(
                    jina,
                    400,
                    "{\"detail\":\"Number of input texts exceeds the maximum of 2048: got 3000.\"}")
                .errorCode())
        .contains(ErrorMapping.REQUEST_TOO_LARGE);
    ProviderException validation =
        map(
            jina,
            422,
            "{\"detail\":[{\"loc\":[\"body\",\"task\"],\"msg\":\"Input should be"
                + " 'retrieval.query'\",\"type\":\"literal_error\"}]}");
    assertThat(validation.getMessage()).contains("Input should be 'retrieval.query'");
  }

  @Test
  void gemini_invalidKeyIsAnAuthenticationFailure_retryInfoIsTheDelay_batchOver100IsTooLarge() {
    GeminiProvider gemini = new GeminiProvider(HTTP, BASE);
    ProviderException key =
        map(
            gemini,
            400,
            "{\"error\":{\"code\":400,\"message\":\"API key not valid. Please pass a valid API"
                + " key.\",\"status\":\"INVALID_ARGUMENT\",\"details\":[{\"@type\":"
                + "\"type.googleapis.com/google.rpc.ErrorInfo\",\"reason\":\"API_KEY_INVALID\"}]}}");
    assertThat(key).isInstanceOf(AuthenticationException.class);
    assertThat(key.errorCode()).contains("API_KEY_INVALID");
    assertThat(key.getMessage()).contains("HTTP 400").contains("API key not valid");
    ProviderException limited =
        map(
            gemini,
            429,
            "{\"error\":{\"code\":429,\"message\":\"Resource has been exhausted\",\"status\":"
                + "\"RESOURCE_EXHAUSTED\",\"details\":[{\"@type\":"
                + "\"type.googleapis.com/google.rpc.RetryInfo\",\"retryDelay\":\"23.5s\"}]}}");
    assertThat(limited).isInstanceOf(RateLimitException.class);
    assertThat(limited.retryAfter()).contains(Duration.ofMillis(23_500));
    ProviderException tooMany =
        map(
            gemini,
            400,
            "{\"error\":{\"code\":400,\"message\":\"* BatchEmbedContentsRequest.requests: at most"
                + " 100 requests can be in one batch\\n\",\"status\":\"INVALID_ARGUMENT\"}}");
    assertThat(tooMany.errorCode()).contains(ErrorMapping.REQUEST_TOO_LARGE);
    assertThat(tooMany.isRequestTooLarge()).as("split, not failed").isTrue();
  }

  @Test
  void ollamaAndTei_errorStringsAreTheMessage_teiBatchOverItsMaximumIsTooLarge() {
    ProviderException ollama =
        map(
            new OllamaProvider(HTTP, BASE),
            404,
            "{\"error\":\"model \\\"x\\\" not found, try pulling it first\"}");
    assertThat(ollama.getMessage()).contains("model \"x\" not found, try pulling it first");
    assertThat(ollama.isRetryable()).isFalse();
    ProviderException tei =
        map(
            new TeiProvider(HTTP, BASE),
            413,
            "{\"error\":\"batch size 40 > maximum allowed batch size 32\","
                + "\"error_type\":\"validation\"}");
    assertThat(tei.errorCode()).contains(ErrorMapping.REQUEST_TOO_LARGE);
    assertThat(tei.isRequestTooLarge()).as("split, not failed").isTrue();
    ProviderException overloaded =
        map(
            new TeiProvider(HTTP, BASE),
            429,
            "{\"error\":\"Model is overloaded\",\"error_type\":\"overloaded\"}");
    assertThat(overloaded).isInstanceOf(RateLimitException.class);
    assertThat(overloaded.errorCode()).contains("overloaded");
  }
}
