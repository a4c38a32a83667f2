package dev.embed4j.batch;

import static org.assertj.core.api.Assertions.assertThat;

import dev.embed4j.Embedder;
import dev.embed4j.InvalidInputException;
import dev.embed4j.emulator.EmbeddingEmulator;
import dev.embed4j.springai.SpringAiEmbeddingModel;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.ai.document.Document;
import org.springframework.ai.vectorstore.SearchRequest;
import org.springframework.ai.vectorstore.SimpleVectorStore;
import org.springframework.batch.core.BatchStatus;
import org.springframework.batch.core.job.Job;
import org.springframework.batch.core.job.JobExecution;
import org.springframework.batch.core.job.builder.JobBuilder;
import org.springframework.batch.core.job.parameters.JobParametersBuilder;
import org.springframework.batch.core.step.Step;
import org.springframework.batch.core.step.StepExecution;
import org.springframework.batch.core.step.builder.StepBuilder;
import org.springframework.core.task.SimpleAsyncTaskExecutor;

/** Spring AI documents into a vector store: skips recorded by id, tokens and dollars per step. */
class VectorStoreItemWriterTest {
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
            .batchSize(10)
            .build();
    jobs = new Jobs();
  }

  @AfterEach
  void stop() {
    jobs.close();
    embedder.close();
    emulator.close();
  }

  @Test
  void aBadDocumentIsSkippedByIdAndTheRestIsEmbeddedOnceAtItsVector() throws Exception {
    List<Document> documents = new ArrayList<>();
    for (int i = 0; i < 120; i++) {
      documents.add(
          new Document("d" + i, i == 37 ? "   " : "Document number " + i + ".", Map.of()));
    }
    SpringAiEmbeddingModel model = SpringAiEmbeddingModel.builder(embedder).build();
    // The texts embedded are the documents' content in the model's metadata mode.
    long expectedTokens =
        documents.stream()
            .filter(d -> !d.getId().equals("d37"))
            .mapToLong(d -> EmbeddingEmulator.expectedTokens(model.getEmbeddingContent(d)))
            .sum();
    VectorStoreItemWriter writer =
        new VectorStoreItemWriter(model, m -> SimpleVectorStore.builder(m).build());
    Step step =
        new StepBuilder("embed", jobs.repository)
            .<Document, Document>chunk(25)
            .transactionManager(jobs.transactionManager)
            .reader(new Jobs.ListReader<>(documents))
            .writer(writer)
            .listener(writer)
            .faultTolerant()
            .skip(InvalidInputException.class)
            .skipLimit(5)
            .skipListener(writer)
            .build();
    Job job =
        new JobBuilder("ingest", jobs.repository)
            .start(step)
            .listener(Embed4jBatch.jobListener())
            .build();

    JobExecution run = jobs.operator.start(job, new JobParametersBuilder().toJobParameters());

    assertThat(run.getStatus()).isEqualTo(BatchStatus.COMPLETED);
    StepExecution s = run.getStepExecutions().iterator().next();
    assertThat(s.getWriteSkipCount()).isEqualTo(1);
    assertThat(s.getExecutionContext().get(Embed4jBatch.SKIPPED_IDS)).isEqualTo(List.of("d37"));
    assertThat(s.getExecutionContext().getLong(Embed4jBatch.TEXTS)).isEqualTo(119);
    assertThat(s.getExecutionContext().getLong(Embed4jBatch.TOKENS)).isEqualTo(expectedTokens);
    assertThat(emulator.stats().tokensBilled()).isEqualTo(expectedTokens);
    assertThat(run.getExecutionContext().getLong(Embed4jBatch.TOKENS)).isEqualTo(expectedTokens);
    assertThat(run.getExitStatus().getExitDescription())
        .contains("embedded 119 texts")
        .contains(expectedTokens + " tokens")
        .contains("skipped ids: d37");
    // Every document is in the store at its own vector: the nearest to each text is itself.
    for (int i : new int[] {0, 36, 38, 119}) {
      String text = model.getEmbeddingContent(documents.get(i));
      List<Document> hits =
          writer
              .vectorStore()
              .similaritySearch(SearchRequest.builder().query(text).topK(1).build());
      assertThat(hits).extracting(Document::getId).containsExactly("d" + i);
      assertThat(hits.get(0).getScore()).isGreaterThan(0.999);
    }
  }

  @Test
  void aMultiThreadedStepWritesEveryDocumentOnce() throws Exception {
    List<Document> documents =
        IntStream.range(0, 300)
            .mapToObj(i -> new Document("m" + i, "Parallel document " + i + ".", Map.of()))
            .toList();
    SpringAiEmbeddingModel model = SpringAiEmbeddingModel.builder(embedder).build();
    long expectedTokens =
        documents.stream()
            .mapToLong(d -> EmbeddingEmulator.expectedTokens(model.getEmbeddingContent(d)))
            .sum();
    VectorStoreItemWriter writer =
        new VectorStoreItemWriter(model, m -> SimpleVectorStore.builder(m).build());
    SimpleAsyncTaskExecutor threads = new SimpleAsyncTaskExecutor("chunk-");
    threads.setConcurrencyLimit(4);
    Jobs.ListReader<Document> reader = new Jobs.ListReader<>(documents);
    reader.setSaveState(false); // a multi-threaded step cannot restart from a position
    Step step =
        new StepBuilder("embed", jobs.repository)
            .<Document, Document>chunk(20)
            .transactionManager(jobs.transactionManager)
            .reader(
                new org.springframework.batch.infrastructure.item.support
                    .SynchronizedItemStreamReader<>(reader))
            .writer(writer)
            .listener(writer)
            .taskExecutor(threads)
            .build();
    Job job =
        new JobBuilder("parallel", jobs.repository)
            .start(step)
            .listener(Embed4jBatch.jobListener())
            .build();

    JobExecution run = jobs.operator.start(job, new JobParametersBuilder().toJobParameters());

    assertThat(run.getStatus()).isEqualTo(BatchStatus.COMPLETED);
    assertThat(emulator.stats().tokensBilled()).isEqualTo(expectedTokens);
    assertThat(run.getExecutionContext().getLong(Embed4jBatch.TEXTS)).isEqualTo(300);
    assertThat(run.getExecutionContext().getLong(Embed4jBatch.TOKENS)).isEqualTo(expectedTokens);
  }
}
