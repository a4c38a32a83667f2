package dev.embed4j.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.embed4j.ProviderException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
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
        .build(text);
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
