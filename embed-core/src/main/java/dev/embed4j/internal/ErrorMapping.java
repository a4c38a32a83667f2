package dev.embed4j.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.embed4j.ProviderException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Locale;
import okhttp3.Response;
import okhttp3.ResponseBody;

/**
 * An error reply as the exception that tells the engine what to do: reads the provider's message
 * and code from the body ({@code {"error":{"message","code","type"}}} or a flat {@code
 * {"message"}}), the request id and the retry delay from the headers, and lets {@link
 * ProviderException.Builder} decide the type from the status and code.
 */
final class ErrorMapping {
  private static final ObjectMapper MAPPER = new ObjectMapper();
  private static final int MAX_ERROR_BODY = 16 * 1024;
  private static final int MAX_MESSAGE = 500;

  private ErrorMapping() {}

  static ProviderException fromReply(String provider, String model, Response response) {
    int status = response.code();
    String requestId = RateLimitHeaders.requestId(response.headers());
    String body = readErrorBody(response.body());
    String message = null;
    String code = null;
    try {
      JsonNode root = MAPPER.readTree(body);
      if (root != null) {
        JsonNode err = root.has("error") && root.get("error").isObject() ? root.get("error") : root;
        message = text(err.get("message"));
        code = text(err.get("code"));
        if (code == null) {
          code = text(err.get("type"));
        }
      }
    } catch (IOException | RuntimeException notJson) {
      // keep the raw body below
    }
    if (message == null) {
      message = body.isBlank() ? "(empty body)" : body.strip();
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
        .status(status)
        .errorCode(code)
        .requestId(requestId)
        .retryAfter(RateLimitHeaders.retryAfter(response.headers()))
        .requestTooLarge(tooLarge(status, code, message))
        .build(text);
  }

  private static final List<String> TOO_LARGE_CODES =
      List.of("max_tokens_per_request", "context_length_exceeded", "request_too_large");

  /**
   * Whether a refusal says the request carried too many tokens or inputs, so that smaller requests
   * would pass: HTTP 413; OpenAI's {@code max_tokens_per_request} (per request) and "maximum
   * context length" (per input), and a 429 "Request too large for ... tokens per min" (more than a
   * minute's budget at once); Cohere's "total number of texts must be at most" and an input that
   * "exceeds the maximum of N tokens", and its caps on the images of a request; the "too many
   * tokens / inputs", "split into more batches" and "batch size" wordings of the compatible
   * servers. A 400 about anything else is not.
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
        || (m.contains("token") && (m.contains("exceeds the maximum") || m.contains("too long")));
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
