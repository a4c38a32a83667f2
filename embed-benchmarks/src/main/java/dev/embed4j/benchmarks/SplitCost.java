package dev.embed4j.benchmarks;

import dev.embed4j.Embedder;
import dev.embed4j.EmbeddingRun;
import dev.embed4j.emulator.EmbeddingEmulator;
import java.time.Duration;
import java.util.List;
import java.util.stream.IntStream;

/**
 * What a provider that counts more tokens than the local estimate costs a run: the emulator counts
 * {@code --density} times cl100k (as Voyage's tokenizer reportedly does, 3-4x), Embed4j plans with
 * cl100k against OpenAI's 300,000 tokens per request, and the batches the emulator refuses are
 * split. Prints, for two runs on one embedder (the second planned with what the first learned), the
 * requests sent, those refused, the batches, tokens billed and wall time, and whether every vector
 * is the emulator's for its text.
 *
 * <pre>{@code
 * java -cp embed-benchmarks/target/benchmarks.jar dev.embed4j.benchmarks.SplitCost \
 *     --texts 2000 --tokens 1000 --density 3.5 [--latency-ms 50] [--concurrency 8]
 * }</pre>
 */
public final class SplitCost {
  private SplitCost() {}

  public static void main(String[] args) {
    int texts = 2000;
    int tokens = 1000;
    double density = 3.5;
    long latency = 50;
    int concurrency = 8;
    for (int i = 0; i + 1 < args.length; i += 2) {
      switch (args[i]) {
        case "--texts" -> texts = Integer.parseInt(args[i + 1]);
        case "--tokens" -> tokens = Integer.parseInt(args[i + 1]);
        case "--density" -> density = Double.parseDouble(args[i + 1]);
        case "--latency-ms" -> latency = Long.parseLong(args[i + 1]);
        case "--concurrency" -> concurrency = Integer.parseInt(args[i + 1]);
        default -> throw new IllegalArgumentException("unknown flag " + args[i]);
      }
    }
    int words = tokens - 3;
    List<String> input =
        IntStream.range(0, texts)
            .mapToObj(i -> "Chunk " + i + ": " + "word ".repeat(words))
            .toList();
    try (EmbeddingEmulator emulator =
            EmbeddingEmulator.builder()
                .tokenDensity(density)
                .latency(Duration.ofMillis(latency))
                .start();
        Embedder embedder =
            Embedder.builder()
                .model("text-embedding-3-small")
                .apiKey("sk-emulator")
                .baseUrl(emulator.baseUrl())
                .batchSize(2048)
                .maxConcurrentRequests(concurrency)
                .build()) {
      System.out.printf(
          "%d texts of ~%d cl100k tokens, emulator density %.2f, latency %d ms, concurrency %d%n",
          texts, tokens, density, latency, concurrency);
      System.out.println(
          "| run | requests | refused as too large | batches | tokens billed | wall ms | vectors |");
      System.out.println("|---|---:|---:|---:|---:|---:|---|");
      for (int run = 1; run <= 2; run++) {
        emulator.stats().reset();
        long start = System.nanoTime();
        EmbeddingRun r = embedder.embed(input);
        long ms = (System.nanoTime() - start) / 1_000_000;
        boolean right = r.isComplete();
        for (int i = 0; right && i < input.size(); i++) {
          right =
              java.util.Arrays.equals(
                  r.vector(i),
                  EmbeddingEmulator.expectedVector("text-embedding-3-small", null, input.get(i)));
        }
        System.out.printf(
            "| %d | %d | %d | %d | %d | %d | %s |%n",
            run,
            emulator.stats().requests(),
            emulator.stats().requests(400),
            r.batches().size(),
            emulator.stats().tokensBilled(),
            ms,
            right ? "all at their index" : "WRONG");
      }
    }
  }
}
