package dev.embed4j;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.File;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * 200,000 texts of 1536-dimension vectors (1.2 GB of floats) streamed in a child JVM capped at 256
 * MiB of heap, with the emulator in the same child: it completes, in input order, every position
 * once. Under {@code embed(List)} the vectors alone would need five times that heap.
 */
class StreamingMemoryTest {

  @Test
  void twoHundredThousandTextsStreamUnderA256MiBHeap() throws Exception {
    String java =
        System.getProperty("java.home") + File.separator + "bin" + File.separator + "java";
    Process child =
        new ProcessBuilder(
                java,
                "-Xmx256m",
                "-XX:+ExitOnOutOfMemoryError",
                "-Dorg.slf4j.simpleLogger.defaultLogLevel=warn",
                "-cp",
                System.getProperty("java.class.path"),
                StreamMemoryMain.class.getName(),
                "200000")
            .redirectErrorStream(true)
            .start();
    boolean ended = child.waitFor(5, TimeUnit.MINUTES);
    if (!ended) {
      child.destroyForcibly();
    }
    String out = new String(child.getInputStream().readAllBytes(), StandardCharsets.UTF_8);

    System.out.println("StreamingMemoryTest child: " + out.trim());
    assertThat(ended).as("child finished").isTrue();
    assertThat(child.exitValue()).as(out).isZero();
    assertThat(out).contains("delivered=200000 wrong=0 complete=true");
    String tokens = out.replaceAll("(?s).*tokens=(\\d+) billed=(\\d+).*", "$1 $2");
    assertThat(tokens.split(" ")[0])
        .as("billed as the emulator counted")
        .isEqualTo(tokens.split(" ")[1]);
  }
}
