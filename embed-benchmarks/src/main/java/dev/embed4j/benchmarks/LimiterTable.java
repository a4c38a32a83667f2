package dev.embed4j.benchmarks;

import dev.embed4j.emulator.LimiterShape;
import java.io.IOException;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Embed4j under a server limit of every shape: one {@link Harness} run per {@link LimiterShape},
 * with and without {@code x-ratelimit-*} headers, each against a fresh emulator, then one table.
 *
 * <pre>{@code
 * java -cp embed-benchmarks/target/benchmarks.jar dev.embed4j.benchmarks.Harness --limiter-table \
 *     --texts 4000 --batch 4 --concurrency 32 --latency-ms 100 --tpm 200000 \
 *     --max-retry-after-ms 2000 --warmup 100
 * }</pre>
 *
 * <p>What the limit allows is the shortest wall time any client could reach: for {@code T} tokens
 * under {@code L} per minute, {@code (T - L) / L} minutes for a token bucket (it starts full), and
 * {@code ceil(T / L) - 1} whole minutes for a 60-s window (the limit at once, then again each time
 * the window has passed), plus one request's latency. The share of the limit used is that time
 * divided by the wall time; the 429 share is the emulator's count of 429s over its requests.
 */
final class LimiterTable {
  private LimiterTable() {}

  static void run(Harness.Options options, PrintStream out) throws IOException {
    if (options.tpm() <= 0) {
      throw new IllegalArgumentException("--limiter-table needs --tpm");
    }
    List<Harness.Options> rows = new ArrayList<>();
    List<Harness.Result> results = new ArrayList<>();
    for (LimiterShape shape : LimiterShape.values()) {
      for (boolean headers : new boolean[] {true, false}) {
        Harness.Options row = options.limiter(shape, headers);
        out.println();
        out.println("## " + describe(row));
        for (Harness.Result r : Harness.run(row, out)) {
          if (!Double.isNaN(r.idealSeconds())) {
            rows.add(row);
            results.add(r);
          }
        }
      }
    }
    out.println();
    out.println("load after the runs: " + Probe.loadAverage());
    header(out);
    for (int i = 0; i < rows.size(); i++) {
      row(out, rows.get(i), results.get(i));
    }
  }

  static String describe(Harness.Options o) {
    return o.limiter().name().toLowerCase(Locale.ROOT).replace('_', ' ')
        + (o.rateLimitHeaders() ? ", x-ratelimit-* headers" : ", no rate-limit headers")
        + (o.maxRetryAfterMs() >= 0
            ? ", retry-after capped at " + o.maxRetryAfterMs() + " ms"
            : "");
  }

  /** The shortest wall time the limit allows for {@code tokens}, in seconds. */
  static double allowedSeconds(Harness.Options o, long tokens) {
    double limit = o.tpm();
    double minutes =
        o.limiter() == LimiterShape.TOKEN_BUCKET
            ? Math.max(0, tokens - limit) / limit
            : Math.ceil(tokens / limit) - 1;
    return minutes * 60 + o.latencyMs() / 1e3;
  }

  static void header(PrintStream out) {
    out.println(
        "| server limiter | rate-limit headers | requests | answered 429 | wall time | what the"
            + " limit allows | wall / allowed | share of the limit used | load (1/5/15 min) |");
    out.println("|---|---|---:|---:|---:|---:|---:|---:|---|");
  }

  static void row(PrintStream out, Harness.Options o, Harness.Result r) {
    long requests = r.server().requests();
    double allowed = r.allowedSeconds();
    out.printf(
        Locale.ROOT,
        "| %s | %s | %d | %d (%.1f %%) | %s | %.1f s | %s | %s | %s |%n",
        o.limiter().name().toLowerCase(Locale.ROOT).replace('_', ' '),
        o.rateLimitHeaders() ? "yes" : "none",
        requests,
        r.server().rateLimited(),
        100.0 * r.server().rateLimited() / Math.max(1, requests),
        r.failure() != null ? r.failure() : String.format(Locale.ROOT, "%.1f s", r.seconds()),
        allowed,
        r.failure() != null ? "" : String.format(Locale.ROOT, "%.2f", r.seconds() / allowed),
        r.failure() != null
            ? ""
            : String.format(Locale.ROOT, "%.1f %%", 100 * Math.min(1, allowed / r.seconds())),
        r.load());
  }
}
