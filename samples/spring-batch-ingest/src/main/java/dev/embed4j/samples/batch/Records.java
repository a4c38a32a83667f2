package dev.embed4j.samples.batch;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.stream.Stream;
import org.springframework.ai.document.Document;

/**
 * The input, as records numbered from 0: the lines of a JSONL file ({@code {"id": "...", "text":
 * "..."}}, other fields become metadata), or the files of a folder (sorted by path; the id is the
 * relative path). Numbering is stable, so a partition is a range and a restart resumes in it.
 */
final class Records {
  private static final ObjectMapper JSON = new ObjectMapper();

  private final Path input;
  private final List<Path> files; // null for JSONL
  private final int size;

  private Records(Path input, List<Path> files, int size) {
    this.input = input;
    this.files = files;
    this.size = size;
  }

  static Records of(Path input) {
    try {
      if (Files.isDirectory(input)) {
        List<Path> files;
        try (Stream<Path> walk = Files.walk(input)) {
          files = walk.filter(Files::isRegularFile).sorted().toList();
        }
        return new Records(input, files, files.size());
      }
      if (!Files.isRegularFile(input)) {
        throw new IllegalArgumentException(
            "ingest.input " + input + " is neither a folder nor a JSONL file");
      }
      int lines;
      try (Stream<String> all = Files.lines(input, StandardCharsets.UTF_8)) {
        lines = (int) all.count();
      }
      return new Records(input, null, lines);
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot read ingest.input " + input, e);
    }
  }

  int size() {
    return size;
  }

  /** Records {@code start} (inclusive) onwards; close it when done. */
  Cursor from(int start) throws IOException {
    return files != null ? new FileCursor(start) : new LineCursor(start);
  }

  /** Reads records one by one. */
  interface Cursor extends Iterator<Document>, AutoCloseable {
    @Override
    void close() throws IOException;
  }

  private final class FileCursor implements Cursor {
    private int next;

    FileCursor(int start) {
      this.next = start;
    }

    @Override
    public boolean hasNext() {
      return next < files.size();
    }

    @Override
    public Document next() {
      if (!hasNext()) {
        throw new NoSuchElementException();
      }
      Path file = files.get(next++);
      try {
        String id = input.relativize(file).toString();
        return new Document(id, Files.readString(file), Map.of("source", id));
      } catch (IOException e) {
        throw new UncheckedIOException("Cannot read " + file, e);
      }
    }

    @Override
    public void close() {}
  }

  private final class LineCursor implements Cursor {
    private final BufferedReader lines;
    private int lineNumber;
    private String line;

    LineCursor(int start) throws IOException {
      this.lines = Files.newBufferedReader(input, StandardCharsets.UTF_8);
      for (int i = 0; i < start && lines.readLine() != null; i++) {
        lineNumber++;
      }
      line = lines.readLine();
    }

    @Override
    public boolean hasNext() {
      return line != null;
    }

    @Override
    public Document next() {
      if (line == null) {
        throw new NoSuchElementException();
      }
      String current = line;
      int number = ++lineNumber;
      try {
        line = lines.readLine();
        JsonNode node = JSON.readTree(current);
        JsonNode id = node.get("id");
        JsonNode text = node.get("text");
        if (id == null || text == null || !text.isTextual()) {
          throw new IllegalArgumentException(
              input + " line " + number + ": expected {\"id\": ..., \"text\": \"...\"}");
        }
        Map<String, Object> metadata = new java.util.LinkedHashMap<>();
        node.fields()
            .forEachRemaining(
                f -> {
                  if (!f.getKey().equals("id") && !f.getKey().equals("text")) {
                    metadata.put(f.getKey(), f.getValue().asText());
                  }
                });
        return new Document(id.asText(), text.asText(), metadata);
      } catch (IOException e) {
        throw new UncheckedIOException(input + " line " + number + " is not JSON", e);
      }
    }

    @Override
    public void close() throws IOException {
      lines.close();
    }
  }
}
