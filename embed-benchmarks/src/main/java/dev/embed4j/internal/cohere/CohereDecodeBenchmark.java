package dev.embed4j.internal.cohere;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.embed4j.benchmarks.Replies;
import java.io.ByteArrayInputStream;
import java.io.IOException;
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
import org.openjdk.jmh.annotations.Warmup;

/**
 * Decoding a Cohere {@code /v2/embed} reply of 100 vectors of 1024 floats (Cohere sends only JSON
 * floats) into {@code float[]} with the engine's parser, {@link CohereProvider#parse}, against
 * Jackson's {@code ObjectMapper} into {@code List<List<Double>>}. The class sits in the parser's
 * package to reach it.
 *
 * <pre>{@code
 * java -jar embed-benchmarks/target/benchmarks.jar CohereDecodeBenchmark
 * }</pre>
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 5, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = "-Xmx1g")
public class CohereDecodeBenchmark {

  /** Who decodes the reply. */
  public enum Decoder { EMBED4J, JACKSON_LIST_DOUBLE }

  @Param({"EMBED4J", "JACKSON_LIST_DOUBLE"})
  Decoder decoder;

  @Param("100")
  int inputs;

  @Param("1024")
  int dimensions;

  private byte[] body;
  private final ObjectMapper mapper = new ObjectMapper();

  @Setup
  public void setup() {
    body = Replies.cohere(inputs, dimensions);
  }

  @Benchmark
  public Object decode() throws IOException {
    ByteArrayInputStream in = new ByteArrayInputStream(body);
    if (decoder == Decoder.JACKSON_LIST_DOUBLE) {
      return mapper.readValue(in, NaiveReply.class);
    }
    return CohereProvider.parse(in, dimensions);
  }

  /** The reply as the frameworks' DTOs map it. */
  @JsonIgnoreProperties(ignoreUnknown = true)
  public record NaiveReply(NaiveEmbeddings embeddings, NaiveMeta meta) {}

  @JsonIgnoreProperties(ignoreUnknown = true)
  public record NaiveEmbeddings(@JsonProperty("float") List<List<Double>> floats) {}

  @JsonIgnoreProperties(ignoreUnknown = true)
  public record NaiveMeta(NaiveBilledUnits billed_units) {}

  @JsonIgnoreProperties(ignoreUnknown = true)
  public record NaiveBilledUnits(long input_tokens) {}
}
