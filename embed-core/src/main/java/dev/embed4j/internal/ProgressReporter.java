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
 * {@code showProgress(true)}: a console bar of texts done with texts per second, running cost and
 * tokens, what the cache and dedupe saved, and an ETA when the total is known (always for a list;
 * for a stream given its expected size); without a console (or without the optional progressbar
 * library), the same as an INFO log line at most every few seconds; a summary line at the end
 * either way. Retries and rate-limited attempts are counted from each batch's outcome, as the run
 * counts them.
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
    } else if (plan.texts() < 0) {
      log.info("Embedding a stream with {}", plan.model());
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
    advance(batch.runId(), batch.size(), batch);
  }

  @Override
  public void batchFailed(BatchOutcome batch) {
    advance(batch.runId(), batch.size(), batch);
  }

  @Override
  public void inputsReused(
      String runId,
      String model,
      int cacheHits,
      int duplicates,
      long savedTokens,
      BigDecimal savedCost) {
    Progress p = runs.get(runId);
    if (p != null) {
      synchronized (p) {
        p.reused += cacheHits + duplicates;
        p.savedTokens += savedTokens;
        p.savedCost = p.savedCost.add(savedCost);
      }
      advance(runId, cacheHits + duplicates, null);
    }
  }

  private void advance(String runId, int texts, BatchOutcome batch) {
    Progress p = runs.get(runId);
    if (p == null) {
      return;
    }
    String line;
    int done;
    synchronized (p) {
      p.done += texts;
      if (batch != null) {
        p.retries += batch.retries();
        p.rateLimited += batch.rateLimited();
        p.tokens += batch.tokens();
        p.estimated |= batch.tokensEstimated();
        p.cost = p.cost.add(batch.cost());
      }
      done = p.done;
      line = p.line(System.nanoTime());
      if (p.bar != null) {
        p.bar.step(texts, line);
        return;
      }
      long now = System.nanoTime();
      if (now - p.lastLog < LOG_INTERVAL_NANOS) {
        return;
      }
      p.lastLog = now;
    }
    int total = p.start.texts();
    if (total > 0) {
      log.info(
          "Embedding [{}] {}% | {}/{} texts | {}",
          modelName(p.start.model()), done * 100L / total, done, total, line);
    } else {
      log.info("Embedding [{}] {} texts | {}", modelName(p.start.model()), done, line);
    }
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

  /** The progress line of a run under way, as the bar and the log show it; null if none. */
  String line(String runId) {
    Progress p = runs.get(runId);
    if (p == null) {
      return null;
    }
    synchronized (p) {
      return p.line(System.nanoTime());
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
    final long startNanos = System.nanoTime();
    int done;
    int reused;
    long tokens;
    boolean estimated;
    int retries;
    int rateLimited;
    long savedTokens;
    BigDecimal cost = BigDecimal.ZERO;
    BigDecimal savedCost = BigDecimal.ZERO;
    long lastLog = System.nanoTime();
    ConsoleBar bar;

    Progress(CostEstimate start) {
      this.start = start;
    }

    /** {@code 1234 texts/s | $0.000120 | 6000 tok | saved 2400 tok $0.000048 | ETA 12 s}. */
    String line(long now) {
      double seconds = Math.max(1e-3, (now - startNanos) / 1e9);
      double rate = done / seconds;
      StringBuilder sb =
          new StringBuilder()
              .append(Math.round(rate))
              .append(" texts/s | ")
              .append(EmbeddingRun.formatDollars(cost))
              .append(" | ")
              .append(tokens)
              .append(estimated ? " tok (estimated)" : " tok");
      if (reused > 0) {
        sb.append(" | saved ")
            .append(savedTokens)
            .append(" tok ")
            .append(EmbeddingRun.formatDollars(savedCost));
      }
      if (retries > 0) {
        sb.append(" | ").append(retries).append(retries == 1 ? " retry" : " retries");
      }
      if (rateLimited > 0) {
        sb.append(" (").append(rateLimited).append(" rate-limited)");
      }
      int total = start.texts();
      if (total > 0 && done < total && rate > 0) {
        sb.append(" | ETA ").append(eta((long) ((total - done) / rate)));
      }
      return sb.toString();
    }

    private static String eta(long seconds) {
      return seconds < 60
          ? seconds + " s"
          : seconds < 3600
              ? seconds / 60 + " min " + seconds % 60 + " s"
              : seconds / 3600 + " h " + seconds % 3600 / 60 + " min";
    }
  }
}
