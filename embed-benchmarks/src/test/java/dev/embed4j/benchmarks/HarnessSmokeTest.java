package dev.embed4j.benchmarks;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The harness end to end on a small scale, so that it cannot rot: no timing is asserted. */
class HarnessSmokeTest {

  @Test
  void everyClientGetsEveryVectorInOrder() throws Exception {
    ByteArrayOutputStream report = new ByteArrayOutputStream();
    Harness.Options options =
        Harness.parse(
            new String[] {
              "--texts",
              "500",
              "--latency-ms",
              "5",
              "--warmup",
              "50",
              "--clients",
              "embed4j,langchain4j,springai",
              "--in-process-emulator"
            });

    List<Harness.Result> results =
        Harness.run(options, new PrintStream(report, true, StandardCharsets.UTF_8));

    assertThat(results)
        .extracting(Harness.Result::client)
        .satisfiesExactly(
            c -> assertThat(c).startsWith("Embed4j"),
            c -> assertThat(c).startsWith("LangChain4j"),
            c -> assertThat(c).startsWith("Spring AI"));
    assertThat(results)
        .allSatisfy(
            r -> {
              assertThat(r.failure()).as(r.client()).isNull();
              assertThat(r.vectors()).as(r.client()).isEqualTo(500);
              assertThat(r.matched()).as(r.client()).isEqualTo(500);
              assertThat(r.server().requests()).as(r.client()).isPositive();
            });
    assertThat(results.get(0).server().requests()).isEqualTo(8); // ceil(500 / 64)
    assertThat(report.toString(StandardCharsets.UTF_8))
        .contains("| client | wall time |", "all 500/500");
  }

  @Test
  void limiterFlags_andWhatTheLimitAllows() {
    Harness.Options o =
        Harness.parse(
            new String[] {
              "--tpm",
              "1000",
              "--latency-ms",
              "100",
              "--limiter",
              "fixed-window",
              "--no-rate-limit-headers",
              "--max-retry-after-ms",
              "2000"
            });
    assertThat(o.limiter()).isEqualTo(dev.embed4j.emulator.LimiterShape.FIXED_WINDOW);
    assertThat(o.rateLimitHeaders()).isFalse();
    assertThat(o.maxRetryAfterMs()).isEqualTo(2000);
    // 3,500 tokens under 1,000 a minute: three whole minutes in windows, 2.5 in a bucket
    assertThat(LimiterTable.allowedSeconds(o, 3_500)).isEqualTo(180.1);
    assertThat(
            LimiterTable.allowedSeconds(
                o.limiter(dev.embed4j.emulator.LimiterShape.TOKEN_BUCKET, true), 3_500))
        .isEqualTo(150.1);
  }

  @Test
  void sweepWritesCsvAndChart(@TempDir Path dir) throws Exception {
    Path csv = dir.resolve("sweep.csv");
    Path png = dir.resolve("throughput.png");
    Harness.Options options =
        Harness.parse(
            new String[] {
              "--texts",
              "300",
              "--latency-ms",
              "5",
              "--warmup",
              "50",
              "--clients",
              "embed4j",
              "--sweep-concurrency",
              "1,4",
              "--csv",
              csv.toString(),
              "--chart",
              png.toString(),
              "--in-process-emulator"
            });

    List<Harness.Result> results =
        Harness.run(
            options, new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8));

    assertThat(results).extracting(Harness.Result::concurrency).containsExactly(1, 4);
    assertThat(results).allMatch(Harness.Result::allMatched);
    assertThat(Files.readAllLines(csv)).hasSize(3).first().asString().startsWith("client,");
    assertThat(ImageIO.read(png.toFile()).getWidth()).isPositive();
  }

  @Test
  void textsAreDeterministicAndWithinTheirTokenRange() {
    assertThat(Texts.chunks(3)).containsExactly(Texts.chunk(0), Texts.chunk(1), Texts.chunk(2));
    assertThat(Texts.chunks(200))
        .doesNotHaveDuplicates()
        .allSatisfy(
            t ->
                assertThat(dev.embed4j.emulator.EmbeddingEmulator.expectedTokens(t))
                    .isBetween(Texts.MIN_TOKENS, Texts.MAX_TOKENS));
  }
}
