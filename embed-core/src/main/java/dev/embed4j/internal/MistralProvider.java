package dev.embed4j.internal;

import com.fasterxml.jackson.core.JsonGenerator;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.Locale;
import okhttp3.HttpUrl;

/**
 * Mistral AI's {@code POST /v1/embeddings}: OpenAI's shape with float vectors ({@code
 * encoding_format} {@code float}, {@code output_dtype} {@code float}) and {@code output_dimension}
 * for codestral-embed's reduced sizes; {@code usage.prompt_tokens} in the reply. The API takes no
 * truncation parameter: with truncation asked for, a text over the model's limit is cut here, on a
 * {@code cl100k_base} token boundary (an estimate of Mistral's tokens).
 */
final class MistralProvider extends JsonProvider {
  MistralProvider(HttpCall http, HttpUrl base) {
    super(http, HttpCall.endpoint(base, "v1", "embeddings"));
  }

  @Override
  byte[] body(Request request) throws IOException {
    ByteArrayOutputStream out = bodyBuffer(request);
    try (JsonGenerator g = HttpCall.JSON_FACTORY.createGenerator(out)) {
      g.writeStartObject();
      g.writeStringField("model", request.model().name());
      g.writeArrayFieldStart("input");
      for (String text : request.texts()) {
        JsonStrings.write(g, cut(text, request));
      }
      g.writeEndArray();
      if (request.dimensions() != request.model().dimensions()) {
        g.writeNumberField("output_dimension", request.dimensions());
      }
      g.writeStringField("output_dtype", "float");
      g.writeStringField("encoding_format", "float");
      g.writeEndObject();
    }
    return out.toByteArray();
  }

  @Override
  HttpCall.Decoded read(byte[] reply, int length, Request request) throws IOException {
    return OpenAiProvider.parse(reply, length, request.texts().size(), request.dimensions());
  }

  /** "Too many tokens in batch. Max is 16384 got ...", "Too many inputs in request, ...". */
  @Override
  String errorCode(int status, String code, String message) {
    String m = message == null ? "" : message.toLowerCase(Locale.ROOT);
    if (status == 400 && (m.contains("too many tokens") || m.contains("too many inputs"))) {
      return ErrorMapping.REQUEST_TOO_LARGE;
    }
    return code;
  }
}
