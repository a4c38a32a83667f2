package dev.embed4j.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.embed4j.ProviderException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import okhttp3.Response;
import okhttp3.ResponseBody;

/**
 * An error reply as the exception that tells the engine what to do: reads the provider's message
 * and code from the body, the request id and the retry delay from the headers (or, where the body
 * alone says it, from the body), and lets {@link ProviderException.Builder} decide the type from
 * the status and code.
 *
 * <p>Body shapes read: OpenAI, Azure and Mistral {@code {"error":{"message","code","type"}}} (or
 * flat); Cohere {@code {"message"}}; Voyage and Jina {@code {"detail"}}; Ollama and
 * text-embeddings-inference {@code {"error":"...","error_type"}}; Google {@code
 * {"error":{"code":400,"message","status","details":[{"reason"},{"retryDelay"}]}}}, whose rejected
 * key is a 400 with reason {@code API_KEY_INVALID} and is classified as a 401.
 */
final class ErrorMapping {
  /**
   * The code of a request over the provider's per-request limit of tokens or inputs: what OpenAI
   * sends ({@code max_tokens_per_request}), and what every other provider's "too many tokens" or
   * "too many inputs" answer is mapped to, so that one check finds a batch to split.
   */
  static final String REQUEST_TOO_LARGE = "max_tokens_per_request";

  private static final ObjectMapper MAPPER = new ObjectMapper();
  private static final int MAX_ERROR_BODY = 16 * 1024;
  private static final int MAX_MESSAGE = 500;
  private static final Pattern RETRY_AFTER_IN_BODY =
      Pattern.compile("retry after (\\d{1,5}) seconds?", Pattern.CASE_INSENSITIVE);
  private static final Pattern GOOGLE_DELAY = Pattern.compile("(\\d{1,5})(?:\\.(\\d{1,9}))?s");

  /**
   * A provider's own reading of an error reply the common one cannot classify: the code to report
   * ({@link #REQUEST_TOO_LARGE} for a request over its limits), or {@code code} unchanged.
   */
  @FunctionalInterface
  interface Reading {
    Reading NONE = (status, code, message) -> code;

    String code(int status, String code, String message);
  }

  private ErrorMapping() {}

  static ProviderException fromReply(String provider, String model, Response response) {
    return fromReply(provider, model, response, Reading.NONE);
  }

  static ProviderException fromReply(
      String provider, String model, Response response, Reading reading) {
    int status = response.code();
    int classifyAs = status;
    String requestId = RateLimitHeaders.requestId(response.headers());
    String body = readErrorBody(response.body());
    String message = null;
    String code = null;
    Duration bodyDelay = null;
    try {
      JsonNode root = MAPPER.readTree(body);
      if (root != null && root.isObject()) {
        JsonNode error = root.get("error");
        JsonNode err = error != null && error.isObject() ? error : root;
        message = text(err.get("message"));
        if (message == null && error != null && error.isTextual()) {
          message = error.asText(); // Ollama, text-embeddings-inference
        }
        if (message == null) {
          message = detail(root.get("detail")); // Voyage, Jina (FastAPI)
        }
        JsonNode codeNode = err.get("code");
        code = codeNode != null && codeNode.isTextual() ? codeNode.asText() : null;
        if (code == null) {
          code = text(err.get("status")); // Google: INVALID_ARGUMENT, RESOURCE_EXHAUSTED, ...
        }
        if (code == null) {
          code = text(err.get("type"));
        }
        if (code == null) {
          code = text(root.get("error_type")); // text-embeddings-inference
        }
        if (code == null && codeNode != null && !codeNode.isNull()) {
          code = codeNode.asText();
        }
        for (JsonNode d : err.path("details")) {
          String reason = text(d.get("reason"));
          if (reason != null) {
            code = reason;
            if ("API_KEY_INVALID".equals(reason)) {
              classifyAs = 401; // Google answers a rejected key with 400
            }
          }
          bodyDelay = bodyDelay != null ? bodyDelay : googleDelay(text(d.get("retryDelay")));
        }
      }
    } catch (IOException | RuntimeException notJson) {
      // keep the raw body below
    }
    if (message == null) {
      message = body.isBlank() ? "(empty body)" : body.strip();
    }
    code = reading.code(status, code, message);
    Duration retryAfter = RateLimitHeaders.retryAfter(response.headers());
    if (retryAfter == null && bodyDelay != null) {
      retryAfter = bodyDelay;
    }
    if (retryAfter == null && status == 429) {
      Matcher m = RETRY_AFTER_IN_BODY.matcher(message); // Azure: "Please retry after 6 seconds."
      if (m.find()) {
        retryAfter = Duration.ofSeconds(Long.parseLong(m.group(1)));
      }
    }
    if (message.length() > MAX_MESSAGE) {
      message = message.substring(0, MAX_MESSAGE) + "...";
    }
    String text =
        provider
            + " "
            + model
            + " answered HTTP "
            + status
            + (code == null ? "" : " (" + code + ")")
            + ": "
            + message
            + (requestId == null ? "" : " [request " + requestId + "]");
    return ProviderException.builder(provider, model)
        .status(classifyAs)
        .errorCode(code)
        .requestId(requestId)
        .retryAfter(retryAfter)
        .requestTooLarge(tooLarge(status, code, message))
        .build(text);
  }

  /** FastAPI's {@code detail}: a message, or a list of validation errors with {@code msg}. */
  private static String detail(JsonNode detail) {
    if (detail == null || detail.isNull()) {
      return null;
    }
    if (detail.isArray() && detail.size() > 0 && detail.get(0).has("msg")) {
      return text(detail.get(0).get("msg"));
    }
    return detail.isTextual() ? detail.asText() : detail.toString();
  }

  /** Google's {@code RetryInfo.retryDelay}, such as {@code 23s} or {@code 1.5s}. */
  private static Duration googleDelay(String value) {
    if (value == null) {
      return null;
    }
    Matcher m = GOOGLE_DELAY.matcher(value.trim());
    if (!m.matches()) {
      return null;
    }
    Duration d = Duration.ofSeconds(Long.parseLong(m.group(1)));
    if (m.group(2) != null) {
      d = d.plusNanos(Long.parseLong((m.group(2) + "00000000").substring(0, 9)));
    }
    return d;
  }

  private static final List<String> TOO_LARGE_CODES =
      List.of(REQUEST_TOO_LARGE, "context_length_exceeded", "request_too_large");

  /**
   * Whether a refusal says the request carried too many tokens or inputs, so that smaller requests
   * would pass: HTTP 413; OpenAI's {@code max_tokens_per_request} (per request) and "maximum
   * context length" (per input), and a 429 "Request too large for ... tokens per min" (more than a
   * minute's budget at once); Cohere's "total number of texts must be at most" and an input that
   * "exceeds the maximum of N tokens", and its caps on the images of a request; one input over the
   * model's tokens in the words of Voyage, Mistral, Jina, Gemini, Ollama and TEI; the "too many
   * tokens / inputs", "split into more batches" and "batch size" wordings of the compatible
   * servers; and whatever a provider's {@link Reading} mapped to {@link #REQUEST_TOO_LARGE} (Azure,
   * Voyage, Mistral, Jina, Gemini, text-embeddings-inference). A 400 about anything else is not.
   * The one place that decides {@link dev.embed4j.ProviderException#isRequestTooLarge()}.
   */
  static boolean tooLarge(int status, String code, String message) {
    if (status == 413) {
      return true;
    }
    if (status != 400 && status != 422 && status != 429) {
      return false;
    }
    if (code != null && TOO_LARGE_CODES.contains(code)) {
      return true;
    }
    String m = message == null ? "" : message.toLowerCase(Locale.ROOT);
    if (status == 429) {
      return m.startsWith("request too large");
    }
    return m.contains("maximum context length")
        || m.contains("tokens per request")
        || m.contains("too many tokens")
        || m.contains("too many inputs")
        || m.contains("split into more batches")
        || m.contains("total number of texts must be at most")
        || m.contains("max allowed tokens per submitted batch")
        || m.contains("batch size")
        || m.contains("combined size of all images")
        || m.contains("maximum number of images per call")
        || m.contains("exceeds the context length") // Ollama: one input over the model's
        || (m.contains("token")
            && (m.contains("exceeds the maximum")
                || m.contains("too long")
                || m.contains("context length") // Voyage: one input over the model's
                || m.contains("more than the") // Mistral
                || m.contains("must have less than"))); // text-embeddings-inference
  }

  private static String readErrorBody(ResponseBody body) {
    if (body == null) {
      return "";
    }
    try {
      long length = body.contentLength() < 0 ? MAX_ERROR_BODY : body.contentLength();
      byte[] bytes =
          body.source().peek().readByteArray(Math.min(MAX_ERROR_BODY, Math.max(0, length)));
      return new String(bytes, StandardCharsets.UTF_8);
    } catch (IOException | RuntimeException e) {
      try {
        String all = body.string();
        return all.length() > MAX_ERROR_BODY ? all.substring(0, MAX_ERROR_BODY) : all;
      } catch (IOException | RuntimeException e2) {
        return "";
      }
    }
  }

  private static String text(JsonNode node) {
    return node == null || node.isNull() ? null : node.asText();
  }
}
