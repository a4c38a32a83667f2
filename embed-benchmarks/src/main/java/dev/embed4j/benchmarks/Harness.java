package dev.embed4j.benchmarks;

import dev.embed4j.emulator.EmbeddingEmulator;
import dev.embed4j.emulator.LimiterShape;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * End-to-end throughput against the emulator: embeds the same deterministic chunk-like texts (50 to
 * 300 tokens) through Embed4j, LangChain4j's and Spring AI's OpenAI embedding models, and prints a
 * Markdown table of wall time, requests, 429s, CPU time, peak heap and whether every vector is the
 * one the emulator computes for its text.
 *
 * <pre>{@code
 * java -cp embed-benchmarks/target/benchmarks.jar dev.embed4j.benchmarks.Harness \
 *     --texts 20000 --latency-ms 150 [--rpm N] [--tpm N] [--clients embed4j,langchain4j,springai] \
 *     [--concurrency 64] [--batch 64] [--warmup 5000] [--repeat 1] [--cap-minutes 10] \
 *     [--langchain4j-batch 1000] [--springai-max-tokens 8191] [--in-process-emulator] \
 *     [--sweep-concurrency 1,2,4,8,16,32,64] [--csv docs/sweep.csv] [--chart docs/throughput.png]
 *     [--limiter token-bucket|sliding-window|fixed-window] [--no-rate-limit-headers]
 *     [--max-retry-after-ms N] [--limiter-table]
 * }</pre>
 *
 * <p>{@code --limiter}, {@code --no-rate-limit-headers} and {@code --max-retry-after-ms} set how
 * the emulator counts its {@code --rpm}/{@code --tpm} limits, whether it sends {@code
 * x-ratelimit-*} headers, and the cap on its retry-after; under a limit the report adds the share
 * of the limit used and of requests answered 429 (see {@link LimiterTable}). {@code
 * --limiter-table} runs Embed4j once per limiter shape, with and without headers, and prints one
 * table.
 *
 * <p>The emulator runs in a child JVM (or in this one with {@code --in-process-emulator}), so the
 * CPU time and heap figures are the client's alone; "other CPU" is what the rest of the machine
 * used meanwhile, emulator excluded, to tell a disturbed measurement. An unmeasured Embed4j pass
 * over the texts first gets the emulator compiled; then every client embeds {@code --warmup} texts
 * and is measured {@code --repeat} times, each run starting with a garbage collection and fresh
 * peak-heap and emulator counters. A run over {@code --cap-minutes} is stopped and reported as
 * such; the emulator is then restarted.
 *
 * <p>For Embed4j it adds the latency-bound ideal, {@code ceil(N / batch) / concurrency x latency},
 * and the CPU-bound floor, the CPU time client and emulator used divided by the cores they share.
 * Under {@code --tpm}, each run uses a fresh key, whose bucket starts full, and the share of the
 * limit used is given twice: tokens billed per minute from 10 s into the run to its end, and over
 * the whole run less the full bucket it started with.
 *
 * <p>{@code --sweep-concurrency} measures Embed4j at each bound on requests in flight (embedders
 * derived from one warmed-up embedder), then the other clients once; {@code --csv} and {@code
 * --chart} write the results as CSV and as a PNG chart of texts per second.
 */
public final class Harness {
  static final int DIMENSIONS = 1536;
  private static final double NANOS_PER_MINUTE = 60e9;
  private static final long STEADY_FROM_NANOS = TimeUnit.SECONDS.toNanos(10);

  /** What to run; see the class comment for the flags. */
  public record Options(
      int texts,
      long latencyMs,
      long rpm,
      long tpm,
      List<String> clients,
      int concurrency,
      int batch,
      int warmup,
      int repeat,
      List<Integer> sweep,
      Path csv,
      Path chart,
      int langChain4jBatch,
      int springAiTokens,
      Duration cap,
      boolean inProcessEmulator,
      LimiterShape limiter,
      boolean rateLimitHeaders,
      long maxRetryAfterMs,
      boolean limiterTable) {

    public static Options defaults() {
      return new Options(
          20_000,
          150,
          0,
          0,
          List.of("embed4j", "langchain4j", "springai"),
          64,
          64,
          5000,
          1,
          List.of(),
          null,
          null,
          1000,
          8191,
          Duration.ofMinutes(10),
          false,
          LimiterShape.TOKEN_BUCKET,
          true,
          -1,
          false);
    }

    Options limiter(LimiterShape shape, boolean headers) {
      return new Options(
          texts,
          latencyMs,
          rpm,
          tpm,
          clients,
          concurrency,
          batch,
          warmup,
          repeat,
          sweep,
          csv,
          chart,
          langChain4jBatch,
          springAiTokens,
          cap,
          inProcessEmulator,
          shape,
          headers,
          maxRetryAfterMs,
          false);
    }
  }

  /**
   * One measured run. {@code concurrency} is Embed4j's bound on requests in flight, 1 for the peers
   * (they send one request at a time); {@code failure} is null if the client returned.
   */
  public record Result(
      String client,
      int concurrency,
      int texts,
      double seconds,
      Emulator.Snapshot server,
      double cpuSeconds,
      double jitCpuSeconds,
      double gcCpuSeconds,
      double emulatorCpuSeconds,
      double otherCpuSeconds,
      long peakHeapBytes,
      int vectors,
      int matched,
      String failure,
      String load,
      double idealSeconds,
      double tpmShareSteady,
      double tpmShareRefill,
      double allowedSeconds) {

    /** Every text got the emulator's vector for it, in order. */
    public boolean allMatched() {
      return failure == null && vectors == texts && matched == texts;
    }

    double textsPerSecond() {
      return failure == null ? texts / seconds : Double.NaN;
    }
  }

  private final Options options;
  private final List<String> texts;
  private final long tokens;
  private final PrintStream out;
  private Emulator emulator;

  private Harness(Options options, PrintStream out) {
    this.options = options;
    this.out = out;
    this.texts = Texts.chunks(options.texts());
    this.tokens = texts.stream().mapToLong(EmbeddingEmulator::expectedTokens).sum();
  }

  public static void main(String[] args) throws IOException {
    Options options;
    try {
      options = parse(args);
    } catch (RuntimeException e) {
      System.err.println(
          "error: " + e.getMessage() + "\nsee the Javadoc of " + Harness.class.getName());
      System.exit(2);
      return;
    }
    if (options.limiterTable()) {
      LimiterTable.run(options, System.out);
    } else {
      run(options, System.out);
    }
  }

  /**
   * Runs what {@code options} asks for, prints the report to {@code out} and returns the results.
   */
  public static List<Result> run(Options options, PrintStream out) throws IOException {
    Harness h = new Harness(options, out);
    h.describe();
    h.emulator = Emulator.start(h.settings(), options.inProcessEmulator());
    List<Result> results;
    try {
      results = options.sweep().isEmpty() ? h.compare() : h.sweep();
    } finally {
      h.emulator.close();
    }
    h.report(results);
    return results;
  }

  private Emulator.Settings settings() {
    return new Emulator.Settings(
        options.latencyMs(),
        options.rpm(),
        options.tpm(),
        options.limiter(),
        options.rateLimitHeaders(),
        options.maxRetryAfterMs());
  }

  private void describe() {
    int min = Integer.MAX_VALUE;
    int max = 0;
    long sum = 0;
    for (String t : texts) {
      int n = EmbeddingEmulator.expectedTokens(t);
      min = Math.min(min, n);
      max = Math.max(max, n);
      sum += n;
    }
    out.printf(
        Locale.ROOT,
        "%d texts, %d to %d tokens (mean %.1f, total %d); emulator latency %d ms%s%s%s; "
            + "%d processors, max heap %d MiB, Java %s; load %s%n",
        texts.size(),
        min,
        max,
        (double) sum / texts.size(),
        sum,
        options.latencyMs(),
        options.rpm() > 0 ? ", " + options.rpm() + " RPM" : "",
        options.tpm() > 0 ? ", " + options.tpm() + " TPM" : "",
        options.rpm() > 0 || options.tpm() > 0 ? ", " + LimiterTable.describe(options) : "",
        Runtime.getRuntime().availableProcessors(),
        Runtime.getRuntime().maxMemory() >> 20,
        System.getProperty("java.version"),
        Probe.loadAverage());
  }

  private List<Result> compare() {
    warmUpEmulator();
    List<Result> results = new ArrayList<>();
    for (String name : options.clients()) {
      if (options.tpm() > 0) {
        // Limits are kept per key: warm up on one, measure every run on a fresh one whose bucket
        // starts full.
        try (Client client = client(name, "sk-warmup")) {
          warmUp(client);
        }
        for (int i = 1; i <= options.repeat(); i++) {
          try (Client client = client(name, "sk-benchmark-" + i)) {
            results.add(measure(client));
          }
        }
      } else {
        try (Client client = client(name, "sk-benchmark")) {
          warmUp(client);
          for (int i = 1; i <= options.repeat(); i++) {
            results.add(measure(client));
          }
        }
      }
    }
    return results;
  }

  /**
   * One unmeasured Embed4j pass over the texts gets the emulator's JVM compiled (skipped under a
   * TPM limit).
   */
  private void warmUpEmulator() {
    if (options.tpm() == 0 && options.warmup() > 0) {
      try (Client client = Client.embed4j(emulator.baseUrl(), "sk-warmup", 64, 64)) {
        warmUp(client, Math.min(texts.size(), 20_000));
      }
    }
  }

  /** Embed4j at each concurrency (embedders derived from one warmed up), then the peers once. */
  private List<Result> sweep() {
    List<Result> results = new ArrayList<>();
    int most = options.sweep().stream().mapToInt(Integer::intValue).max().orElseThrow();
    warmUpEmulator();
    try (Client.Embed4j base =
        Client.embed4j(emulator.baseUrl(), "sk-benchmark", options.batch(), most)) {
      warmUp(base);
      for (int c : options.sweep()) {
        try (Client.Embed4j client = base.withConcurrency(c)) {
          for (int i = 1; i <= options.repeat(); i++) {
            results.add(measure(client));
          }
        }
      }
    }
    for (String name : options.clients()) {
      if (!name.equals("embed4j")) {
        try (Client client = client(name, "sk-benchmark")) {
          warmUp(client);
          results.add(measure(client));
        }
      }
    }
    return results;
  }

  private Client client(String name, String key) {
    String base = emulator.baseUrl();
    return switch (name) {
      case "embed4j" -> Client.embed4j(base, key, options.batch(), options.concurrency());
      case "langchain4j" -> Client.langChain4j(base, key, options.langChain4jBatch());
      case "springai" -> Client.springAi(base, key, options.springAiTokens());
      default ->
          throw new IllegalArgumentException(
              "unknown client " + name + "; known: embed4j, langchain4j, springai");
    };
  }

  private void warmUp(Client client) {
    warmUp(client, Math.min(options.warmup(), texts.size()));
  }

  private void warmUp(Client client, int n) {
    if (n == 0) {
      return;
    }
    long start = System.nanoTime();
    try {
      client.embed(texts.subList(0, n));
      out.printf(
          Locale.ROOT, "warm-up: %s, %d texts in %.2f s%n", client.describe(), n, seconds(start));
    } catch (Exception e) {
      out.printf("warm-up: %s failed: %s%n", client.describe(), message(e));
    }
  }

  private Result measure(Client client) {
    Client.Embed4j embed4j = client instanceof Client.Embed4j ? (Client.Embed4j) client : null;
    Probe.collectGarbageAndResetPeaks();
    emulator.reset();
    String load = Probe.loadAverage();
    TokenSampler sampler = options.tpm() > 0 ? new TokenSampler(emulator) : null;
    long cpu0 = Probe.processCpuNanos();
    long[] threads0 = Probe.threadCpuNanos();
    long emu0 = emulator.cpuNanos();
    long machine0 = Probe.machineCpuNanos();
    long start = System.nanoTime();

    ExecutorService runner =
        Executors.newSingleThreadExecutor(
            r -> {
              Thread t = new Thread(r, "harness-client");
              t.setDaemon(true);
              return t;
            });
    Future<List<float[]>> future = runner.submit(() -> client.embed(texts));
    List<float[]> vectors = null;
    String failure = null;
    boolean stopped = false;
    try {
      vectors = future.get(options.cap().toNanos(), TimeUnit.NANOSECONDS);
    } catch (TimeoutException e) {
      future.cancel(true);
      stopped = true;
      failure = "> " + options.cap().toMinutes() + " min (stopped)";
    } catch (ExecutionException e) {
      failure = message(e.getCause());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      failure = "interrupted";
    } finally {
      runner.shutdownNow();
    }
    long elapsed = System.nanoTime() - start;
    double cpu = (Probe.processCpuNanos() - cpu0) / 1e9;
    long[] threads = Probe.threadCpuNanos();
    long emuCpu = emu0 < 0 ? -1 : emulator.cpuNanos() - emu0;
    long machine = Probe.machineCpuNanos() - machine0;
    long peakHeap = Probe.heapPeakBytes();
    Emulator.Snapshot server = emulator.stats();
    double steady = Double.NaN;
    if (sampler != null) {
      steady = sampler.stop(elapsed, server.tokensBilled()) / options.tpm();
    }

    int matched = matched(vectors, client);
    if (stopped) { // the abandoned run may still be sending: give the next client a fresh emulator
      emulator.close();
      emulator = Emulator.start(settings(), options.inProcessEmulator());
    }
    double other = machine0 < 0 ? Double.NaN : (machine - (cpu * 1e9) - Math.max(0, emuCpu)) / 1e9;
    double ideal = Double.NaN;
    double refill = Double.NaN;
    if (embed4j != null) {
      ideal =
          Math.ceil((double) texts.size() / embed4j.batchSize)
              / embed4j.concurrency
              * options.latencyMs()
              / 1e3;
      if (options.tpm() > 0) {
        refill =
            (server.tokensBilled() - options.tpm()) / (elapsed / NANOS_PER_MINUTE) / options.tpm();
      }
    }
    Result r =
        new Result(
            client.describe(),
            embed4j == null ? 1 : embed4j.concurrency,
            texts.size(),
            elapsed / 1e9,
            server,
            cpu,
            threads0[0] < 0 ? Double.NaN : (threads[0] - threads0[0]) / 1e9,
            threads0[1] < 0 ? Double.NaN : (threads[1] - threads0[1]) / 1e9,
            emuCpu < 0 ? Double.NaN : emuCpu / 1e9,
            other,
            peakHeap,
            vectors == null ? 0 : vectors.size(),
            matched,
            failure,
            load,
            ideal,
            steady,
            refill,
            options.tpm() > 0 ? LimiterTable.allowedSeconds(options, tokens) : Double.NaN);
    out.printf(
        Locale.ROOT,
        "measured: %s: %s, %d requests, %d rate-limited, %d/%d vectors matched%n",
        r.client(),
        failure == null ? String.format(Locale.ROOT, "%.3f s", r.seconds()) : failure,
        server.requests(),
        server.rateLimited(),
        matched,
        texts.size());
    return r;
  }

  /** How many vectors are bit for bit the emulator's vector for the text at their index. */
  private int matched(List<float[]> vectors, Client client) {
    if (vectors == null) {
      return 0;
    }
    int matched = 0;
    for (int i = 0; i < Math.min(vectors.size(), texts.size()); i++) {
      float[] expected =
          EmbeddingEmulator.expectedVector(
              Client.MODEL, null, client.sent(texts.get(i)), DIMENSIONS);
      if (Arrays.equals(expected, vectors.get(i))) {
        matched++;
      }
    }
    return matched;
  }

  // --- report

  private void report(List<Result> results) throws IOException {
    // The reference is the median Embed4j run at the highest concurrency measured.
    int most =
        results.stream()
            .filter(r -> !Double.isNaN(r.idealSeconds()))
            .mapToInt(Result::concurrency)
            .max()
            .orElse(0);
    List<Result> mine =
        results.stream()
            .filter(
                r ->
                    !Double.isNaN(r.idealSeconds())
                        && r.failure() == null
                        && r.concurrency() == most)
            .sorted(Comparator.comparingDouble(Result::seconds))
            .toList();
    Result embed4j = mine.isEmpty() ? null : mine.get(mine.size() / 2);
    out.println();
    out.println(
        "| client | wall time | texts/s | vs Embed4j | requests | 429s | max in flight | client CPU"
            + " s | client CPU µs / vector | of which JIT / GC, s | emulator CPU s | other CPU s | peak heap MiB | vectors"
            + " matched | load (1/5/15 min) |");
    out.println("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---|---|");
    for (Result r : results) {
      String wall =
          r.failure() != null ? r.failure() : String.format(Locale.ROOT, "%.3f s", r.seconds());
      String versus =
          embed4j == null || r.failure() != null
              ? ""
              : !Double.isNaN(r.idealSeconds())
                  ? ""
                  : String.format(Locale.ROOT, "%.1fx slower", r.seconds() / embed4j.seconds());
      out.printf(
          Locale.ROOT,
          "| %s | %s | %s | %s | %d | %d | %d | %.2f | %.1f | %s / %s | %s | %s | %d | %s | %s |%n",
          r.client(),
          wall,
          fmt(r.textsPerSecond(), "%.0f"),
          versus,
          r.server().requests(),
          r.server().rateLimited(),
          r.server().maxInFlight(),
          r.cpuSeconds(),
          r.cpuSeconds() * 1e6 / Math.max(1, r.vectors()),
          fmt(r.jitCpuSeconds(), "%.2f"),
          fmt(r.gcCpuSeconds(), "%.2f"),
          fmt(r.emulatorCpuSeconds(), "%.2f"),
          fmt(r.otherCpuSeconds(), "%.2f"),
          r.peakHeapBytes() >> 20,
          (r.allMatched() ? "all " : "") + r.matched() + "/" + r.texts(),
          r.load());
    }
    if (most > 0) {
      out.println();
      out.println(
          "| Embed4j | wall time | latency-bound ideal | wall / ideal | CPU-bound floor | 429s /"
              + " requests | TPM used (10 s to end) | TPM used (whole run, less initial bucket) |");
      out.println("|---|---:|---:|---:|---:|---:|---:|---:|");
      int cores = Runtime.getRuntime().availableProcessors();
      for (Result r : results) {
        if (Double.isNaN(r.idealSeconds())) {
          continue;
        }
        double floor =
            (r.cpuSeconds() + (Double.isNaN(r.emulatorCpuSeconds()) ? 0 : r.emulatorCpuSeconds()))
                / cores;
        out.printf(
            Locale.ROOT,
            "| %s | %s | %.3f s | %s | %.3f s | %s | %s | %s |%n",
            r.client(),
            r.failure() != null ? r.failure() : String.format(Locale.ROOT, "%.3f s", r.seconds()),
            r.idealSeconds(),
            r.failure() != null
                ? ""
                : String.format(Locale.ROOT, "%.2f", r.seconds() / r.idealSeconds()),
            floor,
            percent((double) r.server().rateLimited() / Math.max(1, r.server().requests())),
            percent(r.tpmShareSteady()),
            percent(r.tpmShareRefill()));
      }
    }
    if (options.tpm() > 0) {
      out.println();
      LimiterTable.header(out);
      for (Result r : results) {
        if (!Double.isNaN(r.idealSeconds())) {
          LimiterTable.row(out, options, r);
        }
      }
    }
    if (options.csv() != null) {
      writeCsv(results);
    }
    if (options.chart() != null) {
      Chart.write(options.chart(), results, options);
      out.println("chart: " + options.chart());
    }
  }

  private void writeCsv(List<Result> results) throws IOException {
    StringBuilder csv =
        new StringBuilder(
            "client,in_flight,texts,latency_ms,wall_s,texts_per_s,requests,"
                + "rate_limited,ideal_s,client_cpu_s,emulator_cpu_s,peak_heap_mib,matched,load1\n");
    for (Result r : results) {
      csv.append(
          String.format(
              Locale.ROOT,
              "\"%s\",%d,%d,%d,%s,%s,%d,%d,%s,%.2f,%s,%d,%d,%s%n",
              r.client(),
              r.concurrency(),
              r.texts(),
              options.latencyMs(),
              r.failure() == null ? fmt(r.seconds(), "%.3f") : "",
              fmt(r.textsPerSecond(), "%.1f"),
              r.server().requests(),
              r.server().rateLimited(),
              fmt(r.idealSeconds(), "%.3f"),
              r.cpuSeconds(),
              fmt(r.emulatorCpuSeconds(), "%.2f"),
              r.peakHeapBytes() >> 20,
              r.matched(),
              r.load().split(" ")[0]));
    }
    if (options.csv().getParent() != null) {
      Files.createDirectories(options.csv().getParent());
    }
    Files.writeString(options.csv(), csv);
    out.println("csv: " + options.csv());
  }

  private static String fmt(double v, String format) {
    return Double.isNaN(v) ? "" : String.format(Locale.ROOT, format, v);
  }

  private static String percent(double share) {
    return Double.isNaN(share) ? "" : String.format(Locale.ROOT, "%.1f %%", share * 100);
  }

  private static double seconds(long startNanos) {
    return (System.nanoTime() - startNanos) / 1e9;
  }

  private static String message(Throwable e) {
    Throwable root = e;
    while (root.getCause() != null && root.getCause() != root) {
      root = root.getCause();
    }
    String m = e.getClass().getSimpleName() + ": " + e.getMessage();
    if (root != e) {
      m += " (" + root.getClass().getSimpleName() + ": " + root.getMessage() + ")";
    }
    return m.length() > 300 ? m.substring(0, 300) + "..." : m;
  }

  /** Reads the emulator's tokens billed four times a second, for the steady-state TPM share. */
  private static final class TokenSampler {
    private final ScheduledExecutorService timer =
        Executors.newSingleThreadScheduledExecutor(
            r -> {
              Thread t = new Thread(r, "harness-sampler");
              t.setDaemon(true);
              return t;
            });
    private final long start = System.nanoTime();
    private volatile long atNanos = -1;
    private volatile long tokensThen;

    TokenSampler(Emulator emulator) {
      timer.scheduleAtFixedRate(
          () -> {
            long t = System.nanoTime() - start;
            if (atNanos < 0 && t >= STEADY_FROM_NANOS) {
              tokensThen = emulator.stats().tokensBilled();
              atNanos = t;
            }
          },
          250,
          250,
          TimeUnit.MILLISECONDS);
    }

    /**
     * Tokens per minute from the first sample 10 s in to the end; NaN if the run was shorter than
     * 30 s.
     */
    double stop(long elapsedNanos, long tokensAtEnd) {
      timer.shutdownNow();
      long from = atNanos;
      if (from < 0 || elapsedNanos < 3 * STEADY_FROM_NANOS) {
        return Double.NaN;
      }
      return (tokensAtEnd - tokensThen) / ((elapsedNanos - from) / NANOS_PER_MINUTE);
    }
  }

  // --- flags

  static Options parse(String[] args) {
    Options o = Options.defaults();
    int texts = o.texts();
    long latency = o.latencyMs();
    long rpm = o.rpm();
    long tpm = o.tpm();
    List<String> clients = o.clients();
    int concurrency = o.concurrency();
    int batch = o.batch();
    int warmup = o.warmup();
    int repeat = o.repeat();
    List<Integer> sweep = o.sweep();
    Path csv = null;
    Path chart = null;
    int lcBatch = o.langChain4jBatch();
    int springTokens = o.springAiTokens();
    Duration cap = o.cap();
    boolean inProcess = false;
    LimiterShape shape = o.limiter();
    boolean headers = o.rateLimitHeaders();
    long maxRetryAfter = o.maxRetryAfterMs();
    boolean table = false;
    for (int i = 0; i < args.length; i++) {
      String flag = args[i];
      if (flag.equals("--in-process-emulator")) {
        inProcess = true;
        continue;
      }
      if (flag.equals("--no-rate-limit-headers")) {
        headers = false;
        continue;
      }
      if (flag.equals("--limiter-table")) {
        table = true;
        continue;
      }
      if (i + 1 >= args.length) {
        throw new IllegalArgumentException("missing value after " + flag);
      }
      String v = args[++i];
      switch (flag) {
        case "--texts" -> texts = Integer.parseInt(v);
        case "--latency-ms" -> latency = Long.parseLong(v);
        case "--rpm" -> rpm = Long.parseLong(v);
        case "--tpm" -> tpm = Long.parseLong(v);
        case "--clients" -> clients = List.of(v.split(","));
        case "--concurrency" -> concurrency = Integer.parseInt(v);
        case "--batch" -> batch = Integer.parseInt(v);
        case "--warmup" -> warmup = Integer.parseInt(v);
        case "--repeat" -> repeat = Integer.parseInt(v);
        case "--sweep-concurrency" ->
            sweep = Arrays.stream(v.split(",")).map(Integer::valueOf).toList();
        case "--csv" -> csv = Path.of(v);
        case "--chart" -> chart = Path.of(v);
        case "--langchain4j-batch" -> lcBatch = Integer.parseInt(v);
        case "--springai-max-tokens" -> springTokens = Integer.parseInt(v);
        case "--cap-minutes" -> cap = Duration.ofMinutes(Long.parseLong(v));
        case "--limiter" ->
            shape = LimiterShape.valueOf(v.toUpperCase(Locale.ROOT).replace('-', '_'));
        case "--max-retry-after-ms" -> maxRetryAfter = Long.parseLong(v);
        default -> throw new IllegalArgumentException("unknown flag " + flag);
      }
    }
    return new Options(
        texts,
        latency,
        rpm,
        tpm,
        clients,
        concurrency,
        batch,
        warmup,
        repeat,
        sweep,
        csv,
        chart,
        lcBatch,
        springTokens,
        cap,
        inProcess,
        shape,
        headers,
        maxRetryAfter,
        table);
  }
}
