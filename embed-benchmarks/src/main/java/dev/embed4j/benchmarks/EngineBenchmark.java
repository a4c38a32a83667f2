package dev.embed4j.benchmarks;

import dev.embed4j.Embedder;
import dev.embed4j.EmbeddingRun;
import dev.embed4j.ModelSpec;
import dev.embed4j.spi.EmbeddingProvider;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.AuxCounters;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
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
 * The engine's own cost: {@code embedder.embed(texts)} for 10,000 chunk-like texts in batches of
 * 64, through a provider that answers at once with precomputed vectors, so that what is measured is
 * validation, token counting, planning, dispatch to the workers, the in-flight bound, the rate
 * limiter and pause gate, placing vectors and assembling the run. The secondary result {@code
 * batches} gives the same in batches: its average time is the time per batch.
 *
 * <pre>{@code
 * java -jar embed-benchmarks/target/benchmarks.jar EngineBenchmark
 * }</pre>
 */
@State(Scope.Benchmark)
@BenchmarkMode({Mode.Throughput, Mode.AverageTime})
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 5, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 1, jvmArgsAppend = "-Xmx2g")
public class EngineBenchmark {

  @Param("10000")
  int texts;

  @Param("64")
  int batchSize;

  @Param({"1", "64"})
  int concurrency;

  private List<String> input;
  private Embedder embedder;

  @Setup
  public void setup() {
    input = Texts.chunks(texts);
    ModelSpec model =
        ModelSpec.builder(InstantProvider.ID, "instant")
            .dimensions(InstantProvider.DIMENSIONS)
            .pricePerMillionTokens(new BigDecimal("0.02"))
            .maxInputsPerRequest(2048)
            .maxTokensPerInput(8192)
            .maxTokensPerRequest(300_000)
            .tokenizer(ModelSpec.TOKENIZER_CL100K)
            .build();
    embedder =
        Embedder.builder()
            .model(model)
            .provider(new InstantProvider())
            .batchSize(batchSize)
            .maxConcurrentRequests(concurrency)
            .build();
  }

  @TearDown
  public void tearDown() {
    embedder.close();
  }

  @Benchmark
  public EmbeddingRun embed(Batches counter) {
    EmbeddingRun run = embedder.embed(input);
    counter.batches += run.batches().size();
    return run;
  }

  /** Counts batches, reported next to the runs. */
  @AuxCounters(AuxCounters.Type.OPERATIONS)
  @State(Scope.Thread)
  public static class Batches {
    public long batches;

    @Setup(Level.Iteration)
    public void reset() {
      batches = 0;
    }
  }

  /** Answers every batch at once with the same precomputed vectors. */
  static final class InstantProvider implements EmbeddingProvider {
    static final String ID = "instant";
    static final int DIMENSIONS = 1536;
    private final List<float[]> vectors = new ArrayList<>();

    InstantProvider() {
      for (int i = 0; i < 2048; i++) {
        vectors.add(new float[DIMENSIONS]);
      }
    }

    @Override
    public String id() {
      return ID;
    }

    @Override
    public Result embed(Request request) {
      int n = request.texts().size();
      return new Result(vectors.subList(0, n), n * 175L, Limits.UNKNOWN);
    }
  }
}
