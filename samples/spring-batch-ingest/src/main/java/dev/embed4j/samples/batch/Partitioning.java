package dev.embed4j.samples.batch;

import java.nio.file.Path;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.batch.core.BatchStatus;
import org.springframework.batch.core.partition.support.TaskExecutorPartitionHandler;
import org.springframework.batch.core.repository.JobRepository;
import org.springframework.batch.core.step.Step;
import org.springframework.batch.core.step.StepExecution;
import org.springframework.batch.core.step.builder.StepBuilder;
import org.springframework.batch.integration.partition.BeanFactoryStepLocator;
import org.springframework.batch.integration.partition.MessageChannelPartitionHandler;
import org.springframework.batch.integration.partition.StepExecutionRequest;
import org.springframework.batch.integration.partition.StepExecutionRequestHandler;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.task.SimpleAsyncTaskExecutor;
import org.springframework.integration.channel.QueueChannel;
import org.springframework.integration.config.EnableIntegration;
import org.springframework.integration.core.MessagingTemplate;
import org.springframework.integration.dsl.IntegrationFlow;
import org.springframework.integration.dsl.Pollers;
import org.springframework.integration.jdbc.store.JdbcChannelMessageStore;
import org.springframework.integration.jdbc.store.channel.PostgresChannelMessageStoreQueryProvider;
import org.springframework.integration.store.MessageGroupQueue;

/**
 * Who runs the partitions of step {@code embed}, by {@code ingest.role}:
 *
 * <ul>
 *   <li>{@code standalone} (the default): this JVM, {@code ingest.partitions} threads;
 *   <li>{@code manager}: splits the input, sends one {@link StepExecutionRequest} per partition to
 *       the request queue and waits, polling the job repository, until every partition's step
 *       execution has finished (on whichever worker);
 *   <li>{@code worker}: takes requests from the queue one at a time and runs the partition, until
 *       the process is stopped.
 * </ul>
 *
 * The queue is a Spring Integration {@link QueueChannel} stored in the job's PostgreSQL ({@link
 * JdbcChannelMessageStore}, table {@code INT_CHANNEL_MESSAGE}): each request is taken by exactly
 * one worker ({@code FOR UPDATE SKIP LOCKED}), and the results travel through the job repository.
 */
final class Partitioning {
  private static final Logger log = LoggerFactory.getLogger(Partitioning.class);

  static final String STANDALONE = "standalone";
  static final String MANAGER = "manager";
  static final String WORKER = "worker";

  /** The message group that holds the requests of every job on this database. */
  static final String QUEUE = "embed4j-ingest-partitions";

  private Partitioning() {}

  /** The input split into ranges: the manager's and the standalone run's partitioner. */
  static RangePartitioner partitioner(String input) {
    if (input == null || input.isBlank()) {
      throw new IllegalArgumentException(
          "Set --ingest.input=PATH (a folder or a JSONL file) on the manager or standalone run");
    }
    return new RangePartitioner(Records.of(Path.of(input)));
  }

  static QueueChannel requests(DataSource dataSource) {
    JdbcChannelMessageStore store = new JdbcChannelMessageStore(dataSource);
    store.setChannelMessageStoreQueryProvider(new PostgresChannelMessageStoreQueryProvider());
    // Java serialization, allowed only for what a request message holds
    store.addAllowedPatterns(
        "java.util.*",
        "java.lang.*",
        "org.springframework.messaging.*",
        "org.springframework.integration.*",
        "org.springframework.batch.integration.partition.*");
    store.afterPropertiesSet();
    return new QueueChannel(new MessageGroupQueue(store, QUEUE));
  }

  @Configuration(proxyBeanMethods = false)
  @ConditionalOnProperty(name = "ingest.role", havingValue = STANDALONE, matchIfMissing = true)
  static class Standalone {
    @Bean
    Step partitioned(
        JobRepository jobRepository,
        Step embed,
        @Value("${ingest.input:}") String input,
        @Value("${ingest.partitions:4}") int partitions) {
      SimpleAsyncTaskExecutor threads = new SimpleAsyncTaskExecutor("partition-");
      threads.setConcurrencyLimit(partitions);
      TaskExecutorPartitionHandler handler = new TaskExecutorPartitionHandler();
      handler.setStep(embed);
      handler.setTaskExecutor(threads);
      handler.setGridSize(partitions);
      return new StepBuilder("partitioned", jobRepository)
          .partitioner("embed", partitioner(input))
          .partitionHandler(handler)
          .build();
    }
  }

  @Configuration(proxyBeanMethods = false)
  @ConditionalOnProperty(name = "ingest.role", havingValue = MANAGER)
  static class Manager {
    @Bean
    Step partitioned(
        JobRepository jobRepository,
        DataSource dataSource,
        @Value("${ingest.input:}") String input,
        @Value("${ingest.partitions:4}") int partitions)
        throws Exception {
      MessagingTemplate requests = new MessagingTemplate(requests(dataSource));
      MessageChannelPartitionHandler handler = new MessageChannelPartitionHandler();
      handler.setStepName("embed");
      handler.setGridSize(partitions);
      handler.setMessagingOperations(requests);
      handler.setJobRepository(jobRepository); // results: poll the job repository
      handler.setPollInterval(500);
      handler.afterPropertiesSet();
      return new StepBuilder("partitioned", jobRepository)
          .partitioner("embed", partitioner(input))
          .partitionHandler(handler)
          .build();
    }
  }

  @Configuration(proxyBeanMethods = false)
  @ConditionalOnProperty(name = "ingest.role", havingValue = WORKER)
  @EnableIntegration
  static class Worker {
    @Bean
    BeanFactoryStepLocator stepLocator() {
      return new BeanFactoryStepLocator();
    }

    @Bean
    StepExecutionRequestHandler stepExecutionRequestHandler(
        JobRepository jobRepository, BeanFactoryStepLocator stepLocator) {
      StepExecutionRequestHandler handler = new StepExecutionRequestHandler();
      handler.setJobRepository(jobRepository);
      handler.setStepLocator(stepLocator);
      return handler;
    }

    /**
     * One partition at a time per worker; the step's writer embeds each chunk in parallel. A
     * request whose partition is no longer waiting to start (left in the queue by a manager that
     * died, and its job since recovered and restarted with requests of its own) is dropped.
     */
    @Bean
    IntegrationFlow partitionRequests(
        DataSource dataSource,
        JobRepository jobRepository,
        StepExecutionRequestHandler handler,
        @Value("${ingest.worker-poll-ms:500}") long pollMs) {
      return IntegrationFlow.from(requests(dataSource))
          .handle(
              StepExecutionRequest.class,
              (request, headers) -> {
                StepExecution execution =
                    jobRepository.getStepExecution(request.getStepExecutionId());
                if (execution == null
                    || execution.getStatus() != BatchStatus.STARTING
                    || !execution.getJobExecution().isRunning()) {
                  log.info(
                      "Dropped {}: its partition is {}",
                      request,
                      execution == null ? "gone" : execution.getStatus());
                  return null;
                }
                handler.handle(request);
                return null; // the manager reads the outcome from the job repository
              },
              e -> e.poller(Pollers.fixedDelay(pollMs).maxMessagesPerPoll(1)))
          .get();
    }
  }
}
