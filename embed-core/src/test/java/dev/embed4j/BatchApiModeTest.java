package dev.embed4j;

import static org.assertj.core.api.Assertions.assertThat;

import dev.embed4j.emulator.EmbeddingEmulator;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@link RunMode#BATCH_API} end to end against the emulator's files and batches endpoints, on
 * accelerated time: an emulated hour passes in a tenth of a second.
 */
class BatchApiModeTest {
  private static final String MODEL = "text-embedding-3-small";
  private final List<AutoCloseable> closing = new ArrayList<>();
  private final List<String> statuses = Collections.synchronizedList(new ArrayList<>());
  private final CountDownLatch inProgress = new CountDownLatch(1);

  @TempDir Path stateDir;

  @AfterEach
  void close() throws Exception {
    for (int i = closing.size() - 1; i >= 0; i--) {
      closing.get(i).close();
    }
  }

  private EmbeddingEmulator emulator(EmbeddingEmulator.Builder b) {
    return emulator(b, 36_000);
  }

  private EmbeddingEmulator emulator(EmbeddingEmulator.Builder b, double scale) {
    EmbeddingEmulator emu = b.batchTimeScale(scale).start();
    closing.add(emu);
    return emu;
  }

  private Embedder.Builder builder(EmbeddingEmulator emu) {
    return Embedder.builder()
        .model(MODEL)
        .apiKey("sk-emulator")
        .baseUrl(emu.baseUrl())
        .mode(RunMode.BATCH_API)
        .batchSize(16)
        .batchPollInterval(Duration.ofMillis(10))
        .batchMaxPollInterval(Duration.ofMillis(40))
        .initialBackoff(Duration.ofMillis(10))
        .listener(
            new EmbedListener() {
              @Override
              public void batchJobUpdated(
                  String runId, String jobId, String status, int done, int failed, int total) {
                statuses.add(status);
                if (status.equals("in_progress")) {
                  inProgress.countDown();
                }
              }
            });
  }

  private Embedder build(Embedder.Builder b) {
    Embedder e = b.build();
    closing.add(e);
    return e;
  }

  static List<String> texts(int n) {
    return IntStream.range(0, n).mapToObj(i -> "Backfill chunk " + i + " of the archive.").toList();
  }

  private static void assertVectorsOf(EmbeddingRun run) {
    for (int i = 0; i < run.size(); i++) {
      if (run.isEmbedded(i)) {
        assertThat(run.vector(i))
            .as("vector of input %d", i)
            .containsExactly(EmbeddingEmulator.expectedVector(MODEL, null, run.texts().get(i)));
      }
    }
  }

  @Test
  void outOfOrderLinesLandAtTheirIndexPricedAtTheBatchRateTheEmulatorBilled() {
    EmbeddingEmulator emu =
        emulator(
            EmbeddingEmulator.builder()
                .shuffleOrder(true)
                .batchStepwise(true)
                .batchTimes(Duration.ofHours(1), Duration.ofHours(2), Duration.ofHours(1)));
    Embedder embedder = build(builder(emu));
    List<String> texts = texts(500);

    EmbeddingRun run = embedder.embed(texts);

    assertThat(run.isComplete()).isTrue();
    assertVectorsOf(run);
    assertThat(run.batches()).hasSize(32);
    assertThat(emu.stats().filesUploaded()).isEqualTo(1);
    assertThat(emu.stats().batchesCreated()).isEqualTo(1);
    assertThat(emu.stats().requests(200)).isGreaterThan(0);
    assertThat(emu.stats().tokensBilled()).as("nothing went to the realtime endpoint").isZero();
    assertThat(run.tokens()).isEqualTo(emu.stats().batchTokensBilled());
    assertThat(run.cost()).isEqualByComparingTo(emu.stats().batchDollarsBilled());
    assertThat(run.cost())
        .isEqualByComparingTo(
            new BigDecimal("0.01").multiply(BigDecimal.valueOf(run.tokens())).movePointLeft(6));
    assertThat(embedder.totalCost()).isEqualByComparingTo(run.cost());
    assertThat(embedder.estimate(texts).cost())
        .as("the dry run prices at the batch rate")
        .isEqualByComparingTo(run.cost());
    assertThat(statuses)
        .containsSubsequence("validating", "in_progress", "finalizing", "completed");
  }

  @Test
  void theEnqueuedTokenLimitSplitsTheRunIntoJobsSubmittedOneAfterAnother() {
    List<String> texts = texts(300);
    long total = texts.stream().mapToLong(EmbeddingEmulator::expectedTokens).sum();
    long limit = total / 3 + 50;
    EmbeddingEmulator emu =
        emulator(
            EmbeddingEmulator.builder()
                .batchEnqueuedTokenLimit(limit)
                .batchTimes(Duration.ofMinutes(10), Duration.ofHours(1), Duration.ofMinutes(10)));
    Embedder embedder = build(builder(emu).batchEnqueuedTokenLimit(limit));

    EmbeddingRun run = embedder.embed(texts);

    assertThat(run.isComplete()).isTrue();
    assertVectorsOf(run);
    assertThat(emu.stats().batchesCreated()).as("jobs within the limit").isGreaterThanOrEqualTo(3);
    assertThat(statuses).doesNotContain("failed");
    assertThat(run.cost()).isEqualByComparingTo(emu.stats().batchDollarsBilled());
  }

  @Test
  void failedLinesGoIntoANewJob() {
    EmbeddingEmulator emu =
        emulator(
            EmbeddingEmulator.builder()
                .batchFailingLines(3)
                .batchTimes(Duration.ofMinutes(10), Duration.ofHours(1), Duration.ofMinutes(10)));
    Embedder embedder = build(builder(emu));

    EmbeddingRun run = embedder.embed(texts(200));

    assertThat(run.isComplete()).isTrue();
    assertVectorsOf(run);
    assertThat(emu.stats().batchesCreated()).isEqualTo(2);
    assertThat(run.retries()).isEqualTo(3);
    assertThat(run.cost()).isEqualByComparingTo(emu.stats().batchDollarsBilled());
  }

  @Test
  void failedLinesCanBeRetriedInRealtimeAtTheRealtimePrice() {
    EmbeddingEmulator emu =
        emulator(
            EmbeddingEmulator.builder()
                .batchFailingLines(2)
                .batchTimes(Duration.ofMinutes(10), Duration.ofHours(1), Duration.ofMinutes(10)));
    Embedder embedder = build(builder(emu).batchRetryRealtime(true).showProgress(true));

    EmbeddingRun run = embedder.embed(texts(200));

    assertThat(run.isComplete()).isTrue();
    assertVectorsOf(run);
    assertThat(emu.stats().batchesCreated()).isEqualTo(1);
    assertThat(emu.stats().tokensBilled()).isPositive();
    BigDecimal realtime =
        new BigDecimal("0.02")
            .multiply(BigDecimal.valueOf(emu.stats().tokensBilled()))
            .movePointLeft(6);
    assertThat(run.cost()).isEqualByComparingTo(emu.stats().batchDollarsBilled().add(realtime));
  }

  @Test
  void anExpiredJobKeepsItsPartialOutputAndNamesWhatExpired() {
    EmbeddingEmulator emu =
        emulator(
            EmbeddingEmulator.builder()
                .batchTimes(Duration.ofMinutes(1), Duration.ofHours(48), Duration.ofMinutes(1)));
    Embedder embedder = build(builder(emu).maxAttempts(1));

    EmbeddingRun run = embedder.embed(texts(320));

    assertThat(statuses).contains("expired");
    assertThat(run.isComplete()).isFalse();
    assertThat(run.failedBatches()).isNotEmpty();
    assertThat(run.failedBatches().size()).isLessThan(run.batches().size());
    assertThat(run.failedBatches())
        .allSatisfy(
            b -> assertThat(b.error().orElseThrow().getMessage()).contains("batch_expired"));
    assertVectorsOf(run);
    assertThat(run.cost()).isEqualByComparingTo(emu.stats().batchDollarsBilled());
    assertThat(run.cost()).isPositive();
  }

  @Test
  void aJobThatFailsValidationFailsItsBatchesWithTheReason() {
    EmbeddingEmulator emu =
        emulator(
            EmbeddingEmulator.builder()
                .batchEnqueuedTokenLimit(100)
                .batchTimes(Duration.ofMinutes(10), Duration.ofHours(1), Duration.ofMinutes(10)));
    Embedder embedder = build(builder(emu));

    EmbeddingRun run = embedder.embed(texts(100));

    assertThat(statuses).containsSubsequence("validating", "failed");
    assertThat(statuses).doesNotContain("in_progress");
    assertThat(run.failedBatches()).hasSize(run.batches().size());
    assertThat(run.failedBatches().get(0).error().orElseThrow().getMessage())
        .contains("token_limit_exceeded")
        .contains("batchEnqueuedTokenLimit");
    assertThat(run.cost()).isEqualByComparingTo(BigDecimal.ZERO);
  }

  @Test
  void cancellingTheRunCancelsTheJob() throws Exception {
    EmbeddingEmulator emu =
        emulator(
            EmbeddingEmulator.builder()
                .batchStepwise(true)
                .batchTimes(Duration.ofMinutes(1), Duration.ofHours(20), Duration.ofMinutes(1)),
            3_600);
    Embedder embedder = build(builder(emu));
    CompletableFuture<EmbeddingRun> future = embedder.embedAsync(texts(100));
    assertThat(inProgress.await(10, TimeUnit.SECONDS)).isTrue();

    future.cancel(true);

    for (int i = 0; i < 500 && emu.stats().batchesCancelled() == 0; i++) {
      Thread.sleep(10);
    }
    assertThat(emu.stats().batchesCancelled()).isEqualTo(1);
    assertThat(future).isCancelled();
  }

  @Test
  void closingTheEmbedderWithoutAStateDirectoryCancelsTheJobNobodyCouldCollect() throws Exception {
    EmbeddingEmulator emu =
        emulator(
            EmbeddingEmulator.builder()
                .batchStepwise(true)
                .batchTimes(Duration.ofMinutes(1), Duration.ofHours(20), Duration.ofMinutes(1)),
            3_600);
    Embedder embedder = builder(emu).build();
    CompletableFuture<EmbeddingRun> future = embedder.embedAsync(texts(50));
    assertThat(inProgress.await(10, TimeUnit.SECONDS)).isTrue();

    embedder.close();

    assertThat(emu.stats().batchesCancelled()).isEqualTo(1);
    assertThat(future.get(10, TimeUnit.SECONDS).stopReason()).contains(StopReason.EMBEDDER_CLOSED);
  }

  @Test
  void aRunPastItsDeadlineCancelsItsJob() {
    EmbeddingEmulator emu =
        emulator(
            EmbeddingEmulator.builder()
                .batchTimes(Duration.ofMinutes(1), Duration.ofHours(20), Duration.ofMinutes(1)),
            3_600);
    Embedder embedder = build(builder(emu).runTimeout(Duration.ofMillis(500)));

    EmbeddingRun run = embedder.embed(texts(50));

    assertThat(run.stopReason()).contains(StopReason.DEADLINE_PASSED);
    assertThat(run.failedBatches()).hasSize(run.batches().size());
    assertThat(emu.stats().batchesCancelled()).isEqualTo(1);
    assertThat(statuses).contains("cancelling");
  }

  @Test
  void transientErrorsOfTheFilesAndBatchesEndpointsAreRetried() {
    EmbeddingEmulator emu =
        emulator(
            EmbeddingEmulator.builder()
                .batchTimes(Duration.ofMinutes(1), Duration.ofMinutes(30), Duration.ofMinutes(1)));
    String overloaded =
        "{\"error\":{\"message\":\"The server is overloaded.\",\"type\":\"server_error\","
            + "\"param\":null,\"code\":null}}";
    emu.failNext(3, 503, overloaded); // the upload: three times, then it goes through
    Embedder embedder = build(builder(emu));

    EmbeddingRun run = embedder.embed(texts(40));

    assertThat(run.isComplete()).isTrue();
    assertVectorsOf(run);
    assertThat(emu.stats().requests(503)).isEqualTo(3);
    assertThat(emu.stats().batchesCreated()).isEqualTo(1);
  }

  @Test
  void aNewEmbedderWithTheStateDirectoryCollectsTheJobAnOldOneSubmitted() throws Exception {
    EmbeddingEmulator emu =
        emulator(
            EmbeddingEmulator.builder()
                .shuffleOrder(true)
                .batchTimes(Duration.ofMinutes(1), Duration.ofHours(6), Duration.ofMinutes(1)));
    List<String> texts = texts(240);
    Embedder first = builder(emu).batchStateDirectory(stateDir).build();
    CompletableFuture<EmbeddingRun> abandoned = first.embedAsync(texts);
    assertThat(inProgress.await(10, TimeUnit.SECONDS)).isTrue();
    first.close(); // the JVM goes away: the job keeps running at OpenAI
    assertThat(abandoned.get(10, TimeUnit.SECONDS).stopReason())
        .contains(StopReason.EMBEDDER_CLOSED);
    List<Path> saved;
    try (var files = Files.list(stateDir)) {
      saved = files.collect(Collectors.toList());
    }
    assertThat(saved).hasSize(1);
    assertThat(Files.readString(saved.get(0))).contains("batch_");

    Embedder second =
        build(
            Embedder.builder()
                .model(MODEL)
                .apiKey("sk-emulator")
                .baseUrl(emu.baseUrl())
                .mode(RunMode.BATCH_API)
                .batchSize(16)
                .batchPollInterval(Duration.ofMillis(10))
                .batchMaxPollInterval(Duration.ofMillis(40))
                .batchStateDirectory(stateDir));
    EmbeddingRun run = second.embed(texts);

    assertThat(run.isComplete()).isTrue();
    assertVectorsOf(run);
    assertThat(emu.stats().filesUploaded()).as("nothing submitted twice").isEqualTo(1);
    assertThat(emu.stats().batchesCreated()).isEqualTo(1);
    assertThat(run.cost()).isEqualByComparingTo(emu.stats().batchDollarsBilled());
    try (var files = Files.list(stateDir)) {
      assertThat(files.count()).as("the state is deleted when the run ends").isZero();
    }
  }

  @Test
  void closingWhileAJobIsBeingCreatedKeepsThatJobInTheState() throws Exception {
    // Every reply waits 400 ms after the server acted: the close lands after the job exists at
    // the server and before its id reached the client.
    EmbeddingEmulator emu =
        emulator(
            EmbeddingEmulator.builder()
                .latency(Duration.ofMillis(400))
                .batchTimes(Duration.ofMinutes(1), Duration.ofHours(6), Duration.ofMinutes(1)));
    List<String> texts = texts(64);
    Embedder first = resumable(emu.baseUrl(), stateDir).build();
    CompletableFuture<EmbeddingRun> abandoned = first.embedAsync(texts);
    while (emu.stats().batchesCreated() == 0) {
      Thread.sleep(5);
    }
    first.close();
    assertThat(abandoned.get(10, TimeUnit.SECONDS).stopReason())
        .contains(StopReason.EMBEDDER_CLOSED);
    try (var files = Files.list(stateDir)) {
      assertThat(files.count()).as("the created job is in the state").isEqualTo(1);
    }

    EmbeddingRun run = build(resumable(emu.baseUrl(), stateDir)).embed(texts);

    assertThat(run.isComplete()).isTrue();
    assertVectorsOf(run);
    assertThat(emu.stats().batchesCreated())
        .as("the job is collected, not created again")
        .isEqualTo(1);
    assertThat(run.cost()).isEqualByComparingTo(emu.stats().batchDollarsBilled());
  }

  /** The builder both JVMs of the resume test use: same model, batch size and state directory. */
  static Embedder.Builder resumable(String baseUrl, Path stateDirectory) {
    return Embedder.builder()
        .model(MODEL)
        .apiKey("sk-emulator")
        .baseUrl(baseUrl)
        .mode(RunMode.BATCH_API)
        .batchSize(16)
        .batchPollInterval(Duration.ofMillis(10))
        .batchMaxPollInterval(Duration.ofMillis(40))
        .batchStateDirectory(stateDirectory);
  }

  @Test
  void aNewJvmCollectsTheJobAnOldJvmSubmitted() throws Exception {
    EmbeddingEmulator emu =
        emulator(
            EmbeddingEmulator.builder()
                .shuffleOrder(true)
                .batchStepwise(true)
                .batchTimes(Duration.ofMinutes(1), Duration.ofHours(2), Duration.ofMinutes(1)));
    Process child =
        new ProcessBuilder(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp",
                System.getProperty("java.class.path"),
                BatchApiResumeChild.class.getName(),
                emu.baseUrl(),
                stateDir.toString(),
                "160")
            .redirectErrorStream(true)
            .redirectOutput(ProcessBuilder.Redirect.DISCARD)
            .start();
    assertThat(child.waitFor(60, TimeUnit.SECONDS)).isTrue();
    assertThat(child.exitValue()).as("the child saw its job in progress").isZero();
    assertThat(emu.stats().batchesCreated()).isEqualTo(1);

    Embedder embedder = build(resumable(emu.baseUrl(), stateDir));
    EmbeddingRun run = embedder.embed(texts(160));

    assertThat(run.isComplete()).isTrue();
    assertVectorsOf(run);
    assertThat(emu.stats().filesUploaded()).as("nothing submitted twice").isEqualTo(1);
    assertThat(emu.stats().batchesCreated()).isEqualTo(1);
    assertThat(run.cost()).isEqualByComparingTo(emu.stats().batchDollarsBilled());
  }

  @Test
  void aSavedJobTheServerDoesNotKnowIsSubmittedAgain() throws Exception {
    List<String> texts = texts(64);
    try (EmbeddingEmulator gone =
        EmbeddingEmulator.builder()
            .batchStepwise(true)
            .batchTimes(Duration.ofMinutes(1), Duration.ofHours(20), Duration.ofMinutes(1))
            .batchTimeScale(3_600)
            .start()) {
      Embedder first = builder(gone).batchStateDirectory(stateDir).build();
      first.embedAsync(texts);
      assertThat(inProgress.await(10, TimeUnit.SECONDS)).isTrue();
      first.close();
    }
    EmbeddingEmulator emu =
        emulator(
            EmbeddingEmulator.builder()
                .batchTimes(Duration.ofMinutes(1), Duration.ofMinutes(30), Duration.ofMinutes(1)));

    EmbeddingRun run = build(resumable(emu.baseUrl(), stateDir)).embed(texts);

    assertThat(run.isComplete()).isTrue();
    assertVectorsOf(run);
    assertThat(emu.stats().requests(404)).isEqualTo(1);
    assertThat(emu.stats().batchesCreated()).isEqualTo(1);
  }

  @Test
  void batchApiModeIsForOpenAiModelsOnly() {
    org.assertj.core.api.Assertions.assertThatThrownBy(
            () ->
                Embedder.builder()
                    .model("embed-v4.0")
                    .apiKey("co-key")
                    .mode(RunMode.BATCH_API)
                    .build())
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("BATCH_API")
        .hasMessageContaining("not an OpenAI model");
  }
}
