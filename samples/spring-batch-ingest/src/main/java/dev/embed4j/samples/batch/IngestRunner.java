package dev.embed4j.samples.batch;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.batch.core.BatchStatus;
import org.springframework.batch.core.job.Job;
import org.springframework.batch.core.job.JobExecution;
import org.springframework.batch.core.job.parameters.JobParameters;
import org.springframework.batch.core.job.parameters.JobParametersBuilder;
import org.springframework.batch.core.launch.JobInstanceAlreadyCompleteException;
import org.springframework.batch.core.launch.JobOperator;
import org.springframework.batch.core.repository.JobRepository;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.ApplicationArguments;
import org.springframework.boot.ApplicationRunner;
import org.springframework.boot.ExitCodeGenerator;

/**
 * Runs the job for {@code ingest.input}: the job instance is identified by the input, so running
 * the same command again after a failure restarts it where its partitions stopped, and after a
 * success says there is nothing left to do. A run whose process was killed is left marked running
 * in the job repository; {@code --ingest.recover=true} marks it failed so it can restart. Exit code
 * 0 when the job completed, 1 otherwise.
 */
final class IngestRunner implements ApplicationRunner, ExitCodeGenerator {
  private static final Logger log = LoggerFactory.getLogger(IngestRunner.class);

  private final JobOperator operator;
  private final Job job;
  private volatile int exitCode = 1;

  @Value("${ingest.input}")
  private String input;

  @Value("${ingest.recover:false}")
  private boolean recover;

  private final JobRepository repository;

  IngestRunner(JobOperator operator, JobRepository repository, Job job) {
    this.operator = operator;
    this.repository = repository;
    this.job = job;
  }

  @Override
  public void run(ApplicationArguments args) throws Exception {
    JobParameters parameters =
        new JobParametersBuilder().addString("input", input).toJobParameters();
    JobExecution last = repository.getLastJobExecution(job.getName(), parameters);
    if (last != null && last.isRunning()) {
      if (!recover) {
        log.error(
            "Job {} for {} is still marked running. If its process is gone (killed, crashed),"
                + " run again with --ingest.recover=true to mark it failed and restart it.",
            last.getId(),
            input);
        return;
      }
      operator.recover(last);
      log.info("Job {} for {} was left running by a dead process: recovered", last.getId(), input);
    }
    try {
      JobExecution execution = operator.start(job, parameters);
      exitCode = execution.getStatus() == BatchStatus.COMPLETED ? 0 : 1;
      log.info(
          "Job {} {}: {}",
          execution.getId(),
          execution.getStatus(),
          execution.getExitStatus().getExitDescription());
    } catch (JobInstanceAlreadyCompleteException e) {
      log.info("{} was already ingested completely: nothing to do", input);
      exitCode = 0;
    }
  }

  @Override
  public int getExitCode() {
    return exitCode;
  }

  int exitCode() {
    return exitCode;
  }
}
