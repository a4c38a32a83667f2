package dev.embed4j.internal;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import dev.embed4j.EmbedInput;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import okhttp3.HttpUrl;

/**
 * {@code POST /v2/embed}: {@code texts}, or {@code inputs} (content parts of text and {@code
 * image_url} data URIs) for a batch with images; {@code input_type} always, {@code
 * output_dimension} only for a reduced dimension, {@code truncate} {@code NONE} unless truncation
 * was asked for ({@code END}), so that an over-long text fails loudly instead of being cut
 * silently. Vectors come back in input order in {@code embeddings.float}; tokens in {@code
 * meta.billed_units.input_tokens}, image tokens in {@code image_tokens}.
 */
final class CohereProvider extends JsonProvider {
  CohereProvider(HttpCall http, HttpUrl base) {
    super(http, HttpCall.endpoint(base, "v2", "embed"));
  }

  @Override
  byte[] body(Request request) throws IOException {
    return write(request);
  }

  @Override
  HttpCall.Decoded read(byte[] reply, int length, Request request) throws IOException {
    return parse(reply, length, request.dimensions());
  }

  static byte[] write(Request request) throws IOException {
    ByteArrayOutputStream out = bodyBuffer(request);
    try (JsonGenerator g = HttpCall.JSON_FACTORY.createGenerator(out)) {
      g.writeStartObject();
      g.writeStringField("model", request.model().name());
      if (request.hasImages()) {
        writeInputs(g, request.inputs());
      } else {
        g.writeArrayFieldStart("texts");
        for (String text : request.texts()) {
          JsonStrings.write(g, text);
        }
        g.writeEndArray();
      }
      if (request.inputType() != null) {
        g.writeStringField("input_type", request.inputType().wireName());
      }
      g.writeArrayFieldStart("embedding_types");
      g.writeString("float");
      g.writeEndArray();
      if (request.dimensions() != request.model().dimensions()) {
        g.writeNumberField("output_dimension", request.dimensions());
      }
      g.writeStringField("truncate", request.truncate() ? "END" : "NONE");
      g.writeEndObject();
    }
    return out.toByteArray();
  }

  /** {@code inputs: [{content: [{type: text, text}, {type: image_url, image_url: {url}}]}]}. */
  private static void writeInputs(JsonGenerator g, List<EmbedInput> inputs) throws IOException {
    g.writeArrayFieldStart("inputs");
    for (EmbedInput input : inputs) {
      g.writeStartObject();
      g.writeArrayFieldStart("content");
      for (EmbedInput.Part part : input.parts()) {
        g.writeStartObject();
        if (part instanceof EmbedInput.Text) {
          g.writeStringField("type", "text");
          g.writeFieldName("text");
          JsonStrings.write(g, ((EmbedInput.Text) part).text());
        } else {
          g.writeStringField("type", "image_url");
          g.writeObjectFieldStart("image_url");
          g.writeStringField("url", ((EmbedInput.Image) part).dataUri());
          g.writeEndObject();
        }
        g.writeEndObject();
      }
      g.writeEndArray();
      g.writeEndObject();
    }
    g.writeEndArray();
  }

  /** The vectors of {@code in[0, length)} and the billed tokens. */
  static HttpCall.Decoded parse(byte[] in, int length, int dimensions) throws IOException {
    List<float[]> vectors = null;
    long[] tokens = {-1, 0};
    try (JsonParser p = HttpCall.JSON_FACTORY.createParser(in, 0, length)) {
      if (p.nextToken() != JsonToken.START_OBJECT) {
        throw new IOException("the reply is not a JSON object");
      }
      while (p.nextToken() == JsonToken.FIELD_NAME) {
        String field = p.currentName();
        JsonToken value = p.nextToken();
        if ("embeddings".equals(field) && value == JsonToken.START_OBJECT) {
          while (p.nextToken() == JsonToken.FIELD_NAME) {
            String type = p.currentName();
            JsonToken t = p.nextToken();
            if ("float".equals(type) && t == JsonToken.START_ARRAY) {
              vectors = new ArrayList<>();
              while (p.nextToken() == JsonToken.START_ARRAY) {
                vectors.add(FloatDecoding.readFloatArray(p, dimensions));
              }
            } else {
              p.skipChildren();
            }
          }
        } else if ("meta".equals(field) && value == JsonToken.START_OBJECT) {
          tokens = billedTokens(p);
        } else {
          p.skipChildren();
        }
      }
    }
    if (vectors == null) {
      throw new IOException("the reply has no embeddings.float");
    }
    // A reply for images alone bills image tokens only.
    return new HttpCall.Decoded(vectors, tokens[0] < 0 && tokens[1] > 0 ? 0 : tokens[0], tokens[1]);
  }

  /** {@code meta.billed_units}: input tokens (-1 if absent) and image tokens. */
  private static long[] billedTokens(JsonParser p) throws IOException {
    long[] tokens = {-1, 0};
    while (p.nextToken() == JsonToken.FIELD_NAME) {
      String name = p.currentName();
      JsonToken t = p.nextToken();
      if ("billed_units".equals(name) && t == JsonToken.START_OBJECT) {
        while (p.nextToken() == JsonToken.FIELD_NAME) {
          String unit = p.currentName();
          p.nextToken();
          if ("input_tokens".equals(unit)) {
            tokens[0] = p.getLongValue();
          } else if ("image_tokens".equals(unit)) {
            tokens[1] = p.getLongValue();
          } else {
            p.skipChildren();
          }
        }
      } else {
        p.skipChildren();
      }
    }
    return tokens;
  }
}
