package dev.embed4j.internal;

import com.fasterxml.jackson.core.JsonGenerator;
import dev.embed4j.InputType;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.Locale;
import okhttp3.HttpUrl;

/**
 * Voyage AI's {@code POST /v1/embeddings}: {@code input_type} {@code query} or {@code document}
 * (none for classification and clustering, which Voyage embeds without a prompt), {@code
 * output_dimension} for a size other than the native one, {@code output_dtype} {@code float}, and
 * {@code truncation} false unless truncation was asked for (Voyage truncates by default, which
 * would cut a text silently). The reply is OpenAI's shape, with {@code usage.total_tokens}.
 */
final class VoyageProvider extends JsonProvider {
  VoyageProvider(HttpCall http, HttpUrl base) {
    super(http, HttpCall.endpoint(base, "v1", "embeddings"));
  }

  static String inputType(InputType type) {
    if (type == InputType.SEARCH_QUERY) {
      return "query";
    }
    return type == InputType.SEARCH_DOCUMENT ? "document" : null;
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
      String type = inputType(request.inputType());
      if (type != null) {
        g.writeStringField("input_type", type);
      }
      g.writeBooleanField("truncation", request.truncate());
      if (request.dimensions() != request.model().dimensions()) {
        g.writeNumberField("output_dimension", request.dimensions());
      }
      g.writeStringField("output_dtype", "float");
      g.writeEndObject();
    }
    return out.toByteArray();
  }

  @Override
  HttpCall.Decoded read(byte[] reply, int length, Request request) throws IOException {
    return OpenAiProvider.parse(reply, length, request.texts().size(), request.dimensions());
  }

  /** "The max allowed tokens per submitted batch is ...", "The batch size limit is 1000 ...". */
  @Override
  String errorCode(int status, String code, String message) {
    String m = message == null ? "" : message.toLowerCase(Locale.ROOT);
    if (status == 400
        && (m.contains("tokens per submitted batch") || m.contains("batch size limit"))) {
      return ErrorMapping.REQUEST_TOO_LARGE;
    }
    return code;
  }
}
