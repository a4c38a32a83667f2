package dev.embed4j.benchmarks;

import com.knuddels.jtokkit.Encodings;
import com.knuddels.jtokkit.api.Encoding;
import com.knuddels.jtokkit.api.EncodingType;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * What a text's token count costs: jtokkit's exact {@code cl100k_base} count, which the engine now
 * makes only where a limit needs it, against the UTF-8 length it bounds tokens with otherwise (the
 * loop of core's {@code Tokenizers.bound}), over 1,000 chunk-like texts of 50 to 300 tokens. The
 * score is per 1,000 texts: divide by 1,000 for one.
 *
 * <pre>{@code
 * java -jar embed-benchmarks/target/benchmarks.jar TokenCountBenchmark -f 1 -wi 3 -i 5 -w 1 -r 1
 * }</pre>
 *
 * <p>On a machine too busy for wall-clock timings, {@link #main} measures the same in CPU time of
 * its own thread, over 20,000 texts, five rounds:
 *
 * <pre>{@code
 * java -cp embed-benchmarks/target/benchmarks.jar dev.embed4j.benchmarks.TokenCountBenchmark
 * }</pre>
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class TokenCountBenchmark {
  private List<String> texts;
  private Encoding cl100k;

  /** CPU time per text of each, five rounds, with the load average. */
  public static void main(String[] args) {
    TokenCountBenchmark b = new TokenCountBenchmark();
    b.setup();
    b.texts = Texts.chunks(20_000);
    java.lang.management.ThreadMXBean cpu =
        java.lang.management.ManagementFactory.getThreadMXBean();
    long sink = 0;
    for (int round = 1; round <= 5; round++) {
      long t0 = cpu.getCurrentThreadCpuTime();
      sink += b.exactCount();
      long t1 = cpu.getCurrentThreadCpuTime();
      sink += b.utf8Bound();
      long t2 = cpu.getCurrentThreadCpuTime();
      System.out.printf(
          java.util.Locale.ROOT,
          "round %d: exact count %.2f us of CPU per text, UTF-8 bound %.3f us; load %s%n",
          round,
          (t1 - t0) / 1e3 / b.texts.size(),
          (t2 - t1) / 1e3 / b.texts.size(),
          Probe.loadAverage());
    }
    System.out.println(sink > 0 ? "" : "?");
  }

  @Setup
  public void setup() {
    texts = Texts.chunks(1000);
    cl100k = Encodings.newLazyEncodingRegistry().getEncoding(EncodingType.CL100K_BASE);
  }

  @Benchmark
  public long exactCount() {
    long sum = 0;
    for (String t : texts) {
      sum += cl100k.countTokensOrdinary(t);
    }
    return sum;
  }

  @Benchmark
  public long utf8Bound() {
    long sum = 0;
    for (String t : texts) {
      int n = t.length();
      int bytes = n;
      for (int i = 0; i < n; i++) {
        char c = t.charAt(i);
        if (c >= 0x80) {
          bytes += c < 0x800 ? 1 : Character.isSurrogate(c) ? 1 : 2;
        }
      }
      sum += bytes;
    }
    return sum;
  }
}
