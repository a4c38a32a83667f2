package dev.embed4j;

import dev.embed4j.emulator.EmbeddingEmulator;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.util.Arrays;
import java.util.BitSet;
import java.util.Iterator;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The child JVM of {@link StreamingMemoryTest}: streams N generated texts (never held as a list)
 * through an in-process emulator, checks every position arrives once in order and spot-checks
 * vectors, and prints {@code delivered=N wrong=W peakHeapMiB=P tokens=T}. Exits non-zero on any
 * failure, including running out of heap.
 */
public final class StreamMemoryMain {
  private StreamMemoryMain() {}

  static String text(int i) {
    return "Chunk " + i + " of the corpus, about topic " + (i % 1009) + " and its neighbours.";
  }

  public static void main(String[] args) {
    int n = Integer.parseInt(args[0]);
    try (EmbeddingEmulator emulator = EmbeddingEmulator.builder().start();
        Embedder embedder =
            Embedder.builder()
                .model("text-embedding-3-small")
                .apiKey("sk-emulator")
                .baseUrl(emulator.baseUrl())
                .batchSize(64)
                .maxConcurrentRequests(16)
                .build()) {
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
      BitSet seen = new BitSet(n);
      AtomicLong wrong = new AtomicLong();
      int[] expectedNext = {0};
      EmbeddingRun run =
          embedder.stream(positions, StreamMemoryMain::text)
              .ordered(true)
              .expectedSize(n)
              .to(
                  items -> {
                    for (EmbeddedItem<Integer> e : items) {
                      int p = e.position();
                      if (p != expectedNext[0]++ || seen.get(p) || e.item() != p) {
                        wrong.incrementAndGet();
                      }
                      seen.set(p);
                      if (p % 997 == 0
                          && !Arrays.equals(
                              e.vector(),
                              EmbeddingEmulator.expectedVector(
                                  "text-embedding-3-small", null, text(p), 1536))) {
                        wrong.incrementAndGet();
                      }
                    }
                  });
      long peak = 0;
      for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
        if (pool.getType() == MemoryType.HEAP && pool.getPeakUsage() != null) {
          peak += pool.getPeakUsage().getUsed();
        }
      }
      System.out.println(
          "delivered="
              + seen.cardinality()
              + " wrong="
              + wrong.get()
              + " complete="
              + run.isComplete()
              + " peakHeapMiB="
              + peak / (1024 * 1024)
              + " tokens="
              + run.tokens()
              + " billed="
              + emulator.stats().tokensBilled());
    }
  }
}
