package dev.embed4j.benchmarks;

import dev.embed4j.CostEstimate;
import dev.embed4j.Embedder;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Planning the batches of 10,000 chunk-like texts (50 to 300 tokens) with {@link
 * Embedder#estimate}: what happens before anything is sent (validate, count every text's tokens
 * with jtokkit's cl100k_base, plan the batches by count and tokens, price them). Public API only;
 * nothing is sent.
 *
 * <pre>{@code
 * java -jar embed-benchmarks/target/benchmarks.jar BatchingBenchmark
 * }</pre>
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 5, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = "-Xmx1g")
public class BatchingBenchmark {

  @Param("10000")
  int texts;

  @Param({"64", "2048"})
  int batchSize;

  private List<String> input;
  private Embedder embedder;

  @Setup
  public void setup() {
    input = Texts.chunks(texts);
    // estimate() only needs a model, a key and a base URL: the discard port on loopback.
    embedder =
        Embedder.builder()
            .model("text-embedding-3-small")
            .apiKey("sk-benchmark")
            .baseUrl("http://127.0.0.1:9")
            .batchSize(batchSize)
            .build();
  }

  @TearDown
  public void tearDown() {
    embedder.close();
  }

  @Benchmark
  public CostEstimate estimate() {
    return embedder.estimate(input);
  }
}
