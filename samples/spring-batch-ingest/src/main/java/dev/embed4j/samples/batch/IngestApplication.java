package dev.embed4j.samples.batch;

import dev.embed4j.Embedder;
import dev.embed4j.InvalidInputException;
import dev.embed4j.batch.Embed4jBatch;
import dev.embed4j.batch.VectorStoreItemWriter;
import dev.embed4j.springai.SpringAiEmbeddingModel;
import java.nio.file.Path;
import javax.sql.DataSource;
import org.springframework.ai.document.Document;
import org.springframework.ai.document.MetadataMode;
import org.springframework.batch.core.configuration.annotation.EnableBatchProcessing;
import org.springframework.batch.core.configuration.annotation.EnableJdbcJobRepository;
import org.springframework.batch.core.configuration.annotation.StepScope;
import org.springframework.batch.core.job.Job;
import org.springframework.batch.core.job.builder.JobBuilder;
import org.springframework.batch.core.repository.JobRepository;
import org.springframework.batch.core.step.Step;
import org.springframework.batch.core.step.builder.StepBuilder;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.autoconfigure.condition.ConditionalOnExpression;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.support.JdbcTransactionManager;

/**
 * Ingests a folder or a JSONL file into a vector table on PostgreSQL with a partitioned,
 * restartable Spring Batch job: the input is split into {@code ingest.partitions} ranges, each
 * embedded chunk by chunk (one Embed4j call per chunk, its batches in parallel). Who runs the
 * partitions is {@code ingest.role} ({@link Partitioning}): threads of this JVM, or worker JVMs fed
 * by a manager through the database. The job repository, the partition requests and the vectors
 * share one database; each chunk's vectors commit with its reader position. See README.md.
 */
@SpringBootApplication
@EnableBatchProcessing
@EnableJdbcJobRepository
public class IngestApplication {

  public static void main(String[] args) {
    ConfigurableApplicationContext context = SpringApplication.run(IngestApplication.class, args);
    if (!Partitioning.WORKER.equals(context.getEnvironment().getProperty("ingest.role"))) {
      System.exit(SpringApplication.exit(context));
    }
    // A worker serves partitions until it is stopped (SIGTERM closes the context).
  }

  @Bean(destroyMethod = "close")
  Database database(@Value("${ingest.database-url:}") String url) {
    return Database.open(url);
  }

  @Bean
  DataSource dataSource(Database database) {
    return database.dataSource();
  }

  @Bean
  JdbcTransactionManager transactionManager(DataSource dataSource) {
    return new JdbcTransactionManager(dataSource);
  }

  /** The texts embedded are the documents' texts, without Spring AI's metadata header. */
  @Bean
  VectorStoreItemWriter writer(Embedder embedder, DataSource dataSource) {
    SpringAiEmbeddingModel model =
        SpringAiEmbeddingModel.builder(embedder).metadataMode(MetadataMode.NONE).build();
    JdbcTemplate jdbc = new JdbcTemplate(dataSource);
    return new VectorStoreItemWriter(model, m -> new PostgresVectorStore(jdbc, m));
  }

  @Bean
  @StepScope
  RecordReader reader(
      @Value("#{jobParameters['input']}") String input,
      @Value("#{stepExecutionContext['start']}") int start,
      @Value("#{stepExecutionContext['end']}") int end) {
    return new RecordReader(Records.of(Path.of(input)), start, end);
  }

  @Bean
  Step embed(
      JobRepository jobRepository,
      JdbcTransactionManager transactionManager,
      RecordReader reader,
      VectorStoreItemWriter writer,
      @Value("${ingest.chunk-size:100}") int chunkSize) {
    return new StepBuilder("embed", jobRepository)
        .<Document, Document>chunk(chunkSize)
        .transactionManager(transactionManager)
        .reader(reader)
        .writer(writer)
        .listener(writer)
        .faultTolerant()
        .skip(InvalidInputException.class)
        .skipLimit(100)
        .skipListener(writer)
        .build();
  }

  @Bean
  @ConditionalOnExpression("'${ingest.role:standalone}' != 'worker'")
  Job ingest(JobRepository jobRepository, Step partitioned) {
    return new JobBuilder("ingest", jobRepository)
        .start(partitioned)
        .listener(Embed4jBatch.jobListener())
        .build();
  }

  @Bean
  @ConditionalOnExpression("'${ingest.role:standalone}' != 'worker'")
  IngestRunner runner(
      org.springframework.batch.core.launch.JobOperator operator,
      JobRepository jobRepository,
      Job ingest) {
    return new IngestRunner(operator, jobRepository, ingest);
  }
}
