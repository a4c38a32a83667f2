package dev.embed4j.samples.ingest;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectReader;
import java.io.BufferedWriter;
import java.io.Closeable;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/** The sample's two file formats, one JSON object per line. */
final class Jsonl {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final ObjectReader READER =
      JSON.readerFor(JsonNode.class).with(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);

  private Jsonl() {}

  /** An input line that holds a text: its number (from 1), its id as written, and the text. */
  record Line(long number, JsonNode id, String text) {
    String describe() {
      return "line " + number + " (id " + id + ")";
    }
  }

  /** Why a line was skipped, with its number: printed on standard error. */
  record Skipped(long number, String reason) {
    @Override
    public String toString() {
      return "line " + number + ": " + reason + ", skipped";
    }
  }

  /**
   * Reads {@code {"id": ..., "text": "..."}}; the id is a string or a number, kept as written.
   *
   * @return a {@link Line}, or a {@link Skipped} saying what is wrong
   */
  static Object parse(long number, String raw) {
    if (raw.isBlank()) {
      return new Skipped(number, "empty");
    }
    JsonNode node;
    try {
      node = READER.readValue(raw);
    } catch (JsonProcessingException e) {
      return new Skipped(number, "not valid JSON (" + e.getOriginalMessage() + ")");
    }
    if (!node.isObject()) {
      return new Skipped(number, "not a JSON object");
    }
    JsonNode id = node.get("id");
    if (id == null || !(id.isTextual() || id.isIntegralNumber())) {
      return new Skipped(number, "no \"id\" (a string or an integer)");
    }
    JsonNode text = node.get("text");
    if (text == null || !text.isTextual()) {
      return new Skipped(number, "no \"text\" string (id " + id + ")");
    }
    return new Line(number, id, text.textValue());
  }

  /** Writes {@code {"id": ..., "embedding": [...]}} lines; floats as Java prints them (exact). */
  static final class Writer implements Closeable {
    private final BufferedWriter out;
    private final JsonGenerator json;

    Writer(Path file) throws IOException {
      out = Files.newBufferedWriter(file, StandardCharsets.UTF_8);
      json = JSON.getFactory().createGenerator(out);
    }

    void write(JsonNode id, float[] vector) throws IOException {
      json.writeStartObject();
      json.writeFieldName("id");
      json.writeTree(id);
      json.writeFieldName("embedding");
      json.writeStartArray();
      for (float f : vector) {
        json.writeNumber(f);
      }
      json.writeEndArray();
      json.writeEndObject();
      json.writeRaw('\n');
    }

    @Override
    public void close() throws IOException {
      json.close();
      out.close();
    }
  }
}
