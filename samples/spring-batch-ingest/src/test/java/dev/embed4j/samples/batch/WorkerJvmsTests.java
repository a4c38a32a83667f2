package dev.embed4j.samples.batch;

import static org.assertj.core.api.Assertions.assertThat;

import dev.embed4j.emulator.EmbeddingEmulator;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.File;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.jdbc.core.JdbcTemplate;
import redis.embedded.RedisServer;

/**
 * Three worker JVMs (child processes with this module's class path) with one key, one PostgreSQL
 * and one Redis, against the emulator with a tokens-per-minute limit. Each worker ingests its own
 * JSONL file as its own job instance, partitioned on its own threads.
 */
class WorkerJvmsTests {
  private static final int WORKERS = 3;
  private static final int RECORDS = 300;
  private static final long TPM = 9_000;

  @TempDir Path dir;
  private EmbeddedPostgres postgres;
  private RedisServer redis;
  private int redisPort;
  private EmbeddingEmulator emulator;
  private final List<List<String>> texts = new ArrayList<>();
  private final List<Process> processes = new ArrayList<>();
  private final List<String> embedded = new ArrayList<>();

  @BeforeEach
  void start() throws Exception {
    postgres = EmbeddedPostgres.builder().start();
    PostgresVectorStore.createTable(new JdbcTemplate(postgres.getPostgresDatabase()));
    try (ServerSocket s = new ServerSocket(0)) {
      redisPort = s.getLocalPort();
    }
    redis = redis();
    redis.start();
    emulator = EmbeddingEmulator.builder().tokensPerMinute(TPM).start();
    for (int w = 0; w < WORKERS; w++) {
      List<String> t = new ArrayList<>();
      StringBuilder jsonl = new StringBuilder();
      for (int i = 0; i < RECORDS; i++) {
        String text = "Worker " + w + " record " + i + " about topic " + (i % 11) + ".";
        t.add(text);
        embedded.add(IngestSampleTests.embedded("w" + w + "-r" + i, text));
        jsonl.append("{\"id\":\"w" + w + "-r" + i + "\",\"text\":\"" + text + "\"}\n");
      }
      Files.writeString(input(w), jsonl, StandardCharsets.UTF_8);
      texts.add(t);
    }
  }

  private RedisServer redis() throws Exception {
    return RedisServer.newRedisServer()
        .port(redisPort)
        .bind("127.0.0.1")
        .setting("save \"\"")
        .build();
  }

  @AfterEach
  void stop() throws Exception {
    Path keep = Path.of("target", "worker-logs");
    Files.createDirectories(keep);
    try (var files = Files.list(dir)) {
      for (Path f : files.filter(f -> f.toString().endsWith(".log")).toList()) {
        Files.copy(
            f, keep.resolve(f.getFileName()), java.nio.file.StandardCopyOption.REPLACE_EXISTING);
      }
    }
    for (Process p : processes) {
      p.destroyForcibly();
    }
    emulator.close();
    redis.stop();
    postgres.close();
  }

  private Path input(int worker) {
    return dir.resolve("worker-" + worker + ".jsonl");
  }

  private Process worker(int w, String... more) throws Exception {
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.add("-Xmx256m");
    command.add("-XX:TieredStopAtLevel=1");
    command.add("-cp");
    command.add(System.getProperty("java.class.path"));
    command.add(IngestApplication.class.getName());
    command.add("--ingest.input=" + input(w));
    command.add("--ingest.partitions=2");
    command.add("--ingest.chunk-size=50");
    command.add("--ingest.database-url=" + postgres.getJdbcUrl("postgres", "postgres"));
    command.add("--embed4j.openai.api-key=sk-one-key");
    command.add("--embed4j.openai.base-url=" + emulator.baseUrl());
    command.add("--embed4j.rate-limit.tokens-per-minute=" + TPM);
    command.add("--embed4j.rate-limit.shared=redis");
    command.add("--spring.data.redis.host=127.0.0.1");
    command.add("--spring.data.redis.port=" + redisPort);
    command.addAll(List.of(more));
    File log = dir.resolve("worker-" + w + "-" + processes.size() + ".log").toFile();
    Process p = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log).start();
    processes.add(p);
    return p;
  }

  private long rows(String prefix) {
    return new JdbcTemplate(postgres.getPostgresDatabase())
        .queryForObject(
            "SELECT count(*) FROM embed4j_vectors WHERE id LIKE ?", Long.class, prefix + "%");
  }

  private void awaitSuccess(Process p, int w) throws Exception {
    assertThat(p.waitFor(170, TimeUnit.SECONDS)).as("worker %d finished", w).isTrue();
    assertThat(p.exitValue()).as("worker %d exit code; its log:%n%s", w, logs()).isZero();
  }

  private String logs() throws Exception {
    StringBuilder all = new StringBuilder();
    try (var files = Files.list(dir)) {
      for (Path f : files.filter(f -> f.toString().endsWith(".log")).sorted().toList()) {
        List<String> lines = Files.readAllLines(f);
        all.append("== ").append(f.getFileName()).append('\n');
        lines
            .subList(Math.max(0, lines.size() - 40), lines.size())
            .forEach(l -> all.append(l).append('\n'));
      }
    }
    return all.toString();
  }

  private void assertEveryRecordOnce() {
    List<String> all = new ArrayList<>();
    for (int w = 0; w < WORKERS; w++) {
      for (int i = 0; i < RECORDS; i++) {
        all.add(texts.get(w).get(i));
      }
    }
    JdbcTemplate jdbc = new JdbcTemplate(postgres.getPostgresDatabase());
    assertThat(jdbc.queryForObject("SELECT count(*) FROM embed4j_vectors", Long.class))
        .isEqualTo((long) WORKERS * RECORDS);
    jdbc.query(
        "SELECT id, content, embedding FROM embed4j_vectors",
        rs -> {
          String id = rs.getString(1);
          int w = Integer.parseInt(id.substring(1, id.indexOf('-')));
          int i = Integer.parseInt(id.substring(id.indexOf("-r") + 2));
          assertThat(rs.getString(2)).isEqualTo(texts.get(w).get(i));
          assertThat(PostgresVectorStore.vector(rs.getArray(3)))
              .as(id)
              .containsExactly(
                  EmbeddingEmulator.expectedVector(
                      IngestSampleTests.MODEL,
                      null,
                      IngestSampleTests.embedded(id, texts.get(w).get(i)),
                      1536));
        });
  }

  private long tokensOfAll() {
    return embedded.stream().mapToLong(EmbeddingEmulator::expectedTokens).sum();
  }

  @Test
  void threeWorkersShareTheKeysLimitAndAKilledOneRestartsWithoutLossOrDoublePay() throws Exception {
    long started = System.nanoTime();
    List<Process> first = new ArrayList<>();
    for (int w = 0; w < WORKERS; w++) {
      first.add(worker(w));
    }
    // Kill worker 0 once it has written some chunks, then run it again.
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
    while (rows("w0-") < 100 && first.get(0).isAlive() && System.nanoTime() < deadline) {
      Thread.sleep(100);
    }
    assertThat(first.get(0).isAlive())
        .as("worker 0 still running when killed:%n%s", logs())
        .isTrue();
    first.get(0).destroyForcibly().waitFor();
    long beforeRestart = rows("w0-");
    assertThat(beforeRestart).isBetween(100L, (long) RECORDS - 1);
    Process again = worker(0, "--ingest.recover=true");
    for (int w = 1; w < WORKERS; w++) {
      awaitSuccess(first.get(w), w);
    }
    awaitSuccess(again, 0);

    assertEveryRecordOnce();
    long billed = emulator.stats().tokensBilled();
    long requests = emulator.stats().requests();
    // Committed chunks are never embedded again; only what was in flight when the worker died
    // (at most one chunk per partition: 2 x 50 records) can be billed twice.
    long inFlightBound = 2 * 50 * 16;
    System.out.printf(
        "three workers, one killed and rerun: %d ms wall, %d requests, %d answered 429, %d tokens"
            + " billed for %d%n",
        TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started),
        requests,
        emulator.stats().rateLimited(),
        billed,
        tokensOfAll());
    assertThat(billed).isBetween(tokensOfAll(), tokensOfAll() + inFlightBound);
    assertThat(emulator.stats().rateLimited())
        .as("429s out of %d requests", requests)
        .isLessThan(Math.max(1, requests / 100));
  }

  @Test
  void withRedisStoppedMidRunTheWorkersFinishOnLocalLimits() throws Exception {
    List<Process> workers = new ArrayList<>();
    for (int w = 0; w < WORKERS; w++) {
      workers.add(worker(w));
    }
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
    while (rows("w") < 200 && System.nanoTime() < deadline) {
      Thread.sleep(100);
    }
    redis.stop();
    for (int w = 0; w < WORKERS; w++) {
      awaitSuccess(workers.get(w), w);
    }
    assertEveryRecordOnce();
    assertThat(emulator.stats().tokensBilled()).isEqualTo(tokensOfAll());
    assertThat(logs()).contains("cannot be reached");
    redis = redis(); // for stop()
    redis.start();
  }
}
