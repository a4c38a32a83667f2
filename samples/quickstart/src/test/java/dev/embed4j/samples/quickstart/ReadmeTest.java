package dev.embed4j.samples.quickstart;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * Keeps the README true: every Java snippet in it stands, verbatim up to white space, in a source
 * file that the build compiles (and in most cases runs), and CI runs the README's test command.
 */
class ReadmeTest {
  private static final Path ROOT = Path.of("../..").toAbsolutePath().normalize();
  private static final Pattern JAVA_BLOCK = Pattern.compile("```java\\n(.*?)```", Pattern.DOTALL);
  private static final Pattern XML_BLOCK = Pattern.compile("```xml\\n(.*?)```", Pattern.DOTALL);
  private static final Pattern DEPENDENCY =
      Pattern.compile("<dependency>(.*?)</dependency>", Pattern.DOTALL);

  @Test
  void everyJavaSnippetIsCompiledSource() throws IOException {
    String readme = Files.readString(ROOT.resolve("README.md"));
    List<String> snippets = new ArrayList<>();
    Matcher m = JAVA_BLOCK.matcher(readme);
    while (m.find()) {
      snippets.add(normalize(m.group(1)));
    }
    assertThat(snippets).as("the README has Java snippets").hasSizeGreaterThanOrEqualTo(4);
    List<String> sources;
    try (Stream<Path> files = Files.walk(ROOT)) {
      sources =
          files
              .filter(p -> p.toString().endsWith(".java"))
              .filter(p -> p.toString().contains("/src/") && !p.toString().contains("/target/"))
              .map(ReadmeTest::read)
              .map(ReadmeTest::normalize)
              .collect(Collectors.toList());
    }
    for (String snippet : snippets) {
      assertThat(sources.stream().anyMatch(s -> s.contains(snippet)))
          .as("README snippet is in a compiled source file:%n%s", snippet)
          .isTrue();
    }
  }

  @Test
  void dependencySnippetsImportTheBom_andNameOnlyModulesItManages() throws IOException {
    String readme = Files.readString(ROOT.resolve("README.md"));
    String bom = Files.readString(ROOT.resolve("embed4j-bom/pom.xml"));
    String rootPom = Files.readString(ROOT.resolve("pom.xml"));
    String version =
        tag(rootPom.substring(rootPom.indexOf("<artifactId>embed4j-parent")), "version");
    int imports = 0;
    int modules = 0;
    Matcher block = XML_BLOCK.matcher(readme);
    while (block.find()) {
      Matcher dependency = DEPENDENCY.matcher(block.group(1));
      while (dependency.find()) {
        String d = dependency.group(1);
        if (!"dev.embed4j".equals(tag(d, "groupId"))) {
          continue;
        }
        String artifact = tag(d, "artifactId");
        if (artifact.equals("embed4j-bom")) {
          imports++;
          assertThat(d).contains("<type>pom</type>").contains("<scope>import</scope>");
          assertThat(tag(d, "version")).as("the BOM's version in the README").isEqualTo(version);
        } else {
          modules++;
          assertThat(d)
              .as("%s takes its version from the BOM", artifact)
              .doesNotContain("<version>");
          assertThat(bom)
              .as("the BOM manages %s", artifact)
              .contains("<artifactId>" + artifact + "</artifactId>");
        }
      }
    }
    assertThat(imports).as("the README imports the BOM").isPositive();
    assertThat(modules).isPositive();
  }

  @Test
  void ciRunsTheReadmesTestCommand() throws IOException {
    String readme = Files.readString(ROOT.resolve("README.md"));
    String ci = Files.readString(ROOT.resolve(".ci/run"));
    String command =
        ci.lines().map(String::strip).filter(l -> l.startsWith("mvn ")).findFirst().orElseThrow();
    assertThat(readme).contains("\n" + command + "\n");
  }

  /** The text of the first {@code <name>} element in {@code xml}, or null. */
  private static String tag(String xml, String name) {
    Matcher m = Pattern.compile("<" + name + ">\\s*([^<]*?)\\s*</" + name + ">").matcher(xml);
    return m.find() ? m.group(1) : null;
  }

  private static String read(Path p) {
    try {
      return Files.readString(p, StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /**
   * Without white space: the formatter breaks lines for 100 columns and the README for reading, so
   * a snippet and its source may differ in line breaks and indentation, never in a token.
   */
  private static String normalize(String s) {
    return s.replaceAll("\\s+", "");
  }
}
