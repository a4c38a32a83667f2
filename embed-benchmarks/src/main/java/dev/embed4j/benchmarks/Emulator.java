package dev.embed4j.benchmarks;

import dev.embed4j.emulator.EmbeddingEmulator;
import dev.embed4j.emulator.LimiterShape;
import dev.embed4j.emulator.Stats;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The emulator a harness run measures against: in a child JVM (the default), so that the CPU time
 * and heap of the harness process are the client's alone, or in this JVM.
 */
abstract class Emulator implements AutoCloseable {

  /**
   * The emulator's settings: latency, limits, how its limiter counts, whether it sends {@code
   * x-ratelimit-*} headers, and the cap on the retry-after it sends (-1: none).
   */
  record Settings(
      long latencyMs,
      long rpm,
      long tpm,
      LimiterShape shape,
      boolean rateLimitHeaders,
      long maxRetryAfterMs) {}

  /** Counters since the last {@link #reset()}. */
  record Snapshot(long requests, long rateLimited, long tokensBilled, int maxInFlight) {}

  abstract String baseUrl();

  abstract Snapshot stats();

  abstract void reset();

  /** CPU time the emulator's own process has used, or -1 when it runs in this one. */
  abstract long cpuNanos();

  @Override
  public abstract void close();

  static Emulator start(Settings settings, boolean inProcess) {
    return inProcess ? new InProcess(settings) : new Child(settings);
  }

  static Snapshot snapshot(Stats s) {
    return new Snapshot(s.requests(), s.rateLimited(), s.tokensBilled(), s.maxInFlight());
  }

  static EmbeddingEmulator.Builder builder(Settings s) {
    EmbeddingEmulator.Builder b =
        EmbeddingEmulator.builder()
            .latency(Duration.ofMillis(s.latencyMs()))
            .requestsPerMinute(s.rpm())
            .tokensPerMinute(s.tpm())
            .limiterShape(s.shape())
            .rateLimitHeaders(s.rateLimitHeaders());
    if (s.maxRetryAfterMs() >= 0) {
      b.maxRetryAfter(Duration.ofMillis(s.maxRetryAfterMs()));
    }
    return b;
  }

  private static final class InProcess extends Emulator {
    private final EmbeddingEmulator emulator;

    InProcess(Settings settings) {
      emulator = builder(settings).start();
    }

    @Override
    String baseUrl() {
      return emulator.baseUrl();
    }

    @Override
    Snapshot stats() {
      return snapshot(emulator.stats());
    }

    @Override
    void reset() {
      emulator.stats().reset();
    }

    @Override
    long cpuNanos() {
      return -1;
    }

    @Override
    public void close() {
      emulator.close();
    }
  }

  /** Talks to {@link EmulatorProcess} one line at a time over its standard input and output. */
  private static final class Child extends Emulator {
    private final Process process;
    private final PrintWriter commands;
    private final BufferedReader replies;
    private final String baseUrl;

    Child(Settings s) {
      List<String> command =
          new ArrayList<>(
              List.of(
                  ProcessHandle.current().info().command().orElse("java"),
                  "-cp",
                  System.getProperty("java.class.path"),
                  EmulatorProcess.class.getName(),
                  Long.toString(s.latencyMs()),
                  Long.toString(s.rpm()),
                  Long.toString(s.tpm()),
                  s.shape().name(),
                  Boolean.toString(s.rateLimitHeaders()),
                  Long.toString(s.maxRetryAfterMs())));
      try {
        process =
            new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.INHERIT).start();
        commands = new PrintWriter(process.getOutputStream(), true, StandardCharsets.UTF_8);
        replies =
            new BufferedReader(
                new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
        baseUrl = replies.readLine();
      } catch (IOException e) {
        throw new UncheckedIOException("cannot start the emulator process", e);
      }
      if (baseUrl == null) {
        throw new IllegalStateException("the emulator process exited before it started");
      }
    }

    private synchronized String ask(String command) {
      commands.println(command);
      try {
        String reply = replies.readLine();
        if (reply == null) {
          throw new IllegalStateException("the emulator process has exited");
        }
        return reply;
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }

    @Override
    String baseUrl() {
      return baseUrl;
    }

    @Override
    Snapshot stats() {
      String[] f = ask("stats").split(" ");
      return new Snapshot(
          Long.parseLong(f[0]), Long.parseLong(f[1]), Long.parseLong(f[2]), Integer.parseInt(f[3]));
    }

    @Override
    void reset() {
      ask("reset");
    }

    @Override
    long cpuNanos() {
      return process.info().totalCpuDuration().map(Duration::toNanos).orElse(-1L);
    }

    @Override
    public void close() {
      commands.close();
      try {
        if (!process.waitFor(10, TimeUnit.SECONDS)) {
          process.destroyForcibly();
        }
      } catch (InterruptedException e) {
        process.destroyForcibly();
        Thread.currentThread().interrupt();
      }
    }
  }
}
