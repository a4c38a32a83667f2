package dev.embed4j.internal;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import dev.embed4j.InputType;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import okhttp3.HttpUrl;

/**
 * Google's Gemini API, {@code POST /v1beta/models/{model}:batchEmbedContents}: one request per text
 * with its {@code taskType} (from the input type) and {@code outputDimensionality} for a reduced
 * size; the key in {@code x-goog-api-key}. The reply lists {@code embeddings[].values} in input
 * order and reports no token usage, so the provider returns tokens as not reported and the engine
 * bills its estimate. Vectors of a reduced size come back as Gemini sends them, which for
 * gemini-embedding-001 is not normalised. The API takes no truncation parameter: with truncation
 * asked for, a text over the model's limit is cut here, on a {@code cl100k_base} token boundary.
 */
final class GeminiProvider extends JsonProvider {
  private final HttpUrl models;

  GeminiProvider(HttpCall http, HttpUrl base) {
    super(http, HttpCall.endpoint(base, "v1beta", "models"));
    this.models = HttpCall.endpoint(base, "v1beta", "models");
  }

  static String taskType(InputType type) {
    if (type == null) {
      return null;
    }
    switch (type) {
      case SEARCH_QUERY:
        return "RETRIEVAL_QUERY";
      case SEARCH_DOCUMENT:
        return "RETRIEVAL_DOCUMENT";
      case CLASSIFICATION:
        return "CLASSIFICATION";
      default:
        return "CLUSTERING";
    }
  }

  @Override
  HttpUrl endpoint(Request request) {
    return models
        .newBuilder()
        .addPathSegment(request.model().name() + ":batchEmbedContents")
        .build();
  }

  @Override
  byte[] body(Request request) throws IOException {
    String model = "models/" + request.model().name();
    String task = taskType(request.inputType());
    boolean reduced = request.dimensions() != request.model().dimensions();
    ByteArrayOutputStream out = bodyBuffer(request, 160);
    try (JsonGenerator g = HttpCall.JSON_FACTORY.createGenerator(out)) {
      g.writeStartObject();
      g.writeArrayFieldStart("requests");
      for (String text : request.texts()) {
        g.writeStartObject();
        g.writeStringField("model", model);
        g.writeObjectFieldStart("content");
        g.writeArrayFieldStart("parts");
        g.writeStartObject();
        g.writeFieldName("text");
        JsonStrings.write(g, cut(text, request));
        g.writeEndObject();
        g.writeEndArray();
        g.writeEndObject();
        if (task != null) {
          g.writeStringField("taskType", task);
        }
        if (reduced) {
          g.writeNumberField("outputDimensionality", request.dimensions());
        }
        g.writeEndObject();
      }
      g.writeEndArray();
      g.writeEndObject();
    }
    return out.toByteArray();
  }

  @Override
  HttpCall.Decoded read(byte[] reply, int length, Request request) throws IOException {
    List<float[]> vectors = null;
    try (JsonParser p = HttpCall.JSON_FACTORY.createParser(reply, 0, length)) {
      if (p.nextToken() != JsonToken.START_OBJECT) {
        throw new IOException("the reply is not a JSON object");
      }
      while (p.nextToken() == JsonToken.FIELD_NAME) {
        String field = p.currentName();
        JsonToken value = p.nextToken();
        if ("embeddings".equals(field) && value == JsonToken.START_ARRAY) {
          vectors = new ArrayList<>(request.texts().size());
          while (p.nextToken() == JsonToken.START_OBJECT) {
            float[] vector = null;
            while (p.nextToken() == JsonToken.FIELD_NAME) {
              String name = p.currentName();
              JsonToken t = p.nextToken();
              if ("values".equals(name) && t == JsonToken.START_ARRAY) {
                vector = FloatDecoding.readFloatArray(p, request.dimensions());
              } else {
                p.skipChildren();
              }
            }
            if (vector == null) {
              throw new IOException("embedding " + vectors.size() + " has no values");
            }
            vectors.add(vector);
          }
        } else {
          p.skipChildren();
        }
      }
    }
    if (vectors == null) {
      throw new IOException("the reply has no embeddings");
    }
    return new HttpCall.Decoded(vectors, -1);
  }

  /** "at most 100 requests can be in one batch". */
  @Override
  String errorCode(int status, String code, String message) {
    String m = message == null ? "" : message.toLowerCase(Locale.ROOT);
    if (status == 400 && m.contains("at most") && m.contains("in one batch")) {
      return ErrorMapping.REQUEST_TOO_LARGE;
    }
    return code;
  }
}
