package dev.embed4j.internal;

import dev.embed4j.BatchOutcome;
import dev.embed4j.CostEstimate;
import dev.embed4j.EmbedListener;
import dev.embed4j.EmbeddingRun;
import java.math.BigDecimal;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code showProgress(true)}: a console bar of texts done with running cost and tokens, or, without
 * a console (or without the optional progressbar library), an INFO log line at most every few
 * seconds; a summary line at the end either way. Retries and rate-limited attempts are counted from
 * each batch's outcome, as the run counts them.
 *
 * <p>This class never names a type of the progressbar library: only {@link ConsoleBar} does, and it
 * is loaded only once the library is known to be there.
 */
final class ProgressReporter implements EmbedListener {
  private static final Logger log = LoggerFactory.getLogger("dev.embed4j.progress");
  private static final long LOG_INTERVAL_NANOS = TimeUnit.SECONDS.toNanos(5);

  private final boolean console;
  private final Map<String, Progress> runs = new ConcurrentHashMap<>();

  /**
   * @param console whether to draw a bar (a console and the optional library are there)
   */
  ProgressReporter(boolean console) {
    this.console = console;
  }

  /** Whether there is a console and the optional progressbar library is on the class path. */
  static boolean consoleAvailable() {
    return consoleAvailable(System.console() != null);
  }

  static boolean consoleAvailable(boolean hasConsole) {
    if (!hasConsole) {
      return false;
    }
    try {
      Class.forName(
          "me.tongfei.progressbar.ProgressBar", false, ProgressReporter.class.getClassLoader());
      return true;
    } catch (ClassNotFoundException | LinkageError e) {
      return false;
    }
  }

  @Override
  public void runStarted(String runId, CostEstimate plan) {
    Progress p = new Progress(plan);
    runs.put(runId, p);
    if (console) {
      p.bar = ConsoleBar.open("Embedding [" + modelName(plan.model()) + "]", plan.texts());
    } else {
      log.info(
          "Embedding {} with {} in {} (about {} tokens, {})",
          plural(plan.texts(), "text"),
          plan.model(),
          plural(plan.batches(), "batch"),
          plan.tokens(),
          EmbeddingRun.formatDollars(plan.cost()));
    }
  }

  @Override
  public void batchSucceeded(BatchOutcome batch) {
    advance(batch);
  }

  @Override
  public void batchFailed(BatchOutcome batch) {
    advance(batch);
  }

  private void advance(BatchOutcome batch) {
    Progress p = runs.get(batch.runId());
    if (p == null) {
      return;
    }
    String line;
    int done;
    synchronized (p) {
      p.done += batch.size();
      p.retries += batch.retries();
      p.rateLimited += batch.rateLimited();
      p.tokens += batch.tokens();
      p.estimated |= batch.tokensEstimated(); // providers hook
      p.cost = p.cost.add(batch.cost());
      done = p.done;
      line =
          EmbeddingRun.formatDollars(p.cost)
              + " | "
              + p.tokens
              + (p.estimated ? " tok (estimated)" : " tok")
              + (p.retries == 0 ? "" : " | " + p.retries + (p.retries == 1 ? " retry" : " retries"))
              + (p.rateLimited == 0 ? "" : " (" + p.rateLimited + " rate-limited)");
      if (p.bar != null) {
        p.bar.step(batch.size(), line);
        return;
      }
      long now = System.nanoTime();
      if (now - p.lastLog < LOG_INTERVAL_NANOS) {
        return;
      }
      p.lastLog = now;
    }
    log.info(
        "Embedding [{}] {}% | {}/{} texts | {}",
        modelName(p.start.model()), done * 100 / p.start.texts(), done, p.start.texts(), line);
  }

  @Override
  public void runFinished(EmbeddingRun run) {
    Progress p = runs.remove(run.id());
    if (p != null && p.bar != null) {
      p.bar.close();
    }
    if (run.isComplete()) {
      log.info("{}", run.summary());
    } else {
      log.warn("{}", run.summary());
    }
  }

  private static String plural(int n, String noun) {
    return n + " " + (n == 1 ? noun : noun.endsWith("h") ? noun + "es" : noun + "s");
  }

  private static String modelName(String id) {
    return id.substring(id.indexOf(':') + 1);
  }

  private static final class Progress {
    final CostEstimate start;
    int done;
    long tokens;
    boolean estimated;
    int retries;
    int rateLimited;
    BigDecimal cost = BigDecimal.ZERO;
    long lastLog = System.nanoTime();
    ConsoleBar bar;

    Progress(CostEstimate start) {
      this.start = start;
    }
  }
}
