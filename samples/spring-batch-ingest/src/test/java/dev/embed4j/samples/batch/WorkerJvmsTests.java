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
 * Remote partitioning across JVMs (child processes with this module's class path): one manager
 * splits one JSONL file into partitions and queues a request per partition in PostgreSQL; two
 * workers take them, with one key whose limits they share through Redis, against the emulator with
 * a tokens-per-minute limit, and with the Redis embedding cache.
 */
class WorkerJvmsTests {
  private static final int RECORDS = 600;
  private static final int PARTITIONS = 6;
  private static final long TPM = 3_600;

  @TempDir Path dir;
  private EmbeddedPostgres postgres;
  private RedisServer redis;
  private int redisPort;
  private EmbeddingEmulator emulator;
  private final List<String> texts = new ArrayList<>();
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
    StringBuilder jsonl = new StringBuilder();
    for (int i = 0; i < RECORDS; i++) {
      String text = "Record " + i + " about topic " + (i % 11) + ".";
      texts.add(text);
      embedded.add(IngestSampleTests.embedded("r" + i, text));
      jsonl.append("{\"id\":\"r" + i + "\",\"text\":\"" + text + "\"}\n");
    }
    Files.writeString(input(), jsonl, StandardCharsets.UTF_8);
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

  private Path input() {
    return dir.resolve("records.jsonl");
  }

  private Process manager(String... more) throws Exception {
    List<String> args =
        new ArrayList<>(List.of("--ingest.role=manager", "--ingest.input=" + input()));
    args.add("--ingest.partitions=" + PARTITIONS);
    args.addAll(List.of(more));
    return jvm("manager", args);
  }

  private Process worker(String name) throws Exception {
    return jvm(name, List.of("--ingest.role=worker", "--ingest.worker-poll-ms=200"));
  }

  private Process jvm(String name, List<String> more) throws Exception {
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.add("-Xmx256m");
    command.add("-XX:TieredStopAtLevel=1");
    command.add("-cp");
    command.add(System.getProperty("java.class.path"));
    command.add(IngestApplication.class.getName());
    command.add("--ingest.chunk-size=50");
    command.add("--ingest.database-url=" + postgres.getJdbcUrl("postgres", "postgres"));
    command.add("--embed4j.openai.api-key=sk-one-key");
    command.add("--embed4j.openai.base-url=" + emulator.baseUrl());
    command.add("--embed4j.rate-limit.tokens-per-minute=" + TPM);
    command.add("--embed4j.rate-limit.shared=redis");
    command.add("--spring.data.redis.host=127.0.0.1");
    command.add("--spring.data.redis.port=" + redisPort);
    command.add("--embed4j.cache.type=redis");
    // 13 requests per chunk: a kill lands mid-chunk, and 1 % of the requests is more than one
    command.add("--embed4j.batch-size=4");
    command.addAll(more);
    File log = dir.resolve(processes.size() + "-" + name + ".log").toFile();
    Process p = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log).start();
    processes.add(p);
    return p;
  }

  private JdbcTemplate jdbc() {
    return new JdbcTemplate(postgres.getPostgresDatabase());
  }

  private long rows() {
    return jdbc().queryForObject("SELECT count(*) FROM embed4j_vectors", Long.class);
  }

  private long partitionsCompleted() {
    return jdbc()
        .queryForObject(
            "SELECT count(DISTINCT step_name) FROM batch_step_execution"
                + " WHERE step_name LIKE 'embed:%' AND status = 'COMPLETED'",
            Long.class);
  }

  private long running() {
    return jdbc()
        .queryForObject(
            "SELECT count(*) FROM batch_step_execution"
                + " WHERE step_name LIKE 'embed:%' AND status = 'STARTED'",
            Long.class);
  }

  private void await(String what, java.util.function.BooleanSupplier done) throws Exception {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
    while (!done.getAsBoolean()) {
      assertThat(System.nanoTime()).as("%s; logs:%n%s", what, logs()).isLessThan(deadline);
      Thread.sleep(100);
    }
  }

  private void awaitSuccess(Process p, String name) throws Exception {
    assertThat(p.waitFor(170, TimeUnit.SECONDS)).as("%s finished", name).isTrue();
    assertThat(p.exitValue()).as("%s exit code; logs:%n%s", name, logs()).isZero();
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
    assertThat(rows()).isEqualTo(RECORDS);
    jdbc()
        .query(
            "SELECT id, content, embedding FROM embed4j_vectors",
            rs -> {
              String id = rs.getString(1);
              int i = Integer.parseInt(id.substring(1));
              assertThat(rs.getString(2)).isEqualTo(texts.get(i));
              assertThat(PostgresVectorStore.vector(rs.getArray(3)))
                  .as(id)
                  .containsExactly(
                      EmbeddingEmulator.expectedVector(
                          IngestSampleTests.MODEL, null, embedded.get(i), 1536));
            });
  }

  /** The vectors in the Redis cache (the rate limiter's keys are under embed4j:rl:). */
  private long cachedTexts() {
    io.lettuce.core.RedisClient client =
        io.lettuce.core.RedisClient.create("redis://127.0.0.1:" + redisPort);
    try (var connection = client.connect()) {
      return connection.sync().keys("embed4j:v1.*").size();
    } finally {
      client.shutdown();
    }
  }

  private long tokensOfCommittedRows() {
    return jdbc().queryForList("SELECT id FROM embed4j_vectors", String.class).stream()
        .mapToLong(
            id -> EmbeddingEmulator.expectedTokens(embedded.get(Integer.parseInt(id.substring(1)))))
        .sum();
  }

  private long tokensOfAll() {
    return embedded.stream().mapToLong(EmbeddingEmulator::expectedTokens).sum();
  }

  @Test
  void workersShareThePartitionsAndTheKeyAndAKilledOneCostsNothingTwice() throws Exception {
    long started = System.nanoTime();
    Process manager = manager();
    Process a = worker("worker-a");
    Process b = worker("worker-b");
    // Kill worker b in the middle of a partition, once some chunks are written: both workers busy.
    await("150 records written", () -> (rows() >= 150 && running() == 2) || !b.isAlive());
    assertThat(b.isAlive()).as("worker b still running when killed:%n%s", logs()).isTrue();
    b.destroyForcibly().waitFor();
    long uncommitted = emulator.stats().tokensBilled() - tokensOfCommittedRows();
    long cachedUncommitted = cachedTexts() - rows();
    // Worker a takes every other request; b's partition stays "started" in the job repository,
    // and the manager waits for it. A manager restart (after the manager died too) sends it again.
    await("worker a ran the other partitions", () -> partitionsCompleted() == PARTITIONS - 1);
    assertThat(manager.isAlive()).as("the manager waits for b's partition").isTrue();
    manager.destroyForcibly().waitFor();
    Process again = manager("--ingest.recover=true");
    Process b2 = worker("worker-b2");
    awaitSuccess(again, "restarted manager");
    assertThat(partitionsCompleted()).isEqualTo(PARTITIONS);
    assertThat(a.isAlive() && b2.isAlive()).as("workers serve on").isTrue();

    assertEveryRecordOnce();
    assertThat(cachedTexts()).as("vectors in the shared Redis cache").isEqualTo(RECORDS);
    long billed = emulator.stats().tokensBilled();
    long requests = emulator.stats().requests();
    System.out.printf(
        "manager + two workers, one worker and the manager killed, restarted: %d ms wall,"
            + " %d requests, %d answered 429, %d tokens billed for %d; at the kill %d tokens were"
            + " billed but not yet committed, %d texts cached but not yet committed; paid twice: %d%n",
        TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started),
        requests,
        emulator.stats().rateLimited(),
        billed,
        tokensOfAll(),
        uncommitted,
        cachedUncommitted,
        billed - tokensOfAll());
    // Every batch that came back before the kill is in the Redis cache; only what had been billed
    // but not committed when the worker died (requests in flight among it) can be paid again.
    assertThat(billed).isBetween(tokensOfAll(), tokensOfAll() + uncommitted);
    assertThat(emulator.stats().rateLimited() * 100)
        .as("100 x 429s, out of %d requests", requests)
        .isLessThan(requests);
  }
}
