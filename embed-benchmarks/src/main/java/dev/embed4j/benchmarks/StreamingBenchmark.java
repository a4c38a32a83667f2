package dev.embed4j.benchmarks;

import dev.embed4j.EmbeddedItem;
import dev.embed4j.Embedder;
import dev.embed4j.EmbeddingRun;
import dev.embed4j.emulator.EmbeddingEmulator;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Streams many texts through {@code Embedder.stream} against the emulator in a child JVM, in input
 * order, with the texts generated as they are read (never held as a list), and samples this JVM's
 * heap: whether it completes, its peak heap, the heap over time (CSV and PNG), texts per second,
 * client CPU, and whether every position arrived once, in order, with the emulator's vector (every
 * 1,000th checked in full). Run it under a small heap to show it stays flat:
 *
 * <pre>{@code
 * java -Xmx512m -cp embed-benchmarks/target/benchmarks.jar dev.embed4j.benchmarks.StreamingBenchmark \
 *     --texts 1000000 [--latency-ms 0] [--concurrency 16] [--batch 64] \
 *     [--csv docs/streaming-heap.csv] [--chart docs/streaming-heap.png]
 * }</pre>
 */
public final class StreamingBenchmark {
  private static final String[] WORDS =
      ("the engine streams each chunk of text through batches sent in parallel while vectors"
              + " arrive out of order and are placed by position memory stays flat because input"
              + " is read only as fast as results are delivered to the sink which writes them"
              + " out cache hits skip the network duplicates are merged in flight")
          .split(" ");

  private StreamingBenchmark() {}

  /** Text {@code i}: 20 to 120 words, deterministic, cheap to make. */
  static String text(int i) {
    SplittableRandom r = new SplittableRandom(0x57ea_0000L + i * 0x9e3779b97f4a7c15L);
    StringBuilder sb = new StringBuilder("Chunk ").append(i).append(':');
    int words = 20 + r.nextInt(101);
    for (int w = 0; w < words; w++) {
      sb.append(' ').append(WORDS[r.nextInt(WORDS.length)]);
    }
    return sb.append('.').toString();
  }

  /** The heap in use right after the most recent collection: what was live then. */
  static long afterLastGc() {
    long latest = -1;
    long used = 0;
    for (java.lang.management.GarbageCollectorMXBean gc :
        ManagementFactory.getGarbageCollectorMXBeans()) {
      if (gc instanceof com.sun.management.GarbageCollectorMXBean sun) {
        com.sun.management.GcInfo info = sun.getLastGcInfo();
        if (info != null && info.getEndTime() > latest) {
          latest = info.getEndTime();
          used = 0;
          for (var pool : ManagementFactory.getMemoryPoolMXBeans()) {
            var after = info.getMemoryUsageAfterGc().get(pool.getName());
            if (pool.getType() == java.lang.management.MemoryType.HEAP && after != null) {
              used += after.getUsed();
            }
          }
        }
      }
    }
    return Math.max(0, used);
  }

  public static void main(String[] args) throws Exception {
    int texts = 1_000_000;
    long latencyMs = 0;
    int concurrency = 16;
    int batch = 64;
    Path csv = null;
    Path chart = null;
    for (int i = 0; i < args.length; i += 2) {
      switch (args[i]) {
        case "--texts" -> texts = Integer.parseInt(args[i + 1]);
        case "--latency-ms" -> latencyMs = Long.parseLong(args[i + 1]);
        case "--concurrency" -> concurrency = Integer.parseInt(args[i + 1]);
        case "--batch" -> batch = Integer.parseInt(args[i + 1]);
        case "--csv" -> csv = Path.of(args[i + 1]);
        case "--chart" -> chart = Path.of(args[i + 1]);
        default -> throw new IllegalArgumentException("unknown flag " + args[i]);
      }
    }
    long maxHeap = Runtime.getRuntime().maxMemory();
    System.out.printf(
        Locale.ROOT,
        "%,d texts, batch %d, %d in flight, emulator latency %d ms, max heap %d MiB, Java %s,"
            + " load %s%n",
        texts,
        batch,
        concurrency,
        latencyMs,
        maxHeap >> 20,
        System.getProperty("java.version"),
        Probe.loadAverage());
    try (Emulator emulator = Emulator.start(new Emulator.Settings(latencyMs, 0, 0), false);
        Embedder embedder =
            Embedder.builder()
                .model(Client.MODEL)
                .apiKey("sk-streaming-benchmark")
                .baseUrl(emulator.baseUrl())
                .batchSize(batch)
                .maxConcurrentRequests(concurrency)
                .build()) {
      int n = texts;
      AtomicInteger delivered = new AtomicInteger();
      AtomicLong wrong = new AtomicLong();
      List<double[]> samples = new ArrayList<>();
      long start = System.nanoTime();
      Thread sampler =
          new Thread(
              () -> {
                while (!Thread.currentThread().isInterrupted()) {
                  long used = ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
                  synchronized (samples) {
                    samples.add(
                        new double[] {
                          (System.nanoTime() - start) / 1e9,
                          used / 1048576.0,
                          delivered.get(),
                          afterLastGc() / 1048576.0
                        });
                  }
                  try {
                    Thread.sleep(250);
                  } catch (InterruptedException e) {
                    return;
                  }
                }
              });
      sampler.setDaemon(true);
      Probe.collectGarbageAndResetPeaks();
      long cpu0 = Probe.processCpuNanos();
      sampler.start();
      Iterator<Integer> positions =
          new Iterator<>() {
            private int next;

            @Override
            public boolean hasNext() {
              return next < n;
            }

            @Override
            public Integer next() {
              return next++;
            }
          };
      EmbeddingRun run =
          embedder.stream(positions, StreamingBenchmark::text)
              .ordered(true)
              .expectedSize(n)
              .to(
                  items -> {
                    for (EmbeddedItem<Integer> e : items) {
                      int p = e.position();
                      if (p != delivered.getAndIncrement()
                          || !e.isEmbedded()
                          || p % 1000 == 0
                              && !Arrays.equals(
                                  e.vector(),
                                  EmbeddingEmulator.expectedVector(
                                      Client.MODEL, null, text(p), Harness.DIMENSIONS))) {
                        wrong.incrementAndGet();
                      }
                    }
                  });
      double seconds = (System.nanoTime() - start) / 1e9;
      double cpu = (Probe.processCpuNanos() - cpu0) / 1e9;
      sampler.interrupt();
      sampler.join();
      long peak = Probe.heapPeakBytes();
      Emulator.Snapshot server = emulator.stats();
      System.out.printf(
          Locale.ROOT,
          "%s%ncompleted: %s, %,d delivered in order, %d wrong; %.1f s, %,.0f texts/s; client CPU"
              + " %.1f s (%.1f us per vector); peak heap %d MiB of %d MiB; %,d requests; tokens"
              + " %,d, emulator billed %,d; load %s%n",
          run.summary(),
          run.isComplete(),
          delivered.get(),
          wrong.get(),
          seconds,
          n / seconds,
          cpu,
          cpu * 1e6 / n,
          peak >> 20,
          maxHeap >> 20,
          server.requests(),
          run.tokens(),
          server.tokensBilled(),
          Probe.loadAverage());
      if (csv != null) {
        StringBuilder sb = new StringBuilder("seconds,heap_used_mib,delivered,after_gc_mib\n");
        for (double[] s : samples) {
          sb.append(String.format(Locale.ROOT, "%.2f,%.1f,%.0f,%.1f%n", s[0], s[1], s[2], s[3]));
        }
        Files.writeString(csv, sb);
      }
      if (chart != null) {
        HeapChart.write(
            chart,
            samples,
            maxHeap / 1048576.0,
            String.format(
                Locale.ROOT,
                "Heap while streaming %,d texts (1536 dims, %.1f GB of vectors) under -Xmx%dm",
                n,
                (double) n * Harness.DIMENSIONS * 4 / 1e9,
                maxHeap >> 20),
            String.format(
                Locale.ROOT,
                "peak %d MiB; %.0f s, %,.0f texts/s; batch %d, %d in flight; emulator in its own"
                    + " JVM",
                peak >> 20,
                seconds,
                n / seconds,
                batch,
                concurrency));
      }
      if (!run.isComplete() || wrong.get() > 0 || delivered.get() != n) {
        System.exit(1);
      }
    } catch (IOException e) {
      throw e;
    }
  }
}
