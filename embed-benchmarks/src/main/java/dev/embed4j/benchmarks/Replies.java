package dev.embed4j.benchmarks;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import dev.embed4j.emulator.EmbeddingEmulator;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.List;

/**
 * Reply bodies as the providers send them, with the emulator's vectors for {@link Texts}: the data
 * the decoding benchmarks parse. Floats are written in their shortest form, as OpenAI does.
 */
public final class Replies {
  private static final JsonFactory JSON = new JsonFactory();

  private Replies() {}

  /**
   * An OpenAI {@code /v1/embeddings} reply for texts 0 to {@code n - 1}, base64 or float arrays.
   */
  public static byte[] openAi(int n, int dimensions, boolean base64) {
    List<String> texts = Texts.chunks(n);
    return write(
        g -> {
          long tokens = 0;
          g.writeStartObject();
          g.writeStringField("object", "list");
          g.writeArrayFieldStart("data");
          for (int i = 0; i < n; i++) {
            float[] v =
                EmbeddingEmulator.expectedVector(
                    "text-embedding-3-small", null, texts.get(i), dimensions);
            g.writeStartObject();
            g.writeStringField("object", "embedding");
            g.writeNumberField("index", i);
            g.writeFieldName("embedding");
            if (base64) {
              ByteBuffer bytes = ByteBuffer.allocate(v.length * 4).order(ByteOrder.LITTLE_ENDIAN);
              bytes.asFloatBuffer().put(v);
              g.writeBinary(bytes.array());
            } else {
              floats(g, v);
            }
            g.writeEndObject();
            tokens += EmbeddingEmulator.expectedTokens(texts.get(i));
          }
          g.writeEndArray();
          g.writeStringField("model", "text-embedding-3-small");
          g.writeObjectFieldStart("usage");
          g.writeNumberField("prompt_tokens", tokens);
          g.writeNumberField("total_tokens", tokens);
          g.writeEndObject();
          g.writeEndObject();
        });
  }

  /** A Cohere {@code /v2/embed} reply for texts 0 to {@code n - 1} with float embeddings. */
  public static byte[] cohere(int n, int dimensions) {
    List<String> texts = Texts.chunks(n);
    return write(
        g -> {
          long tokens = 0;
          g.writeStartObject();
          g.writeStringField("id", "5807ee2e-0cda-445a-9ec8-864c60a06606");
          g.writeObjectFieldStart("embeddings");
          g.writeArrayFieldStart("float");
          for (String text : texts) {
            floats(
                g,
                EmbeddingEmulator.expectedVector(
                    "embed-english-v3.0", "search_document", text, dimensions));
            tokens += EmbeddingEmulator.expectedTokens(text);
          }
          g.writeEndArray();
          g.writeEndObject();
          g.writeArrayFieldStart("texts");
          for (String text : texts) {
            g.writeString(text);
          }
          g.writeEndArray();
          g.writeObjectFieldStart("meta");
          g.writeObjectFieldStart("api_version");
          g.writeStringField("version", "2");
          g.writeEndObject();
          g.writeObjectFieldStart("billed_units");
          g.writeNumberField("input_tokens", tokens);
          g.writeEndObject();
          g.writeEndObject();
          g.writeStringField("response_type", "embeddings_by_type");
          g.writeEndObject();
        });
  }

  private static void floats(JsonGenerator g, float[] v) throws IOException {
    g.writeStartArray();
    for (float f : v) {
      g.writeNumber(f);
    }
    g.writeEndArray();
  }

  private interface Body {
    void write(JsonGenerator g) throws IOException;
  }

  private static byte[] write(Body body) {
    ByteArrayOutputStream out = new ByteArrayOutputStream(1 << 20);
    try (JsonGenerator g = JSON.createGenerator(out)) {
      body.write(g);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return out.toByteArray();
  }
}
