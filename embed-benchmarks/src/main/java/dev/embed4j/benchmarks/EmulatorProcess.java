package dev.embed4j.benchmarks;

import dev.embed4j.emulator.EmbeddingEmulator;
import dev.embed4j.emulator.LimiterShape;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;

/**
 * The child JVM that {@link Harness} runs the emulator in. Prints the base URL, then answers
 * commands read from standard input, one per line: {@code stats} (requests, 429s from its limits,
 * tokens billed and the most requests in flight, on one line) and {@code reset}. Exits when its
 * standard input closes.
 *
 * <pre>{@code
 * java -cp embed-benchmarks/target/benchmarks.jar \
 *     dev.embed4j.benchmarks.EmulatorProcess LATENCY_MS RPM TPM SHAPE HEADERS MAX_RETRY_AFTER_MS
 * }</pre>
 */
public final class EmulatorProcess {
  private EmulatorProcess() {}

  public static void main(String[] args) throws IOException {
    Emulator.Settings settings =
        new Emulator.Settings(
            Long.parseLong(args[0]),
            Long.parseLong(args[1]),
            Long.parseLong(args[2]),
            LimiterShape.valueOf(args[3]),
            Boolean.parseBoolean(args[4]),
            Long.parseLong(args[5]));
    try (EmbeddingEmulator emulator = Emulator.builder(settings).start();
        BufferedReader in =
            new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8))) {
      System.out.println(emulator.baseUrl());
      System.out.flush();
      String command;
      while ((command = in.readLine()) != null) {
        if (command.equals("reset")) {
          emulator.stats().reset();
          System.out.println("ok");
        } else {
          Emulator.Snapshot s = Emulator.snapshot(emulator.stats());
          System.out.println(
              s.requests()
                  + " "
                  + s.rateLimited()
                  + " "
                  + s.tokensBilled()
                  + " "
                  + s.maxInFlight());
        }
        System.out.flush();
      }
    }
  }
}
