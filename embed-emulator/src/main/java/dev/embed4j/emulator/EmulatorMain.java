package dev.embed4j.emulator;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;

/**
 * Runs an {@link EmbeddingEmulator} from the command line until the process is stopped, then prints
 * its {@link Stats} to standard error.
 *
 * <pre>{@code
 * java -cp embed-emulator.jar:... dev.embed4j.emulator.EmulatorMain --port 8080 --latency-ms 150 \
 *     --rpm 3000 --tpm 1000000 --fault-5xx 0.05 --seed 42
 * }</pre>
 *
 * <p>Prints the base URL on the first line of standard output. {@code --help} lists the flags.
 */
public final class EmulatorMain {

  private static final String USAGE =
      String.join(
          "\n",
          "usage: EmulatorMain [flags]",
          "  --port N                 port on 127.0.0.1 (default 0: a free port)",
          "  --latency-ms N           delay before every reply (default 0)",
          "  --rpm N                  requests per minute per key and model (default: no limit)",
          "  --tpm N                  tokens per minute per key and model (default: no limit)",
          "  --ipm N                  inputs per minute per key and model (default: no limit)",
          "  --limiter SHAPE          token-bucket (default), sliding-window or fixed-window",
          "  --no-rate-limit-headers  OpenAI replies without x-ratelimit-* headers",
          "  --no-retry-after         429s without retry-after",
          "  --max-retry-after-ms N   cap on the retry-after a 429 reports",
          "  --api-key KEY            accept only this key (repeatable; default: any key)",
          "  --quota-exhausted-key K  key answered with 429 insufficient_quota (repeatable)",
          "  --fault-5xx R            rate of 500/502/503 replies",
          "  --fault-reset R          rate of connections closed without a reply",
          "  --fault-truncated R      rate of bodies cut short of their Content-Length",
          "  --fault-malformed R      rate of 200 replies with invalid JSON",
          "  --fault-wrong-count R    rate of 200 replies with one embedding too few",
          "  --fault-duplicate-index R  rate of 200 replies with a duplicated index",
          "  --fault-slow R           rate of replies delayed by --slow-ms",
          "  --slow-ms N              delay of slow replies (default 30000)",
          "  --seed N                 seed of the fault sequence (default 0)",
          "  --shuffle-order          OpenAI data items out of order",
          "  --ignore-encoding-format OpenAI replies always as float arrays",
          "  --help                   this text");

  private EmulatorMain() {}

  /**
   * Starts the emulator as the flags say and blocks until the JVM shuts down.
   *
   * @param args the flags listed by {@code --help}
   * @throws InterruptedException if the main thread is interrupted while waiting
   */
  public static void main(String[] args) throws InterruptedException {
    EmbeddingEmulator.Builder b;
    try {
      b = parse(args);
    } catch (RuntimeException e) {
      System.err.println("error: " + e.getMessage());
      System.err.println(USAGE);
      System.exit(2);
      return;
    }
    if (b == null) {
      System.out.println(USAGE);
      return;
    }
    EmbeddingEmulator emu = b.start();
    CountDownLatch stopped = new CountDownLatch(1);
    Runtime.getRuntime()
        .addShutdownHook(
            new Thread(
                () -> {
                  emu.close();
                  System.err.println(emu.stats());
                  stopped.countDown();
                },
                "embed-emulator-shutdown"));
    System.out.println(emu.baseUrl());
    System.out.flush();
    System.err.println(
        "OpenAI: "
            + emu.baseUrl()
            + "/v1/embeddings   Cohere: "
            + emu.baseUrl()
            + "/v2/embed   Azure, Voyage, Mistral, Jina, Gemini, Ollama, TEI: "
            + emu.baseUrl()
            + "/{azure,voyage,mistral,jina,gemini,ollama,tei}   (stop with Ctrl-C)");
    stopped.await();
  }

  /** The builder the flags describe, or null for {@code --help}. */
  static EmbeddingEmulator.Builder parse(String[] args) {
    EmbeddingEmulator.Builder b = EmbeddingEmulator.builder();
    Faults.Builder f = Faults.builder();
    List<String> keys = new ArrayList<>();
    List<String> exhausted = new ArrayList<>();
    double slowRate = 0;
    long slowMs = 30_000;
    for (int i = 0; i < args.length; i++) {
      String flag = args[i];
      switch (flag) {
        case "--help":
        case "-h":
          return null;
        case "--shuffle-order":
          b.shuffleOrder(true);
          continue;
        case "--ignore-encoding-format":
          b.ignoreEncodingFormat(true);
          continue;
        case "--no-rate-limit-headers":
          b.rateLimitHeaders(false);
          continue;
        case "--no-retry-after":
          b.retryAfter(false);
          continue;
        default:
          break;
      }
      if (i + 1 >= args.length) {
        throw new IllegalArgumentException("missing value after " + flag);
      }
      String v = args[++i];
      switch (flag) {
        case "--port":
          b.port(Integer.parseInt(v));
          break;
        case "--latency-ms":
          b.latency(Duration.ofMillis(Long.parseLong(v)));
          break;
        case "--rpm":
          b.requestsPerMinute(Long.parseLong(v));
          break;
        case "--tpm":
          b.tokensPerMinute(Long.parseLong(v));
          break;
        case "--ipm":
          b.inputsPerMinute(Long.parseLong(v));
          break;
        case "--limiter":
          b.limiterShape(
              LimiterShape.valueOf(v.toUpperCase(java.util.Locale.ROOT).replace('-', '_')));
          break;
        case "--max-retry-after-ms":
          b.maxRetryAfter(Duration.ofMillis(Long.parseLong(v)));
          break;
        case "--api-key":
          keys.add(v);
          break;
        case "--quota-exhausted-key":
          exhausted.add(v);
          break;
        case "--fault-5xx":
          f.serverErrorRate(Double.parseDouble(v));
          break;
        case "--fault-reset":
          f.resetRate(Double.parseDouble(v));
          break;
        case "--fault-truncated":
          f.truncatedRate(Double.parseDouble(v));
          break;
        case "--fault-malformed":
          f.malformedRate(Double.parseDouble(v));
          break;
        case "--fault-wrong-count":
          f.wrongCountRate(Double.parseDouble(v));
          break;
        case "--fault-duplicate-index":
          f.duplicateIndexRate(Double.parseDouble(v));
          break;
        case "--fault-slow":
          slowRate = Double.parseDouble(v);
          break;
        case "--slow-ms":
          slowMs = Long.parseLong(v);
          break;
        case "--seed":
          f.seed(Long.parseLong(v));
          break;
        default:
          throw new IllegalArgumentException("unknown flag " + flag);
      }
    }
    f.slowRate(slowRate, Duration.ofMillis(slowMs));
    return b.apiKeys(keys.toArray(String[]::new))
        .quotaExhaustedKeys(exhausted.toArray(String[]::new))
        .faults(f.build());
  }
}
