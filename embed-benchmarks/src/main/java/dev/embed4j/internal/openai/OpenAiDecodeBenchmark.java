package dev.embed4j.internal.openai;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
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
 * Decoding an OpenAI {@code /v1/embeddings} reply of 100 vectors of 1536 floats into {@code float[]}
 * through the engine's own parser, {@link OpenAiProvider#parse}: from base64 (what Embed4j asks
 * for) and from JSON float arrays (what compatible servers that ignore {@code encoding_format}
 * send); and, as the baseline of the frameworks' clients, Jackson's {@code ObjectMapper} reading
 * the float arrays into {@code List<Double>}. The class sits in the parser's package to reach it.
 *
 * <pre>{@code
 * java -jar embed-benchmarks/target/benchmarks.jar OpenAiDecodeBenchmark
 * }</pre>
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 5, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = "-Xmx1g")
public class OpenAiDecodeBenchmark {

  /** How the reply is encoded and who decodes it. */
  public enum Decoder {
    EMBED4J_BASE64(true), EMBED4J_FLOAT(false), JACKSON_LIST_DOUBLE(false);

    final boolean base64;

    Decoder(boolean base64) {
      this.base64 = base64;
    }
  }

  @Param({"EMBED4J_BASE64", "EMBED4J_FLOAT", "JACKSON_LIST_DOUBLE"})
  Decoder decoder;

  @Param("100")
  int inputs;

  @Param("1536")
  int dimensions;

  private byte[] body;
  private final ObjectMapper mapper = new ObjectMapper();

  @Setup
  public void setup() {
    body = Replies.openAi(inputs, dimensions, decoder.base64);
  }

  @Benchmark
  public Object decode() throws IOException {
    ByteArrayInputStream in = new ByteArrayInputStream(body);
    if (decoder == Decoder.JACKSON_LIST_DOUBLE) {
      return mapper.readValue(in, NaiveReply.class);
    }
    return OpenAiProvider.parse(in, inputs, dimensions);
  }

  /** The reply as the frameworks' DTOs map it. */
  @JsonIgnoreProperties(ignoreUnknown = true)
  public record NaiveReply(List<NaiveEmbedding> data, NaiveUsage usage) {}

  @JsonIgnoreProperties(ignoreUnknown = true)
  public record NaiveEmbedding(int index, List<Double> embedding) {}

  @JsonIgnoreProperties(ignoreUnknown = true)
  public record NaiveUsage(long prompt_tokens, long total_tokens) {}
}
