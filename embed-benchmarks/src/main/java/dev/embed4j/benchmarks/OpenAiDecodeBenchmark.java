package dev.embed4j.benchmarks;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.databind.ObjectMapper;
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
 * An OpenAI {@code /v1/embeddings} reply of 100 vectors of 1536 floats into {@code float[]}. {@code
 * provider} is the built-in OpenAI provider's whole path, {@code provider.embed(Request.of(...))}:
 * the request body, the OkHttp call, reading the reply, its rate-limit headers and decoding it,
 * from base64 (what Embed4j asks for) or from JSON float arrays (what compatible servers that
 * ignore {@code encoding_format} send). The reply is canned: an application interceptor answers
 * every call, nothing touches a socket. {@code jacksonListDouble} is the baseline of the
 * frameworks' clients: Jackson's {@code ObjectMapper} reading the float arrays into {@code
 * List<Double>} DTOs. The provider comes from core's provider table, {@code BuiltInProvider}: the
 * one internal type the benchmarks use.
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
  private static final String MODEL = "text-embedding-3-small";

  /** How the reply encodes the vectors. */
  public enum Encoding {
    BASE64,
    FLOAT
  }

  @Param("100")
  int inputs;

  @Param("1536")
  int dimensions;

  private byte[] floats;
  private final ObjectMapper mapper = new ObjectMapper();

  @Setup
  public void setup() {
    floats = Replies.openAi(inputs, dimensions, false);
  }

  /** The built-in provider, its client answered by the canned reply, and the request. */
  @State(Scope.Benchmark)
  public static class ProviderPath {
    @Param({"BASE64", "FLOAT"})
    Encoding encoding;

    private OkHttpClient client;
    private EmbeddingProvider provider;
    private EmbeddingProvider.Request request;

    @Setup
    public void setup(OpenAiDecodeBenchmark reply) {
      byte[] body = Replies.openAi(reply.inputs, reply.dimensions, encoding == Encoding.BASE64);
      client = CannedReply.client(body, headers());
      provider = BuiltInProvider.OPENAI.create(client, CannedReply.BASE, "sk-benchmark");
      ModelSpec model = ModelRegistry.defaults().get(MODEL);
      request =
          EmbeddingProvider.Request.of(
              model, Texts.chunks(reply.inputs), reply.dimensions, null, false);
    }

    @TearDown
    public void tearDown() {
      provider.close();
      CannedReply.close(client);
    }

    /** The headers OpenAI sends with a reply. */
    private static Headers headers() {
      return new Headers.Builder()
          .add("content-type", "application/json")
          .add("openai-model", MODEL)
          .add("openai-processing-ms", "41")
          .add("x-ratelimit-limit-requests", "10000")
          .add("x-ratelimit-limit-tokens", "10000000")
          .add("x-ratelimit-remaining-requests", "9999")
          .add("x-ratelimit-remaining-tokens", "9982512")
          .add("x-ratelimit-reset-requests", "6ms")
          .add("x-ratelimit-reset-tokens", "104ms")
          .add("x-request-id", "req_5f0c4e3b2a1d4c6e8f7a9b0c1d2e3f40")
          .build();
    }
  }

  @Benchmark
  public EmbeddingProvider.Result provider(ProviderPath path) throws IOException {
    return path.provider.embed(path.request);
  }

  @Benchmark
  public NaiveReply jacksonListDouble() throws IOException {
    return mapper.readValue(new ByteArrayInputStream(floats), NaiveReply.class);
  }

  /** The reply as the frameworks' DTOs map it. */
  @JsonIgnoreProperties(ignoreUnknown = true)
  public record NaiveReply(List<NaiveEmbedding> data, NaiveUsage usage) {}

  @JsonIgnoreProperties(ignoreUnknown = true)
  public record NaiveEmbedding(int index, List<Double> embedding) {}

  @JsonIgnoreProperties(ignoreUnknown = true)
  public record NaiveUsage(long prompt_tokens, long total_tokens) {}
}
