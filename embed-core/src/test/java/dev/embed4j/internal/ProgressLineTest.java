package dev.embed4j.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigDecimal;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The progress line: speed, dollars, savings, and an ETA only when the total is known. */
class ProgressLineTest {

  private static BatchResult batch(String runId, int size, long tokens) {
    Input[] inputs = new Input[size];
    for (int i = 0; i < size; i++) {
      inputs[i] = new Input(i, "t", "t", "t", 1, 1);
    }
    return BatchResult.succeeded(
        runId,
        "openai:m",
        new Batch(0, inputs, tokens, tokens),
        List.of(),
        tokens,
        new BigDecimal("0.000120"),
        new BatchResult.Attempts(2, 1, 1),
        Duration.ofMillis(5));
  }

  @Test
  void aListRunShowsSpeedCostSavingsAndAnEta() {
    ProgressReporter reporter = new ProgressReporter(false);
    reporter.runStarted("r1", new Estimate("openai:m", 100, 2, 500, true, BigDecimal.ONE));
    reporter.batchSucceeded(batch("r1", 10, 6000));
    reporter.inputsReused("r1", "openai:m", 5, 3, 2400, new BigDecimal("0.000048"));

    String line = reporter.line("r1");

    assertThat(line)
        .matches(
            "\\d+ texts/s \\| \\$0\\.000120 \\| 6000 tok \\| saved 2400 tok \\$0\\.000048"
                + " \\| 1 retry \\(1 rate-limited\\) \\| ETA .+");
  }

  @Test
  void aStreamOfUnknownLengthHasNoEta() {
    ProgressReporter reporter = new ProgressReporter(false);
    reporter.runStarted("r2", new Estimate("openai:m", -1, 0, 0, false, BigDecimal.ZERO));
    reporter.batchSucceeded(batch("r2", 10, 60));

    assertThat(reporter.line("r2")).doesNotContain("ETA").contains("texts/s");
  }
}
