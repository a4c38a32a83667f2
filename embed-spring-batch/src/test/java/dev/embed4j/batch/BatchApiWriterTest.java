package dev.embed4j.batch;

import static org.assertj.core.api.Assertions.assertThat;

import dev.embed4j.Embedder;
import dev.embed4j.InvalidInputException;
import dev.embed4j.RunMode;
import dev.embed4j.emulator.EmbeddingEmulator;
import dev.langchain4j.data.document.Metadata;
import dev.langchain4j.data.embedding.Embedding;
import dev.langchain4j.data.segment.TextSegment;
import dev.langchain4j.store.embedding.inmemory.InMemoryEmbeddingStore;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.LockSupport;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.batch.core.BatchStatus;
import org.springframework.batch.core.job.Job;
import org.springframework.batch.core.job.JobExecution;
import org.springframework.batch.core.job.builder.JobBuilder;
import org.springframework.batch.core.job.parameters.JobParametersBuilder;
import org.springframework.batch.core.step.Step;
import org.springframework.batch.core.step.StepExecution;
import org.springframework.batch.core.step.builder.StepBuilder;

/** A chunk-oriented step whose writer's embedder runs in {@link RunMode#BATCH_API}. */
class BatchApiWriterTest {
  private static final String MODEL = "text-embedding-3-small";

  /** Over the model's 8192 tokens per input: refused before anything is sent. */
  private static final String TOO_LONG = "ledger ".repeat(9000);

  private EmbeddingEmulator emulator;
  private Embedder embedder;
  private Jobs jobs;

  @BeforeEach
  void start() throws Exception {
    // validating 1 s, processing 5 s, finalizing 1 s of emulated time: 7 ms per job in real time
    emulator = EmbeddingEmulator.builder().batchTimeScale(1000).start();
    embedder =
        Embedder.builder()
            .model(MODEL)
            .apiKey("sk-emulator")
            .baseUrl(emulator.baseUrl())
            .batchSize(20)
            .mode(RunMode.BATCH_API)
            .batchPollInterval(Duration.ofMillis(20))
            .batchMaxPollInterval(Duration.ofMillis(100))
            .build();
    jobs = new Jobs();
  }

  @AfterEach
  void stop() {
    jobs.close();
    embedder.close();
    emulator.close();
  }

  /** Keeps what was added by id, failing if an id is added twice. */
  static final class RecordingStore extends InMemoryEmbeddingStore<TextSegment> {
    final ConcurrentHashMap<String, Embedding> byId = new ConcurrentHashMap<>();

    @Override
    public void addAll(List<String> ids, List<Embedding> embeddings, List<TextSegment> segments) {
      super.addAll(ids, embeddings, segments);
      for (int i = 0; i < ids.size(); i++) {
        assertThat(byId.put(ids.get(i), embeddings.get(i)))
            .as("added once: " + ids.get(i))
            .isNull();
      }
    }
  }

  @Test
  void eachChunkIsOneBatchApiJob_everyVectorInPlace_billedAndReportedAtTheBatchPrice()
      throws Exception {
    List<TextSegment> segments =
        IntStream.range(0, 300)
            .mapToObj(
                i ->
                    TextSegment.from(
                        "Backfill segment " + i + " about invoices and their due dates.",
                        Metadata.from("id", "b" + i)))
            .toList();
    long expectedTokens =
        segments.stream().mapToLong(s -> EmbeddingEmulator.expectedTokens(s.text())).sum();
    RecordingStore store = new RecordingStore();
    EmbeddingStoreItemWriter writer = new EmbeddingStoreItemWriter(embedder, store);
    Step step =
        new StepBuilder("embed", jobs.repository)
            .<TextSegment, TextSegment>chunk(100)
            .transactionManager(jobs.transactionManager)
            .reader(new Jobs.ListReader<>(segments))
            .writer(writer)
            .listener(writer)
            .build();
    Job job =
        new JobBuilder("backfill", jobs.repository)
            .start(step)
            .listener(Embed4jBatch.jobListener())
            .build();

    JobExecution run =
        jobs.operator.start(
            job, new JobParametersBuilder().addString("input", "invoices").toJobParameters());

    assertThat(run.getStatus()).isEqualTo(BatchStatus.COMPLETED);
    // Every segment in the store at its own text's vector.
    assertThat(store.byId).hasSize(300);
    for (TextSegment s : segments) {
      assertThat(store.byId.get(writer.id(s)).vector())
          .as(writer.id(s))
          .containsExactly(EmbeddingEmulator.expectedVector(MODEL, null, s.text(), 1536));
    }
    // One Batch API job per chunk (5 lines of 20 texts each), nothing through /v1/embeddings.
    assertThat(emulator.stats().filesUploaded()).isEqualTo(3);
    assertThat(emulator.stats().batchesCreated()).isEqualTo(3);
    assertThat(emulator.stats().batchInputsEmbedded()).isEqualTo(300);
    assertThat(emulator.stats().tokensBilled()).isZero();
    assertThat(emulator.stats().batchTokensBilled()).isEqualTo(expectedTokens);
    // The step reports what the Batch API billed: half the realtime price.
    BigDecimal billed = emulator.stats().batchDollarsBilled();
    BigDecimal realtime = embedder.model().cost(expectedTokens);
    assertThat(billed).isEqualByComparingTo(realtime.divide(BigDecimal.valueOf(2)));
    assertThat(billed).isEqualByComparingTo(embedder.model().batchCost(expectedTokens));
    StepExecution s = run.getStepExecutions().iterator().next();
    assertThat(s.getExecutionContext().getLong(Embed4jBatch.TOKENS)).isEqualTo(expectedTokens);
    assertThat(new BigDecimal(s.getExecutionContext().getString(Embed4jBatch.COST)))
        .isEqualByComparingTo(billed);
    assertThat(s.getExecutionContext().getLong(Embed4jBatch.TEXTS)).isEqualTo(300);
    assertThat(s.getExitStatus().getExitDescription())
        .contains(
            "embedded 300 texts | "
                + expectedTokens
                + " tokens | $"
                + billed.setScale(6, RoundingMode.HALF_UP).toPlainString());
    assertThat(new BigDecimal(run.getExecutionContext().getString(Embed4jBatch.COST)))
        .isEqualByComparingTo(billed);
  }

  @Test
  void aChunkWithAnInvalidTextIsScannedWithOneJobForItsValidTexts() throws Exception {
    List<TextSegment> segments =
        IntStream.range(0, 100)
            .mapToObj(
                i ->
                    TextSegment.from(
                        i == 57 ? TOO_LONG : "Ledger line " + i + ".",
                        Metadata.from("id", "b" + i)))
            .toList();
    long expectedTokens =
        segments.stream()
            .filter(s -> !s.text().equals(TOO_LONG))
            .mapToLong(s -> EmbeddingEmulator.expectedTokens(s.text()))
            .sum();
    RecordingStore store = new RecordingStore();
    EmbeddingStoreItemWriter writer = new EmbeddingStoreItemWriter(embedder, store);
    Step step =
        new StepBuilder("embed", jobs.repository)
            .<TextSegment, TextSegment>chunk(50)
            .transactionManager(jobs.transactionManager)
            .reader(new Jobs.ListReader<>(segments))
            .writer(writer)
            .listener(writer)
            .faultTolerant()
            .skip(InvalidInputException.class)
            .skipLimit(5)
            .skipListener(writer)
            .build();
    Job job = new JobBuilder("ledger", jobs.repository).start(step).build();

    JobExecution run = jobs.operator.start(job, new JobParametersBuilder().toJobParameters());

    assertThat(run.getStatus()).isEqualTo(BatchStatus.COMPLETED);
    StepExecution s = run.getStepExecutions().iterator().next();
    assertThat(s.getWriteSkipCount()).isEqualTo(1);
    assertThat(s.getExecutionContext().get(Embed4jBatch.SKIPPED_IDS)).isEqualTo(List.of("b57"));
    assertThat(store.byId).hasSize(99).doesNotContainKey("b57");
    for (TextSegment t : segments) {
      if (!t.text().equals(TOO_LONG)) {
        assertThat(store.byId.get(writer.id(t)).vector())
            .as(writer.id(t))
            .containsExactly(EmbeddingEmulator.expectedVector(MODEL, null, t.text(), 1536));
      }
    }
    // Spring Batch scans the refused chunk item by item: its 49 valid texts went into one job,
    // not one job each, and every token was billed once, at the batch price.
    assertThat(emulator.stats().batchesCreated()).isEqualTo(2);
    assertThat(emulator.stats().batchTokensBilled()).isEqualTo(expectedTokens);
    assertThat(emulator.stats().tokensBilled()).isZero();
    assertThat(s.getExecutionContext().getLong(Embed4jBatch.TOKENS)).isEqualTo(expectedTokens);
    assertThat(new BigDecimal(s.getExecutionContext().getString(Embed4jBatch.COST)))
        .isEqualByComparingTo(emulator.stats().batchDollarsBilled());
  }

  @Test
  void aStepRestartedAfterItsEmbedderWentAwayCollectsTheJobAlreadySubmitted(@TempDir Path state)
      throws Exception {
    // Jobs take 2 s in real time: long enough to lose the first embedder while one waits.
    EmbeddingEmulator slow =
        EmbeddingEmulator.builder()
            .batchTimes(Duration.ofSeconds(1), Duration.ofSeconds(2000), Duration.ofSeconds(1))
            .batchTimeScale(1000)
            .start();
    Embedder.Builder builder =
        Embedder.builder()
            .model(MODEL)
            .apiKey("sk-emulator")
            .baseUrl(slow.baseUrl())
            .batchSize(20)
            .mode(RunMode.BATCH_API)
            .batchStateDirectory(state)
            .batchPollInterval(Duration.ofMillis(20))
            .batchMaxPollInterval(Duration.ofMillis(100));
    List<TextSegment> segments =
        IntStream.range(0, 100)
            .mapToObj(
                i -> TextSegment.from("Archive page " + i + ".", Metadata.from("id", "a" + i)))
            .toList();
    long expectedTokens =
        segments.stream().mapToLong(s -> EmbeddingEmulator.expectedTokens(s.text())).sum();
    RecordingStore store = new RecordingStore();
    var parameters = new JobParametersBuilder().addString("input", "archive").toJobParameters();
    try (slow) {
      Embedder first = builder.build();
      Thread shutdown =
          new Thread(
              () -> {
                while (slow.stats().batchesCreated() == 0) {
                  LockSupport.parkNanos(5_000_000);
                }
                first.close(); // as a JVM shutdown would: the job keeps running, its state stays
              });
      shutdown.start();
      JobExecution failed =
          jobs.operator.start(
              archiveJob(new EmbeddingStoreItemWriter(first, store), segments), parameters);
      shutdown.join();
      assertThat(failed.getStatus()).isEqualTo(BatchStatus.FAILED);
      assertThat(store.byId).isEmpty();
      assertThat(Files.list(state)).hasSize(1);

      try (Embedder second = builder.build()) {
        EmbeddingStoreItemWriter writer = new EmbeddingStoreItemWriter(second, store);
        JobExecution restarted = jobs.operator.start(archiveJob(writer, segments), parameters);

        assertThat(restarted.getStatus()).isEqualTo(BatchStatus.COMPLETED);
        assertThat(restarted.getJobInstanceId()).isEqualTo(failed.getJobInstanceId());
        assertThat(store.byId).hasSize(100);
        for (TextSegment t : segments) {
          assertThat(store.byId.get(writer.id(t)).vector())
              .as(writer.id(t))
              .containsExactly(EmbeddingEmulator.expectedVector(MODEL, null, t.text(), 1536));
        }
      }
      // The restart collected the job the first embedder submitted: nothing uploaded or paid twice.
      assertThat(slow.stats().filesUploaded()).isEqualTo(1);
      assertThat(slow.stats().batchesCreated()).isEqualTo(1);
      assertThat(slow.stats().batchTokensBilled()).isEqualTo(expectedTokens);
      assertThat(Files.list(state)).isEmpty();
    }
  }

  private Job archiveJob(EmbeddingStoreItemWriter writer, List<TextSegment> segments) {
    Step step =
        new StepBuilder("embed", jobs.repository)
            .<TextSegment, TextSegment>chunk(100)
            .transactionManager(jobs.transactionManager)
            .reader(new Jobs.ListReader<>(segments))
            .writer(writer)
            .listener(writer)
            .build();
    return new JobBuilder("archive", jobs.repository).start(step).build();
  }
}
