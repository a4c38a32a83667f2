package dev.embed4j.samples.springai;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

class DocumentFolderTest {

  @Test
  void relativeFolder_isReadWithSourcesRelativeToIt() throws Exception {
    Path folder = Path.of("target", "document-folder-test");
    Files.createDirectories(folder.resolve("sub"));
    Files.writeString(folder.resolve("sub").resolve("a.md"), "# A\n\nSome text.");

    assertThat(DocumentFolder.read(folder))
        .singleElement()
        .satisfies(d -> assertThat(d.getMetadata()).containsEntry("source", "sub/a.md"));
  }
}
