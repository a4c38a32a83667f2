package dev.embed4j.benchmarks;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.Arrays;
import java.util.Locale;

/**
 * The path of {@link OpenAiDecodeBenchmark#provider} timed in CPU time of the measuring thread, not
 * in wall time: on a machine shared with other work, JMH's average time also counts the time the
 * thread waited for a core, this does not. Five rounds of {@code N} calls after 2,000 unmeasured
 * ones, per encoding; prints the median and the range.
 *
 * <pre>{@code
 * java -cp embed-benchmarks/target/benchmarks.jar dev.embed4j.benchmarks.DecodeCpuTime 500
 * }</pre>
 */
public final class DecodeCpuTime {
  private DecodeCpuTime() {}

  public static void main(String[] args) throws Exception {
    int n = args.length > 0 ? Integer.parseInt(args[0]) : 500;
    OpenAiDecodeBenchmark reply = new OpenAiDecodeBenchmark();
    reply.inputs = 100;
    reply.dimensions = Harness.DIMENSIONS;
    reply.setup();
    ThreadMXBean threads = ManagementFactory.getThreadMXBean();
    for (OpenAiDecodeBenchmark.Encoding encoding : OpenAiDecodeBenchmark.Encoding.values()) {
      OpenAiDecodeBenchmark.ProviderPath path = new OpenAiDecodeBenchmark.ProviderPath();
      path.encoding = encoding;
      path.setup(reply);
      for (int i = 0; i < 2000; i++) {
        reply.provider(path);
      }
      double[] micros = new double[5];
      for (int r = 0; r < micros.length; r++) {
        long start = threads.getCurrentThreadCpuTime();
        for (int i = 0; i < n; i++) {
          reply.provider(path);
        }
        micros[r] = (threads.getCurrentThreadCpuTime() - start) / 1e3 / n;
      }
      path.tearDown();
      Arrays.sort(micros);
      System.out.printf(
          Locale.ROOT,
          "%s: %.0f µs of CPU per reply of %d x %d (%.0f to %.0f over 5 rounds of %d)%n",
          encoding,
          micros[2],
          reply.inputs,
          reply.dimensions,
          micros[0],
          micros[4],
          n);
    }
  }
}
