package dev.embed4j.batch;

import static org.assertj.core.api.Assertions.assertThat;

import dev.embed4j.Embedder;
import dev.embed4j.emulator.EmbeddingEmulator;
import dev.langchain4j.data.document.Metadata;
import dev.langchain4j.data.embedding.Embedding;
import dev.langchain4j.data.segment.TextSegment;
import dev.langchain4j.store.embedding.inmemory.InMemoryEmbeddingStore;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.batch.core.BatchStatus;
import org.springframework.batch.core.job.Job;
import org.springframework.batch.core.job.JobExecution;
import org.springframework.batch.core.job.builder.JobBuilder;
import org.springframework.batch.core.job.parameters.JobParametersBuilder;
import org.springframework.batch.core.step.Step;
import org.springframework.batch.core.step.StepExecution;
import org.springframework.batch.core.step.builder.StepBuilder;

/** LangChain4j segments through a real JDBC job repository: restart without paying twice. */
class EmbeddingStoreItemWriterTest {
  private static final String MODEL = "text-embedding-3-small";
  private EmbeddingEmulator emulator;
  private Embedder embedder;
  private Jobs jobs;

  @BeforeEach
  void start() throws Exception {
    emulator = EmbeddingEmulator.builder().start();
    embedder =
        Embedder.builder()
            .model(MODEL)
            .apiKey("sk-emulator")
            .baseUrl(emulator.baseUrl())
            .batchSize(16)
            .build();
    jobs = new Jobs();
  }

  @AfterEach
  void stop() {
    jobs.close();
    embedder.close();
    emulator.close();
  }

  /** A store that fails the write of one chunk, once, as a database outage would. */
  static final class FlakyStore extends InMemoryEmbeddingStore<TextSegment> {
    final AtomicInteger writes = new AtomicInteger();
    final ConcurrentHashMap<String, Embedding> byId = new ConcurrentHashMap<>();
    volatile int failAt;

    @Override
    public void addAll(List<String> ids, List<Embedding> embeddings, List<TextSegment> segments) {
      if (writes.incrementAndGet() == failAt) {
        throw new IllegalStateException("store unavailable");
      }
      super.addAll(ids, embeddings, segments);
      for (int i = 0; i < ids.size(); i++) {
        assertThat(byId.put(ids.get(i), embeddings.get(i)))
            .as("written once: " + ids.get(i))
            .isNull();
      }
    }
  }

  private Job job(EmbeddingStoreItemWriter writer, List<TextSegment> segments) {
    Step step =
        new StepBuilder("embed", jobs.repository)
            .<TextSegment, TextSegment>chunk(50)
            .transactionManager(jobs.transactionManager)
            .reader(new Jobs.ListReader<>(segments))
            .writer(writer)
            .listener(writer)
            .build();
    return new JobBuilder("ingest", jobs.repository)
        .start(step)
        .listener(Embed4jBatch.jobListener())
        .build();
  }

  @Test
  void aFailedJobRestartsAfterItsLastChunkAndPaysForNothingTwice() throws Exception {
    List<TextSegment> segments =
        IntStream.range(0, 400)
            .mapToObj(
                i ->
                    TextSegment.from(
                        "Segment " + i + " of the manual.", Metadata.from("id", "s" + i)))
            .toList();
    long expectedTokens =
        segments.stream().mapToLong(s -> EmbeddingEmulator.expectedTokens(s.text())).sum();
    FlakyStore store = new FlakyStore();
    store.failAt = 5; // the fifth chunk's write fails after it was embedded
    EmbeddingStoreItemWriter writer = new EmbeddingStoreItemWriter(embedder, store);
    Job job = job(writer, segments);
    jobs.registry.register(job);

    JobExecution first =
        jobs.operator.start(
            job, new JobParametersBuilder().addString("input", "manual").toJobParameters());
    assertThat(first.getStatus()).isEqualTo(BatchStatus.FAILED);
    assertThat(store.byId).hasSize(200);

    JobExecution second = jobs.repository.getJobExecution(jobs.operator.restart(first.getId()));

    assertThat(second.getStatus()).isEqualTo(BatchStatus.COMPLETED);
    assertThat(store.byId).hasSize(400);
    for (TextSegment s : segments) {
      assertThat(store.byId.get(writer.id(s)).vector())
          .as(writer.id(s))
          .containsExactly(EmbeddingEmulator.expectedVector(MODEL, null, s.text(), 1536));
    }
    // The failed chunk's vectors were kept for its retry: every token billed once.
    assertThat(emulator.stats().tokensBilled()).isEqualTo(expectedTokens);
    // The step's figures carry over its restart: the whole step, billed once.
    StepExecution restarted = second.getStepExecutions().iterator().next();
    assertThat(restarted.getExecutionContext().getLong(Embed4jBatch.TOKENS))
        .isEqualTo(expectedTokens);
    assertThat(restarted.getExecutionContext().getLong(Embed4jBatch.TEXTS)).isEqualTo(400);
    assertThat(second.getExitStatus().getExitDescription())
        .contains("embedded 400 texts | " + expectedTokens + " tokens");
  }

  @Test
  void idsComeFromMetadataElseFromTheText() {
    EmbeddingStoreItemWriter writer =
        new EmbeddingStoreItemWriter(embedder, new InMemoryEmbeddingStore<>());
    assertThat(writer.id(TextSegment.from("x", Metadata.from("id", "doc-7")))).isEqualTo("doc-7");
    assertThat(writer.id(TextSegment.from("same text")))
        .isEqualTo(writer.id(TextSegment.from("same text")));
  }
}
