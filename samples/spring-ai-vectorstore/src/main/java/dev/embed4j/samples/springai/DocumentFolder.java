package dev.embed4j.samples.springai;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Stream;
import org.springframework.ai.document.Document;

/**
 * Reads the text files to index: a given file or folder, or the repository's README.md and docs/.
 */
final class DocumentFolder {
  private static final List<String> EXTENSIONS =
      List.of(".md", ".markdown", ".txt", ".adoc", ".rst");

  private DocumentFolder() {}

  /**
   * One document per file, with its path relative to the folder it was found in as {@code source}
   * metadata.
   */
  static List<Document> read(Path docs) {
    List<Path> roots = docs != null ? List.of(docs) : defaultRoots();
    List<Document> documents = new ArrayList<>();
    for (Path root : roots) {
      if (!Files.exists(root)) {
        throw new IllegalArgumentException("--docs=" + root + " does not exist");
      }
      Path base =
          Files.isDirectory(root) ? root.toAbsolutePath() : root.toAbsolutePath().getParent();
      for (Path file : files(root)) {
        String text = readString(file);
        if (!text.isBlank()) {
          documents.add(
              new Document(
                  text, Map.of("source", base.relativize(file.toAbsolutePath()).toString())));
        }
      }
    }
    if (documents.isEmpty()) {
      throw new IllegalArgumentException(
          "No text documents ("
              + String.join(", ", EXTENSIONS)
              + ") found in "
              + roots
              + ". Pass --docs=PATH with a file or folder to index.");
    }
    return documents;
  }

  /** README.md and docs/ of the repository this is run from. */
  private static List<Path> defaultRoots() {
    Path root = repositoryRoot();
    List<Path> roots = new ArrayList<>();
    for (Path candidate : List.of(root.resolve("README.md"), root.resolve("docs"))) {
      if (Files.exists(candidate)) {
        roots.add(candidate);
      }
    }
    if (roots.isEmpty()) {
      throw new IllegalArgumentException(
          "The repository at "
              + root
              + " has no README.md or docs/ folder. "
              + "Pass --docs=PATH with a file or folder to index.");
    }
    return roots;
  }

  /** The nearest directory, from the working directory up, whose pom.xml is embed4j-parent's. */
  private static Path repositoryRoot() {
    for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
      Path pom = dir.resolve("pom.xml");
      if (Files.isRegularFile(pom)
          && readString(pom).contains("<artifactId>embed4j-parent</artifactId>")) {
        return dir;
      }
    }
    throw new IllegalArgumentException(
        "Not inside the Embed4j repository (no pom.xml of embed4j-parent above "
            + Path.of("").toAbsolutePath()
            + "). Pass --docs=PATH with a file or folder to index.");
  }

  private static List<Path> files(Path root) {
    if (!Files.isDirectory(root)) {
      return List.of(root.toAbsolutePath());
    }
    try (Stream<Path> walk = Files.walk(root)) {
      return walk.filter(Files::isRegularFile)
          .filter(DocumentFolder::isText)
          .map(Path::toAbsolutePath)
          .sorted()
          .toList();
    } catch (IOException e) {
      throw new UncheckedIOException("Could not list " + root, e);
    }
  }

  private static boolean isText(Path file) {
    String name = file.getFileName().toString().toLowerCase(Locale.ROOT);
    return EXTENSIONS.stream().anyMatch(name::endsWith);
  }

  private static String readString(Path file) {
    try {
      return Files.readString(file, StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException("Could not read " + file, e);
    }
  }
}
