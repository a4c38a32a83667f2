package dev.embed4j.benchmarks;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.embed4j.InputType;
import dev.embed4j.ModelRegistry;
import dev.embed4j.ModelSpec;
import dev.embed4j.internal.BuiltInProvider;
import dev.embed4j.spi.EmbeddingProvider;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.util.List;
import java.util.concurrent.TimeUnit;
import okhttp3.Headers;
import okhttp3.OkHttpClient;
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
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * A Cohere {@code /v2/embed} reply of 100 vectors of 1024 floats (Cohere sends only JSON floats)
 * into {@code float[]}. {@code provider} is the built-in Cohere provider's whole path, {@code
 * provider.embed(Request.of(...))}: the request body, the OkHttp call, reading and decoding the
 * reply. The reply is canned: an application interceptor answers every call, nothing touches a
 * socket. {@code jacksonListDouble} is the baseline of the frameworks' clients: Jackson's {@code
 * ObjectMapper} reading the reply into {@code List<List<Double>>}. The provider comes from core's
 * provider table, {@code BuiltInProvider}: the one internal type the benchmarks use.
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
  private static final String MODEL = "cohere:embed-english-v3.0";

  @Param("100")
  int inputs;

  @Param("1024")
  int dimensions;

  private byte[] body;
  private OkHttpClient client;
  private EmbeddingProvider provider;
  private EmbeddingProvider.Request request;
  private final ObjectMapper mapper = new ObjectMapper();

  @Setup
  public void setup() {
    body = Replies.cohere(inputs, dimensions);
    Headers headers =
        new Headers.Builder()
            .add("content-type", "application/json")
            .add("x-debug-trace-id", "6b9d1e4f2a3c4b5d8e7f6a5b4c3d2e1f")
            .build();
    client = CannedReply.client(body, headers);
    provider = BuiltInProvider.COHERE.create(client, CannedReply.BASE, "benchmark-key");
    ModelSpec model = ModelRegistry.defaults().get(MODEL);
    request =
        EmbeddingProvider.Request.of(
            model, Texts.chunks(inputs), dimensions, InputType.SEARCH_DOCUMENT, false);
  }

  @TearDown
  public void tearDown() {
    provider.close();
    CannedReply.close(client);
  }

  @Benchmark
  public EmbeddingProvider.Result provider() throws IOException {
    return provider.embed(request);
  }

  @Benchmark
  public NaiveReply jacksonListDouble() throws IOException {
    return mapper.readValue(new ByteArrayInputStream(body), NaiveReply.class);
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
