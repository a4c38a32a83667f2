package dev.embed4j.internal;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.Arrays;
import okhttp3.HttpUrl;

/**
 * {@code POST /v1/embeddings}. Asks for base64 and decodes little-endian float32 from the reply's
 * bytes into {@code float[]}; accepts float arrays from compatible servers that ignore the format;
 * places every vector by its {@code index}, failing the batch on a missing or repeated one.
 */
final class OpenAiProvider extends JsonProvider {
  OpenAiProvider(HttpCall http, HttpUrl base) {
    super(http, HttpCall.endpoint(base, "v1", "embeddings"));
  }

  @Override
  byte[] body(Request request) throws IOException {
    return write(request);
  }

  @Override
  HttpCall.Decoded read(byte[] reply, int length, Request request) throws IOException {
    return parse(reply, length, request.texts().size(), request.dimensions());
  }

  static byte[] write(Request request) throws IOException {
    ByteArrayOutputStream out = bodyBuffer(request);
    try (JsonGenerator g = HttpCall.JSON_FACTORY.createGenerator(out)) {
      g.writeStartObject();
      g.writeStringField("model", request.model().name());
      g.writeArrayFieldStart("input");
      for (String text : request.texts()) {
        JsonStrings.write(g, text);
      }
      g.writeEndArray();
      if (request.dimensions() != request.model().dimensions()) {
        g.writeNumberField("dimensions", request.dimensions());
      }
      g.writeStringField("encoding_format", "base64");
      g.writeEndObject();
    }
    return out.toByteArray();
  }

  /** The vectors by index, and {@code usage.prompt_tokens} (-1 if absent). */
  static HttpCall.Decoded parse(byte[] in, int expected, int dimensions) throws IOException {
    return parse(in, in.length, expected, dimensions);
  }

  /** As {@link #parse(byte[], int, int)}, from {@code in[0, length)}. */
  static HttpCall.Decoded parse(byte[] in, int length, int expected, int dimensions)
      throws IOException {
    try (JsonParser p = HttpCall.JSON_FACTORY.createParser(in, 0, length)) {
      return parse(p, expected, dimensions);
    }
  }

  /**
   * As {@link #parse(byte[], int, int)}, from a parser whose next token starts the reply object
   * (also a Batch API output line's {@code response.body}); reads up to its end.
   */
  static HttpCall.Decoded parse(JsonParser p, int expected, int dimensions) throws IOException {
    float[][] vectors = new float[expected][];
    long tokens = -1;
    int received = 0;
    FloatDecoding.Base64Floats base64 = new FloatDecoding.Base64Floats(dimensions);
    expect(p.nextToken(), JsonToken.START_OBJECT, "the reply");
    while (p.nextToken() == JsonToken.FIELD_NAME) {
      String field = p.currentName();
      JsonToken value = p.nextToken();
      if ("data".equals(field)) {
        expect(value, JsonToken.START_ARRAY, "data");
        while (p.nextToken() == JsonToken.START_OBJECT) {
          int index = -1;
          float[] vector = null;
          while (p.nextToken() == JsonToken.FIELD_NAME) {
            String name = p.currentName();
            JsonToken t = p.nextToken();
            if ("index".equals(name)) {
              index = p.getIntValue();
            } else if ("embedding".equals(name)) {
              if (t == JsonToken.VALUE_STRING) {
                vector = base64.read(p);
              } else if (t == JsonToken.START_ARRAY) {
                vector = FloatDecoding.readFloatArray(p, dimensions);
              } else {
                throw new IOException("embedding is neither base64 nor an array but " + t);
              }
            } else {
              p.skipChildren();
            }
          }
          if (index < 0 || index >= expected) {
            throw new IOException(
                "embedding index " + index + " is outside the batch of " + expected);
          }
          if (vector == null) {
            throw new IOException("data item " + index + " has no embedding");
          }
          if (vectors[index] != null) {
            throw new IOException("embedding index " + index + " appears twice");
          }
          vectors[index] = vector;
          received++;
        }
      } else if ("usage".equals(field) && value == JsonToken.START_OBJECT) {
        while (p.nextToken() == JsonToken.FIELD_NAME) {
          String name = p.currentName();
          p.nextToken();
          if ("prompt_tokens".equals(name)) {
            tokens = p.getLongValue();
          } else if ("total_tokens".equals(name) && tokens < 0) {
            tokens = p.getLongValue();
          } else {
            p.skipChildren();
          }
        }
      } else {
        p.skipChildren();
      }
    }
    if (received != expected) {
      throw new IOException("the reply had " + received + " embeddings for " + expected + " texts");
    }
    return new HttpCall.Decoded(Arrays.asList(vectors), tokens);
  }

  private static void expect(JsonToken actual, JsonToken wanted, String what) throws IOException {
    if (actual != wanted) {
      throw new IOException(what + " is not " + wanted + " but " + actual);
    }
  }
}
