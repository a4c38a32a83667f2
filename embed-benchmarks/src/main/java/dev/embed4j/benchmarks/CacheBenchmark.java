package dev.embed4j.benchmarks;

import dev.embed4j.EmbeddedItem;
import dev.embed4j.Embedder;
import dev.embed4j.EmbeddingRun;
import dev.embed4j.emulator.LimiterShape;
import dev.embed4j.spi.EmbeddingCache;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicLong;
import redis.embedded.RedisServer;

/**
 * Texts per second through the engine from each cache store, cold (every text sent to the emulator)
 * and warm (the same corpus again: every text a hit, nothing billed), streamed with {@code
 * Embedder.stream}. The disk cache is also closed and opened again before a third run, as a
 * restarted process would. A run without a cache warms the JVM up first. Redis is a real
 * redis-server on loopback, from embedded-redis's jar. The emulator runs in a child JVM, so the
 * figures are the client's.
 *
 * <pre>{@code
 * java -cp embed-benchmarks/target/benchmarks.jar dev.embed4j.benchmarks.CacheBenchmark \
 *     --texts 50000 --latency-ms 50 --concurrency 16
 * }</pre>
 */
public final class CacheBenchmark {
  public static void main(String[] args) throws Exception {
    int texts = 50_000;
    long latencyMs = 50;
    int concurrency = 16;
    for (int i = 0; i < args.length; i += 2) {
      switch (args[i]) {
        case "--texts" -> texts = Integer.parseInt(args[i + 1]);
        case "--latency-ms" -> latencyMs = Long.parseLong(args[i + 1]);
        case "--concurrency" -> concurrency = Integer.parseInt(args[i + 1]);
        default -> throw new IllegalArgumentException("unknown flag " + args[i]);
      }
    }
    List<String> corpus = Texts.chunks(texts);
    System.out.printf(
        Locale.ROOT,
        "%d texts, emulator latency %d ms, %d in flight, batches of 64, java %s, load %.1f%n",
        texts,
        latencyMs,
        concurrency,
        System.getProperty("java.version"),
        java.lang.management.ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage());
    System.out.println("| store | run | wall | texts/s | cache hits | tokens billed |");
    System.out.println("|---|---|---:|---:|---:|---:|");
    Path dir = Files.createTempDirectory("cache-bench");
    int port;
    try (ServerSocket probe = new ServerSocket(0)) {
      port = probe.getLocalPort();
    }
    RedisServer redis =
        RedisServer.newRedisServer()
            .port(port)
            .bind("127.0.0.1")
            .setting("save \"\"")
            .setting("appendonly no")
            .setting("maxmemory 2gb")
            .build();
    redis.start();
    try (Emulator emulator =
        Emulator.start(
            new Emulator.Settings(latencyMs, 0, 0, LimiterShape.TOKEN_BUCKET, true, -1), false)) {
      measure("none (warm-up)", "-", null, emulator, corpus, concurrency);
      try (EmbeddingCache disk = EmbeddingCache.onDisk(dir)) {
        measure("disk (MVStore)", "cold", disk, emulator, corpus, concurrency);
        measure("disk (MVStore)", "warm", disk, emulator, corpus, concurrency);
      }
      try (EmbeddingCache reopened = EmbeddingCache.onDisk(dir)) {
        measure("disk (MVStore)", "warm, reopened", reopened, emulator, corpus, concurrency);
      }
      try (EmbeddingCache r = EmbeddingCache.redis("redis://127.0.0.1:" + port)) {
        measure("redis (loopback)", "cold", r, emulator, corpus, concurrency);
        measure("redis (loopback)", "warm", r, emulator, corpus, concurrency);
      }
      try (EmbeddingCache memory = EmbeddingCache.inMemory(2L << 30)) {
        measure("memory", "cold", memory, emulator, corpus, concurrency);
        measure("memory", "warm", memory, emulator, corpus, concurrency);
      }
      measure("none", "-", null, emulator, corpus, concurrency);
    } finally {
      redis.stop();
      try (var files = Files.walk(dir)) {
        files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
      }
    }
  }

  private static void measure(
      String store,
      String label,
      EmbeddingCache cache,
      Emulator emulator,
      List<String> corpus,
      int concurrency)
      throws IOException {
    emulator.reset();
    Embedder.Builder b =
        Embedder.builder()
            .model("text-embedding-3-small")
            .apiKey("bench-key")
            .baseUrl(emulator.baseUrl())
            .batchSize(64)
            .maxConcurrentRequests(concurrency);
    if (cache != null) {
      b.cache(cache);
    }
    AtomicLong dims = new AtomicLong();
    try (Embedder embedder = b.build()) {
      long t0 = System.nanoTime();
      EmbeddingRun run =
          embedder.stream(corpus.iterator())
              .to(
                  items -> {
                    for (EmbeddedItem<String> item : items) {
                      dims.addAndGet(item.vector().length);
                    }
                  });
      long nanos = System.nanoTime() - t0;
      if (dims.get() != 1536L * corpus.size()) {
        throw new IllegalStateException(store + " " + label + ": not every vector came back");
      }
      System.out.printf(
          Locale.ROOT,
          "| %s | %s | %.2f s | %,.0f | %,d | %,d |%n",
          store,
          label,
          nanos / 1e9,
          corpus.size() * 1e9 / nanos,
          run.cacheHits(),
          emulator.stats().tokensBilled());
    }
  }

  private CacheBenchmark() {}
}
