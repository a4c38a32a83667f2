package dev.embed4j.internal;

import com.fasterxml.jackson.core.JsonGenerator;
import dev.embed4j.InputType;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.Locale;
import okhttp3.HttpUrl;

/**
 * Jina AI's {@code POST /v1/embeddings}: {@code task} from the input type ({@code retrieval.query},
 * {@code retrieval.passage}, {@code classification}, {@code separation} for clustering), {@code
 * dimensions} for a reduced size, {@code normalized} true (unit vectors, as the other providers
 * return), {@code embedding_type} {@code float} and {@code truncate} only when asked for. The reply
 * is OpenAI's shape, with {@code usage.total_tokens}.
 */
final class JinaProvider extends JsonProvider {
  JinaProvider(HttpCall http, HttpUrl base) {
    super(http, HttpCall.endpoint(base, "v1", "embeddings"));
  }

  static String task(InputType type) {
    if (type == null) {
      return null;
    }
    switch (type) {
      case SEARCH_QUERY:
        return "retrieval.query";
      case SEARCH_DOCUMENT:
        return "retrieval.passage";
      case CLASSIFICATION:
        return "classification";
      default:
        return "separation";
    }
  }

  @Override
  byte[] body(Request request) throws IOException {
    ByteArrayOutputStream out = bodyBuffer(request);
    try (JsonGenerator g = HttpCall.JSON_FACTORY.createGenerator(out)) {
      g.writeStartObject();
      g.writeStringField("model", request.model().name());
      g.writeArrayFieldStart("input");
      for (String text : request.texts()) {
        JsonStrings.write(g, text);
      }
      g.writeEndArray();
      String task = task(request.inputType());
      if (task != null) {
        g.writeStringField("task", task);
      }
      if (request.dimensions() != request.model().dimensions()) {
        g.writeNumberField("dimensions", request.dimensions());
      }
      g.writeBooleanField("normalized", true);
      g.writeStringField("embedding_type", "float");
      g.writeBooleanField("truncate", request.truncate());
      g.writeEndObject();
    }
    return out.toByteArray();
  }

  @Override
  HttpCall.Decoded read(byte[] reply, int length, Request request) throws IOException {
    return OpenAiProvider.parse(reply, length, request.texts().size(), request.dimensions());
  }

  /** Over the inputs or tokens a request may carry. */
  @Override
  String errorCode(int status, String code, String message) {
    String m = message == null ? "" : message.toLowerCase(Locale.ROOT);
    if ((status == 400 || status == 413 || status == 422)
        && (m.contains("too many inputs")
            || m.contains("too many tokens")
            || m.contains("number of input texts exceeds"))) {
      return ErrorMapping.REQUEST_TOO_LARGE;
    }
    return code;
  }
}
