package dev.embed4j.samples.ingest;

import dev.embed4j.EmbeddedItem;
import dev.embed4j.Embedder;
import dev.embed4j.EmbeddingRun;
import dev.embed4j.InvalidInputException;
import dev.embed4j.samples.ingest.Jsonl.Line;
import dev.embed4j.spi.EmbeddingCache;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.UnaryOperator;
import java.util.stream.Stream;

/**
 * Embeds a JSONL file of {@code {"id": ..., "text": ...}} lines, streaming, and writes {@code
 * {"id": ..., "embedding": [...]}} lines in input order. Vectors go through a disk cache: killed at
 * any moment and started again with the same {@code --cache}, it pays only for the texts not
 * embedded yet, and rewrites the whole output from the cache. The output is written to {@code
 * OUTPUT.partial} and renamed to {@code OUTPUT} only when every text was embedded, so {@code
 * OUTPUT} never holds a half run. Identical texts are sent once. A line that is not JSON, or has no
 * id or no text, is reported on standard error with its number and skipped. Keys and base URLs come
 * from the providers' variables ({@code OPENAI_API_KEY}, {@code OPENAI_BASE_URL}, {@code
 * COHERE_API_KEY}, ...), as everywhere in Embed4j.
 *
 * <pre>{@code
 * java -jar samples/ingest/target/ingest.jar --input chunks.jsonl --output vectors.jsonl \
 *     --model text-embedding-3-small --cache embed4j-cache --max-cost 5 --concurrency 16
 * }</pre>
 *
 * <p>Exit status: 0 when every line with a text was embedded, 1 when some were not (the output is
 * left as {@code OUTPUT.partial}), 2 for wrong flags or a missing key.
 */
public final class Ingest {
  static final String USAGE =
      "Usage: ingest --input FILE.jsonl --output FILE.jsonl [--model NAME] [--dimensions N]"
          + " [--cache DIR] [--max-cost DOLLARS] [--concurrency N]";

  /** The command line. */
  record Options(
      Path input,
      Path output,
      String model,
      Integer dimensions,
      Path cache,
      BigDecimal maxCost,
      Integer concurrency) {

    static Options parse(String... args) {
      Path input = null;
      Path output = null;
      String model = null;
      Integer dimensions = null;
      Path cache = Path.of("embed4j-cache");
      BigDecimal maxCost = null;
      Integer concurrency = null;
      for (int i = 0; i < args.length; i++) {
        String flag = args[i];
        if (i + 1 >= args.length) {
          throw new IllegalArgumentException(flag + " needs a value");
        }
        String value = args[++i];
        try {
          switch (flag) {
            case "--input" -> input = Path.of(value);
            case "--output" -> output = Path.of(value);
            case "--model" -> model = value;
            case "--dimensions" -> dimensions = Integer.valueOf(value);
            case "--cache" -> cache = Path.of(value);
            case "--max-cost" -> maxCost = new BigDecimal(value);
            case "--concurrency" -> concurrency = Integer.valueOf(value);
            default -> throw new IllegalArgumentException("Unknown flag " + flag);
          }
        } catch (NumberFormatException e) {
          throw new IllegalArgumentException(flag + " needs a number, not '" + value + "'");
        }
      }
      if (input == null || output == null) {
        throw new IllegalArgumentException("--input and --output are required");
      }
      return new Options(input, output, model, dimensions, cache, maxCost, concurrency);
    }

    Path partial() {
      return output.resolveSibling(output.getFileName() + ".partial");
    }
  }

  public static void main(String[] args) {
    System.exit(run(args, null, System.out, System.err));
  }

  /**
   * Runs the sample.
   *
   * @param env where keys and base URLs are looked up, or null for core's default (system property,
   *     else environment variable)
   */
  static int run(String[] args, UnaryOperator<String> env, PrintStream out, PrintStream err) {
    Options o;
    try {
      o = Options.parse(args);
    } catch (IllegalArgumentException e) {
      err.println(e.getMessage());
      err.println(USAGE);
      return 2;
    }
    if (!Files.isRegularFile(o.input())) {
      err.println("No such file: " + o.input());
      return 2;
    }
    try (EmbeddingCache cache = EmbeddingCache.onDisk(o.cache());
        Embedder embedder = embedder(o, env, cache, err)) {
      return embedder == null ? 2 : ingest(o, embedder, out, err);
    } catch (IOException | UncheckedIOException e) {
      err.println("Cannot read " + o.input() + " or write " + o.partial() + ": " + e.getMessage());
      return 1;
    }
  }

  private static Embedder embedder(
      Options o, UnaryOperator<String> env, EmbeddingCache cache, PrintStream err) {
    Embedder.Builder b = Embedder.builder().cache(cache).showProgress(System.console() != null);
    if (env != null) {
      b.environment(env);
    }
    try {
      if (o.model() != null) {
        b.model(o.model());
      }
      if (o.dimensions() != null) {
        b.dimensions(o.dimensions());
      }
      if (o.maxCost() != null) {
        b.maxCost(o.maxCost());
      }
      if (o.concurrency() != null) {
        b.maxConcurrentRequests(o.concurrency());
      }
      return b.build();
    } catch (IllegalArgumentException | IllegalStateException e) {
      err.println(e.getMessage()); // core's message: the unknown model, or where to set the key
      return null;
    }
  }

  private static int ingest(Options o, Embedder embedder, PrintStream out, PrintStream err)
      throws IOException {
    long lineCount;
    try (Stream<String> lines = Files.lines(o.input(), StandardCharsets.UTF_8)) {
      lineCount = lines.count();
    }
    AtomicLong skipped = new AtomicLong();
    AtomicLong failed = new AtomicLong();
    AtomicLong written = new AtomicLong();
    AtomicLong unsendable = new AtomicLong();
    AtomicLong number = new AtomicLong();
    EmbeddingRun run;
    try (BufferedReader reader = Files.newBufferedReader(o.input(), StandardCharsets.UTF_8);
        Jsonl.Writer writer = new Jsonl.Writer(o.partial())) {
      Stream<Line> lines =
          reader
              .lines()
              .map(raw -> Jsonl.parse(number.incrementAndGet(), raw))
              .filter(
                  parsed -> {
                    if (parsed instanceof Line) {
                      return true;
                    }
                    err.println(parsed);
                    skipped.incrementAndGet();
                    return false;
                  })
              .map(Line.class::cast);
      run =
          embedder.stream(lines, Line::text)
              .ordered(true)
              .expectedSize((int) Math.min(Integer.MAX_VALUE, lineCount))
              .to(
                  items -> {
                    for (EmbeddedItem<Line> item : items) {
                      if (item.isEmbedded()) {
                        writer.write(item.item().id(), item.vector());
                        written.incrementAndGet();
                      } else if (item.error().orElse(null) instanceof InvalidInputException e) {
                        unsendable.incrementAndGet(); // blank, or too long: never sendable
                        err.println(item.item().describe() + ": " + e.getMessage() + " Skipped.");
                      } else {
                        failed.incrementAndGet();
                        err.println(
                            item.item().describe()
                                + ": not embedded: "
                                + item.error().map(Throwable::getMessage).orElse("unknown"));
                      }
                    }
                  });
    }
    out.println(run.summary());
    String counts =
        written.get()
            + " vectors ("
            + run.cacheHits()
            + " from the cache, "
            + run.duplicates()
            + " duplicates), "
            + (skipped.get() + unsendable.get())
            + " lines skipped, "
            + failed.get()
            + " not embedded";
    boolean whole =
        failed.get() == 0
            && number.get() == lineCount // a stopped run may not have read every line
            && written.get() + unsendable.get() == run.size();
    if (!whole) {
      err.println(
          "Wrote "
              + counts
              + " to "
              + o.partial()
              + ". Run again with the same --cache: what was embedded is not paid for again.");
      return 1;
    }
    Files.move(
        o.partial(),
        o.output(),
        StandardCopyOption.REPLACE_EXISTING,
        StandardCopyOption.ATOMIC_MOVE);
    out.println("Wrote " + counts + " to " + Objects.requireNonNull(o.output()));
    return 0;
  }

  private Ingest() {}
}
