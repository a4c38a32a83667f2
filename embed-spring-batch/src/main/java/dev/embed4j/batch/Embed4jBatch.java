package dev.embed4j.batch;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import org.springframework.batch.core.ExitStatus;
import org.springframework.batch.core.job.JobExecution;
import org.springframework.batch.core.listener.JobExecutionListener;
import org.springframework.batch.core.step.StepExecution;
import org.springframework.batch.infrastructure.item.ExecutionContext;

/**
 * What the Embed4j item writers record in Spring Batch, and the job listener that sums it.
 *
 * <p>Each writer ({@link VectorStoreItemWriter}, {@link EmbeddingStoreItemWriter}) adds, to the
 * {@link ExecutionContext} of the step execution it writes for: {@link #TOKENS} (tokens billed, a
 * long), {@link #COST} (US dollars, a decimal string), {@link #TEXTS} (texts embedded, a long), and
 * {@link #SKIPPED_IDS} (the ids of the items Spring Batch skipped in write, a list of strings,
 * recorded by the writer as a {@code SkipListener}). As a {@code StepExecutionListener} it appends
 * {@code "embedded N texts | T tokens | $C"} (and the skipped ids) to the step's exit description.
 * A restarted step execution starts from the context its failed one last saved, so the figures of a
 * step add up over its restarts: tokens billed by the failed execution (the chunk that failed
 * included) plus those of the restart. Register the writer as the step's listener and skip listener
 * too:
 *
 * <pre>{@code
 * new StepBuilder("embed", jobRepository)
 *     .<Document, Document>chunk(100)
 *     .transactionManager(transactionManager)
 *     .reader(reader)
 *     .writer(writer)
 *     .listener(writer)
 *     .faultTolerant()
 *     .retry(ProviderException.class).retryLimit(3)
 *     .skip(InvalidInputException.class).skipLimit(10)
 *     .skipListener(writer)
 *     .build();
 * }</pre>
 *
 * <p><b>Batch API mode.</b> With an embedder built with {@code mode(RunMode.BATCH_API)} each chunk
 * becomes one OpenAI Batch API job (several only past 50,000 texts or the enqueued-token limit),
 * billed at the batch price (half the realtime one; {@link #COST} is what the jobs billed), and the
 * step waits for it inside the chunk's transaction: minutes to hours, up to the 24-hour window,
 * mostly whatever the chunk's size. So use big chunks (thousands to tens of thousands of items),
 * and a partitioned step (partitions on a task executor) to have several jobs under way; set no
 * transaction timeout shorter than a job (Spring Batch sets none by default), nor a database
 * timeout on idle transactions; a {@code stop} takes effect after the chunk's job. With {@code
 * batchStateDirectory}, a restart of a step whose JVM died while waiting collects the job it
 * submitted, provided the reader hands over the same chunk. Worth it for backfills that can wait a
 * day; not for small incremental loads, whose jobs cost little and still take their turnaround.
 *
 * <p>{@link #jobListener()} sums every step's figures into the job's execution context (same keys)
 * and exit description, for partitioned jobs too (the workers' step executions are the job's).
 */
public final class Embed4jBatch {
  /** Tokens billed by the provider for the step's texts, as a long. */
  public static final String TOKENS = "embed4j.tokens";

  /** US dollars for {@link #TOKENS} at the model's registry price, as a decimal string. */
  public static final String COST = "embed4j.cost";

  /** Texts embedded and written, as a long. */
  public static final String TEXTS = "embed4j.texts";

  /** The ids of the items skipped in write, as a {@code List<String>}. */
  public static final String SKIPPED_IDS = "embed4j.skipped-ids";

  private Embed4jBatch() {}

  /** A listener that sums the steps' tokens, dollars and texts into the job's context and exit. */
  public static JobExecutionListener jobListener() {
    return new JobExecutionListener() {
      @Override
      public void afterJob(JobExecution job) {
        long tokens = 0;
        long texts = 0;
        BigDecimal cost = BigDecimal.ZERO;
        List<String> skipped = new ArrayList<>();
        for (StepExecution step : job.getStepExecutions()) {
          ExecutionContext c = step.getExecutionContext();
          tokens += c.getLong(TOKENS, 0);
          texts += c.getLong(TEXTS, 0);
          cost = cost.add(new BigDecimal(c.getString(COST, "0")));
          skipped.addAll(StepFigures.skipped(c));
        }
        ExecutionContext jc = job.getExecutionContext();
        jc.putLong(TOKENS, tokens);
        jc.putLong(TEXTS, texts);
        jc.putString(COST, cost.toPlainString());
        ExitStatus exit = job.getExitStatus();
        job.setExitStatus(
            exit.addExitDescription(StepFigures.summary(texts, tokens, cost, skipped)));
      }
    };
  }
}
