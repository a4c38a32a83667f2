package dev.embed4j.samples.pgvector;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Stream;
import org.springframework.ai.document.Document;
import org.springframework.ai.transformer.splitter.TokenTextSplitter;

/**
 * The chunks to index: the text files of the given paths, split into chunks of about 256 tokens,
 * each with its file as {@code source} and an id derived from file and position, so a second run
 * updates the rows of the first instead of adding copies.
 */
final class Documents {
  private static final List<String> EXTENSIONS = List.of(".md", ".txt", ".adoc", ".rst");

  private Documents() {}

  static List<Document> chunks(List<Path> paths) {
    List<Document> files = new ArrayList<>();
    for (Path given : paths) {
      Path path = given.toAbsolutePath();
      if (!Files.exists(path)) {
        throw new IllegalArgumentException(path + " does not exist.");
      }
      Path base = Files.isDirectory(path) ? path : path.getParent();
      for (Path file : files(path)) {
        String text = read(file);
        if (!text.isBlank()) {
          files.add(new Document(text, Map.of("source", base.relativize(file).toString())));
        }
      }
    }
    if (files.isEmpty()) {
      throw new IllegalArgumentException("No text files (" + EXTENSIONS + ") in " + paths + ".");
    }
    List<Document> chunks = TokenTextSplitter.builder().withChunkSize(256).build().apply(files);
    List<Document> withIds = new ArrayList<>(chunks.size());
    for (int i = 0; i < chunks.size(); i++) {
      Document chunk = chunks.get(i);
      String key = chunk.getMetadata().get("source") + "#" + i;
      withIds.add(
          Document.builder()
              .id(UUID.nameUUIDFromBytes(key.getBytes(StandardCharsets.UTF_8)).toString())
              .text(chunk.getText())
              .metadata(chunk.getMetadata())
              .build());
    }
    return withIds;
  }

  private static List<Path> files(Path path) {
    if (!Files.isDirectory(path)) {
      return List.of(path);
    }
    try (Stream<Path> walk = Files.walk(path)) {
      return walk.filter(Files::isRegularFile)
          .filter(f -> EXTENSIONS.stream().anyMatch(lower(f)::endsWith))
          .sorted()
          .toList();
    } catch (IOException e) {
      throw new UncheckedIOException("Could not list " + path, e);
    }
  }

  private static String lower(Path file) {
    return file.getFileName().toString().toLowerCase(Locale.ROOT);
  }

  private static String read(Path file) {
    try {
      return Files.readString(file, StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException("Could not read " + file, e);
    }
  }
}
