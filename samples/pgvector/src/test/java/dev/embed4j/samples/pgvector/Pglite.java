package dev.embed4j.samples.pgvector;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A real PostgreSQL with pgvector for the tests: PGlite (PostgreSQL compiled to WebAssembly) behind
 * its wire-protocol server, from this module's {@code package.json} and {@code package-lock.json}
 * ({@code npm ci} when {@code node_modules} is missing), on a free loopback port. Needs Node.js 18
 * or newer; the test is skipped, saying so, only where Node.js is not installed ({@code .ci/run}
 * installs it).
 */
final class Pglite implements AutoCloseable {
  private static final Path MODULE = Path.of("").toAbsolutePath();
  private static final String SERVER =
      "node_modules/@electric-sql/pglite-socket/dist/scripts/server.js";
  private static final Pattern LISTENING = Pattern.compile("listening on \\{\"port\":(\\d+)");

  private final Process process;
  private final int port;

  private Pglite(Process process, int port) {
    this.process = process;
    this.port = port;
  }

  /** Starts the server, or skips the calling test if Node.js is not installed. */
  static Pglite start() throws IOException, InterruptedException {
    int major = nodeMajorVersion();
    assumeTrue(
        major > 0,
        "Node.js is not installed: skipping the PostgreSQL/pgvector test, which runs PGlite from"
            + " npm (install Node.js 18+ and npm, e.g. apt-get install -y nodejs npm; .ci/run does)");
    if (major < 18) {
      throw new IllegalStateException("PGlite needs Node.js 18 or newer; this is " + major);
    }
    if (!Files.isRegularFile(MODULE.resolve(SERVER))) {
      npmCi();
    }
    List<String> command = new ArrayList<>(List.of("node"));
    if (major < 20) {
      command.add("--experimental-global-customevent"); // Node 18 has CustomEvent only behind it
    }
    command.addAll(
        List.of(
            SERVER,
            "--port=0",
            "-m",
            "20",
            "-e",
            "@electric-sql/pglite-pgvector:vector,hstore,uuid_ossp"));
    Process process =
        new ProcessBuilder(command).directory(MODULE.toFile()).redirectErrorStream(true).start();
    CompletableFuture<Integer> port = new CompletableFuture<>();
    StringBuilder output = new StringBuilder();
    Thread reader =
        new Thread(
            () -> {
              try (BufferedReader lines =
                  new BufferedReader(
                      new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
                for (String line; (line = lines.readLine()) != null; ) {
                  synchronized (output) {
                    output.append(line).append('\n');
                  }
                  Matcher m = LISTENING.matcher(line);
                  if (m.find()) {
                    port.complete(Integer.parseInt(m.group(1)));
                  }
                }
              } catch (IOException e) {
                port.completeExceptionally(e);
              }
              port.completeExceptionally(new IllegalStateException("PGlite exited"));
            },
            "pglite-output");
    reader.setDaemon(true);
    reader.start();
    try {
      return new Pglite(process, port.get(3, TimeUnit.MINUTES));
    } catch (ExecutionException | TimeoutException e) {
      process.destroyForcibly();
      synchronized (output) {
        throw new IllegalStateException(
            "PGlite did not start (" + String.join(" ", command) + "):\n" + output, e);
      }
    }
  }

  /** A JDBC URL for it: simple queries, no server-side prepared statements (one shared session). */
  String jdbcUrl() {
    return "jdbc:postgresql://127.0.0.1:"
        + port
        + "/postgres?prepareThreshold=0&preferQueryMode=simple";
  }

  @Override
  public void close() throws InterruptedException {
    process.destroy();
    if (!process.waitFor(10, TimeUnit.SECONDS)) {
      process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
    }
  }

  /** The major version of {@code node} on the path, or 0 if there is none. */
  private static int nodeMajorVersion() throws InterruptedException {
    try {
      Process node = new ProcessBuilder("node", "--version").redirectErrorStream(true).start();
      String version = new String(node.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      if (node.waitFor() != 0 || !version.startsWith("v")) {
        return 0;
      }
      return Integer.parseInt(version.substring(1, version.indexOf('.')));
    } catch (IOException | RuntimeException e) {
      return 0;
    }
  }

  private static void npmCi() throws IOException, InterruptedException {
    Path log = MODULE.resolve("target/npm-ci.log");
    Files.createDirectories(log.getParent());
    Process npm;
    try {
      npm =
          new ProcessBuilder("npm", "ci", "--no-audit", "--no-fund")
              .directory(MODULE.toFile())
              .redirectErrorStream(true)
              .redirectOutput(log.toFile())
              .start();
    } catch (IOException e) {
      throw new IllegalStateException(
          "Node.js is installed but npm is not, and "
              + MODULE.resolve("node_modules")
              + " is missing: install npm (apt-get install -y npm) or run npm ci there",
          e);
    }
    if (!npm.waitFor(10, TimeUnit.MINUTES) || npm.exitValue() != 0) {
      npm.destroyForcibly();
      throw new IllegalStateException(
          "npm ci in " + MODULE + " failed; its output:\n" + Files.readString(log));
    }
  }
}
