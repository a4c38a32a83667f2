package dev.embed4j.samples.ingest;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.embed4j.emulator.EmbeddingEmulator;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class IngestTest {
  static final String MODEL = "text-embedding-3-small";
  private static final ObjectMapper JSON = new ObjectMapper();

  @TempDir Path dir;
  private EmbeddingEmulator emulator;
  private final ByteArrayOutputStream out = new ByteArrayOutputStream();
  private final ByteArrayOutputStream err = new ByteArrayOutputStream();

  @BeforeEach
  void start() {
    emulator = EmbeddingEmulator.builder().start();
  }

  @AfterEach
  void stop() {
    emulator.close();
  }

  private int run(String... args) {
    out.reset();
    err.reset();
    Map<String, String> env =
        Map.of("OPENAI_API_KEY", "sk-sample", "OPENAI_BASE_URL", emulator.baseUrl());
    return Ingest.run(
        args,
        env::get,
        new PrintStream(out, true, StandardCharsets.UTF_8),
        new PrintStream(err, true, StandardCharsets.UTF_8));
  }

  /** Reads the output, checking every vector against the emulator's; returns the ids in order. */
  static List<String> idsWithRightVectors(Path output, Map<String, String> textOfId)
      throws IOException {
    List<String> ids = new ArrayList<>();
    for (String line : Files.readAllLines(output)) {
      JsonNode node = JSON.readTree(line);
      String id = node.get("id").asText();
      float[] expected = EmbeddingEmulator.expectedVector(MODEL, null, textOfId.get(id));
      JsonNode embedding = node.get("embedding");
      assertThat(embedding.size()).as("id %s", id).isEqualTo(expected.length);
      for (int i = 0; i < expected.length; i++) {
        if (embedding.get(i).floatValue() != expected[i]) {
          throw new AssertionError("id " + id + ": component " + i + " is not the emulator's");
        }
      }
      ids.add(id);
    }
    return ids;
  }

  @Test
  void embedsInInputOrder_reportsBadLinesByNumber_andASecondRunPaysNothing() throws Exception {
    Path input = dir.resolve("in.jsonl");
    Files.write(
        input,
        List.of(
            "{\"id\": \"a\", \"text\": \"the first text\"}",
            "{\"id\": 7, \"text\": \"the second text\", \"source\": \"kept out of the output\"}",
            "{\"id\": \"broken\", \"text\": ",
            "{\"id\": \"c\", \"text\": \"the first text\"}",
            "{\"id\": \"d\"}",
            "",
            "[1, 2]",
            "{\"id\": \"e\", \"text\": \"   \"}",
            "{\"id\": \"f\", \"text\": \"the third text\"}"));
    Path output = dir.resolve("out.jsonl");
    String[] args = {
      "--input",
      input.toString(),
      "--output",
      output.toString(),
      "--cache",
      dir.resolve("c").toString(),
      "--model",
      MODEL,
      "--concurrency",
      "4"
    };

    assertThat(run(args)).as(err.toString(StandardCharsets.UTF_8)).isZero();

    Map<String, String> texts =
        Map.of(
            "a",
            "the first text",
            "7",
            "the second text",
            "c",
            "the first text",
            "f",
            "the third text");
    assertThat(idsWithRightVectors(output, texts)).containsExactly("a", "7", "c", "f");
    assertThat(err.toString(StandardCharsets.UTF_8))
        .contains("line 3: not valid JSON (")
        .contains("line 5: no \"text\" string (id \"d\"), skipped")
        .contains("line 6: empty, skipped")
        .contains("line 7: not a JSON object, skipped")
        .contains("line 8 (id \"e\"): ")
        .doesNotContain("line 1")
        .doesNotContain("line 9");
    assertThat(out.toString(StandardCharsets.UTF_8))
        .contains(
            "Wrote 4 vectors (0 from the cache, 1 duplicates), 5 lines skipped, 0 not embedded to "
                + output);
    long unique =
        new LinkedHashSet<>(texts.values())
            .stream().mapToLong(EmbeddingEmulator::expectedTokens).sum();
    assertThat(emulator.stats().tokensBilled()).isEqualTo(unique);
    assertThat(dir.resolve("out.jsonl.partial")).doesNotExist();

    byte[] first = Files.readAllBytes(output);
    assertThat(run(args)).isZero();
    assertThat(emulator.stats().tokensBilled())
        .as("nothing billed the second time")
        .isEqualTo(unique);
    assertThat(Files.readAllBytes(output)).isEqualTo(first);
    assertThat(out.toString(StandardCharsets.UTF_8))
        .contains("Wrote 4 vectors (4 from the cache, 0 duplicates)");
  }

  @Test
  void wrongFlags_sayWhatIsWrong() {
    assertThat(run("--input", "x.jsonl")).isEqualTo(2);
    assertThat(err.toString(StandardCharsets.UTF_8))
        .contains("--input and --output are required")
        .contains(Ingest.USAGE);
    assertThat(run("--input", "x", "--output", "y", "--concurrency", "many")).isEqualTo(2);
    assertThat(err.toString(StandardCharsets.UTF_8))
        .contains("--concurrency needs a number, not 'many'");
    assertThat(run("--input", dir.resolve("none.jsonl").toString(), "--output", "y")).isEqualTo(2);
    assertThat(err.toString(StandardCharsets.UTF_8)).contains("No such file: ");
  }

  @Test
  void withoutAKey_itSaysWhereToSetOne() throws Exception {
    Path input = dir.resolve("in.jsonl");
    Files.writeString(input, "{\"id\": 1, \"text\": \"x\"}\n");
    int code =
        Ingest.run(
            new String[] {
              "--input",
              input.toString(),
              "--output",
              dir.resolve("o").toString(),
              "--cache",
              dir.resolve("c").toString()
            },
            name -> null,
            new PrintStream(out, true, StandardCharsets.UTF_8),
            new PrintStream(err, true, StandardCharsets.UTF_8));
    assertThat(code).isEqualTo(2);
    assertThat(err.toString(StandardCharsets.UTF_8)).contains("OPENAI_API_KEY");
  }
}
