package dev.embed4j.samples.ingest;

import static org.assertj.core.api.Assertions.assertThat;

import dev.embed4j.emulator.EmbeddingEmulator;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The sample in a child JVM, killed (SIGKILL) in the middle of a run and started again with the
 * same cache and output: in total the provider bills the tokens of each unique text exactly once,
 * and the output holds every id once, in input order, with its own vector.
 *
 * <p>The first run talks to an emulator that answers after 3 s, one request at a time; it is killed
 * while its second request waits there, and that emulator is then closed, which abandons the
 * waiting reply unbilled (as a provider whose reply never arrived bills nothing we could have
 * cached). The second run talks to another emulator; the test adds up both bills.
 */
class KillRestartTest {
  private static final int LINES = 300;
  private static final int UNIQUE = 240;

  @TempDir Path dir;

  @Test
  void killedMidRunAndStartedAgain_paysEachUniqueTextOnce_andWritesEveryIdOnce() throws Exception {
    Path input = dir.resolve("chunks.jsonl");
    Map<String, String> textOfId = new LinkedHashMap<>();
    List<String> lines = new ArrayList<>();
    for (int i = 0; i < LINES; i++) {
      String id = "doc-" + i;
      String text =
          "Chunk " + (i % UNIQUE) + " of the corpus, about topic " + (i % UNIQUE) % 7 + ".";
      textOfId.put(id, text);
      lines.add("{\"id\": \"" + id + "\", \"text\": \"" + text + "\"}");
    }
    Files.write(input, lines);
    Path output = dir.resolve("vectors.jsonl");
    long uniqueTokens =
        new LinkedHashSet<>(textOfId.values())
            .stream().mapToLong(EmbeddingEmulator::expectedTokens).sum();

    long billedBeforeKill;
    try (EmbeddingEmulator slow =
        EmbeddingEmulator.builder().latency(Duration.ofSeconds(3)).start()) {
      Process first = start(slow, input, output, "first");
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
      while (slow.stats().requests() < 2) {
        assertThat(first.isAlive()).as("the first run ended before it was killed").isTrue();
        assertThat(System.nanoTime())
            .as("the first run sent no second request")
            .isLessThan(deadline);
        Thread.sleep(20);
      }
      Thread.sleep(1000); // the first reply is in the cache long before; the second still waits
      first.destroyForcibly();
      assertThat(first.waitFor(30, TimeUnit.SECONDS)).isTrue();
      slow.close();
      billedBeforeKill = slow.stats().tokensBilled();
    }
    assertThat(billedBeforeKill).isPositive().isLessThan(uniqueTokens);
    assertThat(output).doesNotExist();

    try (EmbeddingEmulator fast = EmbeddingEmulator.builder().start()) {
      Process second = start(fast, input, output, "second");
      assertThat(second.waitFor(120, TimeUnit.SECONDS)).as("the second run finished").isTrue();
      assertThat(second.exitValue()).as(log("second")).isZero();
      assertThat(billedBeforeKill + fast.stats().tokensBilled())
          .as("tokens billed over both runs")
          .isEqualTo(uniqueTokens);
    }
    assertThat(IngestTest.idsWithRightVectors(output, textOfId))
        .containsExactlyElementsOf(textOfId.keySet());
    assertThat(Files.readString(dir.resolve("second.out")))
        .contains("Wrote " + LINES + " vectors (");
  }

  private Process start(EmbeddingEmulator emulator, Path input, Path output, String name)
      throws Exception {
    ProcessBuilder pb =
        new ProcessBuilder(
            Path.of(System.getProperty("java.home"), "bin", "java").toString(),
            "-Xmx256m",
            "-cp",
            System.getProperty("java.class.path"),
            Ingest.class.getName(),
            "--input",
            input.toString(),
            "--output",
            output.toString(),
            "--cache",
            dir.resolve("cache").toString(),
            "--model",
            IngestTest.MODEL,
            "--concurrency",
            "1");
    pb.environment().put("OPENAI_API_KEY", "sk-sample");
    pb.environment().put("OPENAI_BASE_URL", emulator.baseUrl());
    pb.redirectOutput(dir.resolve(name + ".out").toFile());
    pb.redirectError(dir.resolve(name + ".err").toFile());
    return pb.start();
  }

  private String log(String name) {
    try {
      return Files.readString(dir.resolve(name + ".out"), StandardCharsets.UTF_8)
          + Files.readString(dir.resolve(name + ".err"), StandardCharsets.UTF_8);
    } catch (java.io.IOException e) {
      return e.toString();
    }
  }
}
