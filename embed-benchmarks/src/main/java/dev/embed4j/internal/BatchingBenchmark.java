package dev.embed4j.internal;

import dev.embed4j.Embedder;
import dev.embed4j.benchmarks.Texts;
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
 * Planning the batches of 10,000 chunk-like texts (50 to 300 tokens): {@code estimate} is what
 * {@link Embedder#estimate} does before anything is sent (validate, count every text's tokens
 * with jtokkit's cl100k_base, plan the batches); {@code plan} is {@link Batch#plan} alone, on
 * token counts made in set-up. The class sits in the batcher's package to reach it.
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
  private int[] order;
  private int[] tokens;
  private Embedder embedder;

  @Setup
  public void setup() {
    input = Texts.chunks(texts);
    order = new int[texts];
    tokens = new int[texts];
    for (int i = 0; i < texts; i++) {
      order[i] = i;
      tokens[i] = Tokenizers.count(input.get(i));
    }
    // Nothing is sent: estimate() only needs a model, a key and a base URL.
    embedder = Embedder.builder().model("text-embedding-3-small").apiKey("sk-benchmark")
        .baseUrl("http://127.0.0.1:9").batchSize(batchSize).build();
  }

  @TearDown
  public void tearDown() {
    embedder.close();
  }

  @Benchmark
  public Object estimate() {
    return embedder.estimate(input);
  }

  @Benchmark
  public Object plan() {
    return Batch.plan(order, tokens, batchSize, 300_000, 0);
  }
}
