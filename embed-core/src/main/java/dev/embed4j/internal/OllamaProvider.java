package dev.embed4j.internal;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import okhttp3.HttpUrl;

/**
 * Ollama's native {@code POST /api/embed}: {@code input} as an array, {@code truncate} false unless
 * truncation was asked for (Ollama truncates to the context length by default), {@code dimensions}
 * for a reduced size. The reply's {@code embeddings} are in input order; {@code prompt_eval_count}
 * is the tokens.
 */
final class OllamaProvider extends JsonProvider {
  OllamaProvider(HttpCall http, HttpUrl base) {
    super(http, HttpCall.endpoint(base, "api", "embed"));
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
      g.writeBooleanField("truncate", request.truncate());
      if (request.dimensions() != request.model().dimensions()) {
        g.writeNumberField("dimensions", request.dimensions());
      }
      g.writeEndObject();
    }
    return out.toByteArray();
  }

  @Override
  HttpCall.Decoded read(byte[] reply, int length, Request request) throws IOException {
    List<float[]> vectors = null;
    long tokens = -1;
    try (JsonParser p = HttpCall.JSON_FACTORY.createParser(reply, 0, length)) {
      if (p.nextToken() != JsonToken.START_OBJECT) {
        throw new IOException("the reply is not a JSON object");
      }
      while (p.nextToken() == JsonToken.FIELD_NAME) {
        String field = p.currentName();
        JsonToken value = p.nextToken();
        if ("embeddings".equals(field) && value == JsonToken.START_ARRAY) {
          vectors = new ArrayList<>(request.texts().size());
          while (p.nextToken() == JsonToken.START_ARRAY) {
            vectors.add(FloatDecoding.readFloatArray(p, request.dimensions()));
          }
        } else if ("prompt_eval_count".equals(field) && value.isNumeric()) {
          tokens = p.getLongValue();
        } else {
          p.skipChildren();
        }
      }
    }
    if (vectors == null) {
      throw new IOException("the reply has no embeddings");
    }
    return new HttpCall.Decoded(vectors, tokens);
  }
}
