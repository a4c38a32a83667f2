package dev.embed4j.emulator;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.LongSupplier;

/**
 * A local HTTP server that answers like the OpenAI embeddings API ({@code POST /v1/embeddings}),
 * OpenAI's Batch API for embeddings ({@code /v1/files}, {@code /v1/batches}) and the Cohere embed
 * API ({@code POST /v2/embed}), for tests, benchmarks and offline runs.
 *
 * <pre>{@code
 * try (EmbeddingEmulator emu = EmbeddingEmulator.builder()
 *     .latency(Duration.ofMillis(100))
 *     .requestsPerMinute(500).tokensPerMinute(1_000_000)
 *     .faults(Faults.builder().serverErrorRate(0.05).seed(42).build())
 *     .start()) {
 *   String base = emu.baseUrl(); // http://127.0.0.1:PORT; append /v1/embeddings or /v2/embed
 *   ...
 *   assertThat(emu.stats().tokensBilled("text-embedding-3-small")).isEqualTo(...);
 * }
 * }</pre>
 *
 * <p><b>What it checks.</b> OpenAI: bearer key; {@code model} (text-embedding-3-small 1536 dims,
 * text-embedding-3-large 3072, text-embedding-ada-002 1536; others get 404 {@code
 * model_not_found}); {@code input} a non-empty string or 1..2048 non-empty strings (else 400 {@code
 * '$.input' is invalid}); at most 8192 tokens per input and 300,000 per request; {@code dimensions}
 * only for text-embedding-3-*, in 1..native; {@code encoding_format} {@code float} or {@code
 * base64} (little-endian float32). Cohere: bearer key; {@code texts} 1..96; {@code input_type} one
 * of search_document, search_query, classification, clustering; {@code embedding_types} containing
 * {@code float} (only float embeddings are returned); {@code output_dimension} 256/512/1024/1536
 * for embed-v4.0 only; {@code truncate} NONE, START or END (default END) against 512 tokens per
 * input for the v3 models and 128,000 for embed-v4.0; instead of {@code texts}, {@code images}
 * (data URIs of JPEG, PNG, WebP or GIF) or {@code inputs} (content parts of text and images,
 * interleaved), one image per request for the v3 models, 20 MB of images for embed-v4.0, image
 * tokens ({@link #expectedImageTokens}) billed apart in {@code image_tokens}. Errors use each
 * provider's body shape. Tokens are counted, and billed, with jtokkit's cl100k_base for both
 * providers, times {@link Builder#tokenDensity(double)} if set.
 *
 * <p><b>The other providers</b> are served each under a path of its own ({@link #baseUrl(String)}):
 * Azure OpenAI, Voyage AI, Mistral AI, Jina AI, Google Gemini, Ollama and
 * text-embeddings-inference, each with its limits (inputs and tokens per request, tokens per input,
 * dimensions), its error bodies for bad input, a rejected key and a request too large, and its
 * rate-limit answer; see each endpoint class.
 *
 * <p><b>Vectors</b> are a deterministic function of model, input type and text: see {@link
 * #expectedVector(String, String, String, int)}.
 *
 * <p><b>Limits</b> ({@link Builder#requestsPerMinute}, {@link Builder#tokensPerMinute}, {@link
 * Builder#inputsPerMinute}) are kept per API key and model (OpenAI) or per API key (Cohere), as
 * token buckets refilled continuously (the default) or as sliding or fixed 60-s windows ({@link
 * Builder#limiterShape}); a request over any limit gets 429 with {@code retry-after} (and for
 * OpenAI {@code retry-after-ms} and the {@code x-ratelimit-*} headers) and consumes nothing. The
 * retry delay can be capped or left out ({@link Builder#maxRetryAfter}, {@link
 * Builder#retryAfter}), the OpenAI rate-limit headers left out ({@link Builder#rateLimitHeaders});
 * Cohere never sends them.
 *
 * <p><b>Batch API.</b> {@code POST /v1/files} takes a multipart {@code .jsonl} file of purpose
 * {@code batch} (at most 200 MB), {@code GET /v1/files/{id}/content} returns it; {@code POST
 * /v1/batches} creates a {@code /v1/embeddings} job with completion window {@code 24h}, {@code GET
 * /v1/batches/{id}} shows it, {@code POST /v1/batches/{id}/cancel} cancels it. Jobs go through
 * OpenAI's statuses on an emulated clock ({@link Builder#batchTimes}, {@link
 * Builder#batchTimeScale}): {@code validating}, then {@code failed} (a bad line, over 50,000
 * requests or embedding inputs, over {@link Builder#batchEnqueuedTokenLimit}) or {@code
 * in_progress} with growing {@code request_counts}, {@code finalizing}, {@code completed}; {@code
 * expired} with partial output when processing outlasts the 24-hour window; {@code cancelling},
 * {@code cancelled}. Each line is answered as {@code /v1/embeddings} would answer its body (faults
 * and rate limits aside; {@link Builder#batchFailingLines} injects failed lines), output lines in
 * random order with {@link Builder#shuffleOrder}, and billed at the batch price when the job ends
 * ({@link Stats#batchTokensBilled()}, {@link Stats#batchDollarsBilled()}).
 *
 * <p>Thread-safe; requests are served concurrently on a cached thread pool. The server binds the
 * loopback address only. {@link #close()} stops it and interrupts replies in progress.
 */
public final class EmbeddingEmulator implements AutoCloseable {

  static {
    // HttpServer writes headers and body separately; without TCP_NODELAY, Nagle's algorithm
    // and delayed ACKs add ~40 ms to keep-alive replies. Read once, when the first server starts.
    if (System.getProperty("sun.net.httpserver.nodelay") == null) {
      System.setProperty("sun.net.httpserver.nodelay", "true");
    }
  }

  private static final AtomicBoolean WARM = new AtomicBoolean();

  private final HttpServer server;
  private final ExecutorService executor;
  private final Stats stats = new Stats();
  private final FaultPlan faults;
  private final String baseUrl;

  private EmbeddingEmulator(Builder b) throws IOException {
    warmUp();
    this.faults = new FaultPlan(b.faults);
    Endpoint.Config config =
        new Endpoint.Config(
            b.latency.toNanos(),
            b.apiKeys,
            b.exhaustedKeys,
            b.shuffleOrder,
            b.ignoreEncodingFormat,
            b.tokenDensity);
    RateLimiter limiter =
        new RateLimiter(
            new RateLimiter.Config(
                b.rpm,
                b.tpm,
                b.ipm,
                b.shape,
                b.rateLimitHeaders,
                b.retryAfter,
                b.maxRetryAfter == null ? -1 : b.maxRetryAfter.toMillis()),
            b.nanoTime);
    OpenAiEndpoint openAi = new OpenAiEndpoint(config, stats, faults, limiter);
    CohereEndpoint cohere = new CohereEndpoint(config, stats, faults, limiter);

    server =
        HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), b.port), 1024);
    server.createContext("/", openAi); // anything else: OpenAI's 404 "Invalid URL"
    server.createContext(OpenAiEndpoint.PATH, openAi);
    server.createContext(CohereEndpoint.PATH, cohere);
    BatchEndpoint batches =
        new BatchEndpoint(
            config,
            stats,
            faults,
            openAi,
            new BatchEndpoint.Timing(
                b.batchValidating.toNanos(),
                b.batchProcessing.toNanos(),
                b.batchFinalizing.toNanos(),
                b.batchTimeScale,
                b.batchFailingLines,
                b.batchEnqueuedTokenLimit,
                b.batchStepwise));
    server.createContext(BatchEndpoint.FILES, batches);
    server.createContext(BatchEndpoint.BATCHES, batches);
    server.createContext(
        AzureOpenAiEndpoint.PREFIX, new AzureOpenAiEndpoint(config, stats, faults, limiter));
    server.createContext(VoyageEndpoint.PREFIX, new VoyageEndpoint(config, stats, faults, limiter));
    server.createContext(
        MistralEndpoint.PREFIX, new MistralEndpoint(config, stats, faults, limiter));
    server.createContext(JinaEndpoint.PREFIX, new JinaEndpoint(config, stats, faults, limiter));
    server.createContext(GeminiEndpoint.PREFIX, new GeminiEndpoint(config, stats, faults, limiter));
    server.createContext(OllamaEndpoint.PREFIX, new OllamaEndpoint(config, stats, faults, limiter));
    server.createContext(
        TeiEndpoint.PREFIX,
        new TeiEndpoint(config, stats, faults, limiter, b.teiModel, b.teiMaxClientBatchSize));
    AtomicInteger threads = new AtomicInteger();
    executor =
        Executors.newCachedThreadPool(
            r -> {
              Thread t = new Thread(r, "embed-emulator-" + threads.incrementAndGet());
              t.setDaemon(true);
              return t;
            });
    server.setExecutor(executor);
    server.start();
    baseUrl =
        "http://"
            + server.getAddress().getAddress().getHostAddress()
            + ":"
            + server.getAddress().getPort();
  }

  /**
   * Runs the hot paths once per JVM before serving: loads cl100k_base (~0.5 s) and gets the vector
   * and body code compiled while the CPU is free. Under a burst of concurrent requests on few
   * cores, the JIT compiler threads otherwise starve and the code stays interpreted, many times
   * slower, for seconds.
   */
  private static void warmUp() {
    if (!WARM.compareAndSet(false, true)) {
      return;
    }
    long sink = 0;
    for (int i = 0; i < 400; i++) {
      String text = "warm up text number " + i;
      sink += Tokenizer.count(text);
      float[] v = Vectors.vector("text-embedding-3-small", null, text, 1536);
      Out out = new Out(32_768);
      sink += out.base64(v).floats(v).length();
    }
    if (sink == 42) {
      System.out.print(""); // keeps the loop from being optimised away
    }
  }

  /** Returns a builder with no latency, no limits, no faults and any non-empty key accepted. */
  public static Builder builder() {
    return new Builder();
  }

  /**
   * The base URL, {@code http://127.0.0.1:PORT} without a trailing slash; clients append {@code
   * /v1/embeddings} (OpenAI) or {@code /v2/embed} (Cohere).
   */
  public String baseUrl() {
    return baseUrl;
  }

  /**
   * The base URL of one provider's API, for the providers other than OpenAI and Cohere, which the
   * emulator serves under a path of their own: {@code azure} ({@code /openai/deployments/{model}/
   * embeddings?api-version=...} and {@code /openai/v1/embeddings}), {@code voyage}, {@code mistral}
   * and {@code jina} ({@code /v1/embeddings}), {@code gemini} ({@code
   * /v1beta/models/{model}:batchEmbedContents}), {@code ollama} ({@code /api/embed}) and {@code
   * tei} ({@code /embed}); {@code openai} and {@code cohere} give {@link #baseUrl()}.
   *
   * @throws IllegalArgumentException for a provider the emulator does not serve
   */
  public String baseUrl(String provider) {
    switch (provider) {
      case "openai":
      case "cohere":
        return baseUrl;
      case "azure":
      case "voyage":
      case "mistral":
      case "jina":
      case "gemini":
      case "ollama":
      case "tei":
        return baseUrl + "/" + provider;
      default:
        throw new IllegalArgumentException(
            "the emulator serves openai, cohere, azure, voyage, mistral, jina, gemini, ollama and"
                + " tei, not '"
                + provider
                + "'");
    }
  }

  /** The port the server listens on. */
  public int port() {
    return server.getAddress().getPort();
  }

  /** The live counters of this emulator; see {@link Stats}. */
  public Stats stats() {
    return stats;
  }

  /**
   * Answers the next {@code times} requests, on any path and before any check, with this status and
   * body (sent as {@code application/json}). Scripted replies are queued after any already
   * scripted, count as {@link Faults.Kind#SCRIPTED} and bill nothing.
   *
   * @param times how many requests get this reply
   * @param status the HTTP status, e.g. 429 or 503
   * @param body the response body, sent as is
   * @throws IllegalArgumentException if {@code times < 1} or the status is not in 100..599
   */
  public void failNext(int times, int status, String body) {
    failNext(times, status, body, Map.of());
  }

  /**
   * As {@link #failNext(int, int, String)}, adding these response headers (e.g. {@code
   * retry-after}).
   *
   * @param times how many requests get this reply
   * @param status the HTTP status, e.g. 429 or 503
   * @param body the response body, sent as is
   * @param headers response headers, by name
   */
  public void failNext(int times, int status, String body, Map<String, String> headers) {
    if (times < 1) {
      throw new IllegalArgumentException("times must be at least 1: " + times);
    }
    if (status < 100 || status > 599) {
      throw new IllegalArgumentException("status must be in 100..599: " + status);
    }
    Reply r =
        new Reply(status, Objects.requireNonNull(body, "body").getBytes(StandardCharsets.UTF_8));
    r.headers.putAll(Map.copyOf(headers));
    faults.script(times, r);
  }

  /** Stops the server at once; replies still waiting (latency, slow faults) are abandoned. */
  @Override
  public void close() {
    server.stop(0);
    executor.shutdownNow();
    try {
      executor.awaitTermination(5, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  @Override
  public String toString() {
    return "EmbeddingEmulator{" + baseUrl + '}';
  }

  /**
   * The vector the emulator returns for a text at the model's native dimensions.
   *
   * @see #expectedVector(String, String, String, int)
   */
  public static float[] expectedVector(String model, String inputType, String text) {
    return expectedVector(model, inputType, text, Models.require(model).nativeDims());
  }

  /**
   * The vector the emulator returns for a text, bit for bit. A pseudo-random generator (SplitMix64)
   * seeded from a stable 64-bit hash of (model, input type, text) yields the raw components; the
   * vector is the first {@code dimensions} of them divided by their L2 norm, so a reduced vector is
   * the prefix of the native one, re-normalised (as OpenAI's {@code dimensions} and Cohere's {@code
   * output_dimension} behave). Distinct texts give nearly orthogonal vectors; the same text under
   * another model or input type gives another vector.
   *
   * <p>For a Cohere text longer than the model's limit, sent with {@code truncate} START or END,
   * the vector is that of the kept tokens decoded back to a string.
   *
   * @param model a model the emulator knows, e.g. {@code text-embedding-3-small}
   * @param inputType the Cohere {@code input_type}, or null for OpenAI
   * @param text the input text
   * @param dimensions 1 to the model's native dimensions
   * @return a new array of {@code dimensions} floats with L2 norm 1 (within float rounding)
   * @throws IllegalArgumentException if the model is unknown or {@code dimensions} out of range
   */
  public static float[] expectedVector(
      String model, String inputType, String text, int dimensions) {
    Models.Spec spec = Models.require(model);
    Objects.requireNonNull(text, "text");
    if (dimensions < 1 || dimensions > spec.maxDims()) {
      throw new IllegalArgumentException(
          "dimensions must be in 1.." + spec.maxDims() + " for " + model + ": " + dimensions);
    }
    return Vectors.vector(model, inputType, text, dimensions);
  }

  /**
   * The vector the emulator returns for a Cohere input of several parts (or of one image), in
   * {@code inputs} or {@code images}: each part is {@code "text:" + text} or {@code "image_url:" +
   * dataUri}, in the input's order. An input of one text part has the vector of that text.
   *
   * @param dimensions 1 to the model's native dimensions
   */
  public static float[] expectedContentVector(
      String model, String inputType, int dimensions, String... parts) {
    if (parts.length == 1 && parts[0].startsWith("text:")) {
      return expectedVector(model, inputType, parts[0].substring(5), dimensions);
    }
    return expectedVector(model, inputType, String.join("\u0000", parts), dimensions);
  }

  /**
   * The image tokens the emulator bills for an image (Cohere's {@code billed_units.image_tokens}):
   * one per 163 pixels of a PNG or GIF, whose header gives its size (Cohere: a 512 x 512 image is
   * about 1,610 tokens), at least 1; 1,610 for another format.
   */
  public static int expectedImageTokens(byte[] image) {
    return CohereContent.imageTokens(Objects.requireNonNull(image, "image"));
  }

  /**
   * The tokens the emulator counts, and bills, for a text: its length in cl100k_base, special
   * tokens such as {@code <|endoftext|>} read as ordinary text. Cohere inputs over the model's
   * limit are billed at the limit when truncated.
   */
  public static int expectedTokens(String text) {
    return Tokenizer.count(Objects.requireNonNull(text, "text"));
  }

  /**
   * The tokens an emulator built with {@link Builder#tokenDensity(double) tokenDensity(density)}
   * counts, and bills, for a text: its cl100k_base length times {@code density}, rounded up.
   */
  public static int expectedTokens(String text, double density) {
    int n = expectedTokens(text);
    return density == 1.0 ? n : (int) Math.ceil(n * density);
  }

  /**
   * Configures and starts an {@link EmbeddingEmulator}. Each setter validates its argument at once.
   * Not thread-safe; a builder may start several emulators.
   */
  public static final class Builder {
    private int port;
    private Duration latency = Duration.ZERO;
    private long rpm;
    private long tpm;
    private long ipm;
    private LimiterShape shape = LimiterShape.TOKEN_BUCKET;
    private boolean rateLimitHeaders = true;
    private boolean retryAfter = true;
    private Duration maxRetryAfter;
    private Set<String> apiKeys = Set.of();
    private Set<String> exhaustedKeys = Set.of();
    private Faults faults = Faults.NONE;
    private boolean shuffleOrder;
    private boolean ignoreEncodingFormat;
    private double tokenDensity = 1.0;
    private LongSupplier nanoTime = System::nanoTime;
    private Duration batchValidating = Duration.ofSeconds(1);
    private Duration batchProcessing = Duration.ofSeconds(5);
    private Duration batchFinalizing = Duration.ofSeconds(1);
    private double batchTimeScale = 1;
    private int batchFailingLines;
    private long batchEnqueuedTokenLimit;
    private boolean batchStepwise;
    private String teiModel = "BAAI/bge-base-en-v1.5";
    private int teiMaxClientBatchSize = Models.TEI_MAX_CLIENT_BATCH;

    private Builder() {}

    /**
     * Whether a Batch API job moves at most one status further per request to the emulator, so that
     * a client polling a single job sees every status it passes through however slowly it polls
     * (default false: the status follows the emulated clock alone).
     */
    public Builder batchStepwise(boolean stepwise) {
      this.batchStepwise = stepwise;
      return this;
    }

    /**
     * How long, in emulated time, a Batch API job stays {@code validating}, answers its lines
     * ({@code in_progress}, evenly over the time) and stays {@code finalizing} (also how long a
     * cancelled job stays {@code cancelling}). Defaults 1 s, 5 s, 1 s. Processing longer than the
     * 24-hour completion window (less the validation) makes the job {@code expired} at the window's
     * end, with the lines answered by then in its output file and the others in its error file
     * ({@code batch_expired}).
     */
    public Builder batchTimes(Duration validating, Duration processing, Duration finalizing) {
      for (Duration d : new Duration[] {validating, processing, finalizing}) {
        Objects.requireNonNull(d, "batch times");
        if (d.isNegative()) {
          throw new IllegalArgumentException("batch times must not be negative: " + d);
        }
      }
      this.batchValidating = validating;
      this.batchProcessing = processing;
      this.batchFinalizing = finalizing;
      return this;
    }

    /**
     * The model the text-embeddings-inference endpoint serves (its requests name none), one of the
     * TEI models the emulator knows; default {@code BAAI/bge-base-en-v1.5}.
     */
    public Builder teiModel(String model) {
      Models.Spec spec = Models.find(Objects.requireNonNull(model, "teiModel"));
      if (spec == null || spec.provider() != Models.Provider.TEI) {
        throw new IllegalArgumentException("not a text-embeddings-inference model: " + model);
      }
      this.teiModel = model;
      return this;
    }

    /**
     * Emulated seconds per real second for Batch API jobs (default 1): 3600 runs an emulated hour
     * in a real second.
     */
    public Builder batchTimeScale(double scale) {
      if (!(scale > 0) || Double.isInfinite(scale)) {
        throw new IllegalArgumentException("batchTimeScale must be positive: " + scale);
      }
      this.batchTimeScale = scale;
      return this;
    }

    /**
     * The first {@code lines} Batch API lines that would succeed fail instead with a 500 {@code
     * server_error} in the job's error file (default 0).
     */
    public Builder batchFailingLines(int lines) {
      if (lines < 0) {
        throw new IllegalArgumentException("batchFailingLines must not be negative: " + lines);
      }
      this.batchFailingLines = lines;
      return this;
    }

    /**
     * Enqueued tokens per model across the jobs in progress; a job that would exceed it fails
     * validation with {@code token_limit_exceeded}. 0 (the default) means no limit.
     */
    public Builder batchEnqueuedTokenLimit(long tokens) {
      if (tokens < 0) {
        throw new IllegalArgumentException(
            "batchEnqueuedTokenLimit must not be negative: " + tokens);
      }
      this.batchEnqueuedTokenLimit = tokens;
      return this;
    }

    /**
     * The inputs per request the text-embeddings-inference endpoint accepts, as its {@code
     * --max-client-batch-size}; default 32.
     */
    public Builder teiMaxClientBatchSize(int max) {
      if (max < 1) {
        throw new IllegalArgumentException("teiMaxClientBatchSize must be positive: " + max);
      }
      this.teiMaxClientBatchSize = max;
      return this;
    }

    /** The port to bind on 127.0.0.1; 0 (the default) picks a free one. */
    public Builder port(int port) {
      if (port < 0 || port > 65535) {
        throw new IllegalArgumentException("port must be in 0..65535: " + port);
      }
      this.port = port;
      return this;
    }

    /** Time added before every reply, errors included (default 0). */
    public Builder latency(Duration latency) {
      Objects.requireNonNull(latency, "latency");
      if (latency.isNegative()) {
        throw new IllegalArgumentException("latency must not be negative: " + latency);
      }
      this.latency = latency;
      return this;
    }

    /** Requests per minute allowed per API key and model; 0 (the default) means no limit. */
    public Builder requestsPerMinute(long rpm) {
      if (rpm < 0) {
        throw new IllegalArgumentException("requestsPerMinute must not be negative: " + rpm);
      }
      this.rpm = rpm;
      return this;
    }

    /** Tokens per minute allowed per API key and model; 0 (the default) means no limit. */
    public Builder tokensPerMinute(long tpm) {
      if (tpm < 0) {
        throw new IllegalArgumentException("tokensPerMinute must not be negative: " + tpm);
      }
      this.tpm = tpm;
      return this;
    }

    /**
     * Inputs (texts) per minute allowed per API key and model, as Cohere counts its embed limit; 0
     * (the default) means no limit.
     */
    public Builder inputsPerMinute(long ipm) {
      if (ipm < 0) {
        throw new IllegalArgumentException("inputsPerMinute must not be negative: " + ipm);
      }
      this.ipm = ipm;
      return this;
    }

    /** How every per-minute limit is counted (default {@link LimiterShape#TOKEN_BUCKET}). */
    public Builder limiterShape(LimiterShape shape) {
      this.shape = Objects.requireNonNull(shape, "shape");
      return this;
    }

    /**
     * Whether OpenAI replies carry the {@code
     * x-ratelimit-{limit,remaining,reset}-{requests,tokens}} headers (default true); Cohere replies
     * never do.
     */
    public Builder rateLimitHeaders(boolean send) {
      this.rateLimitHeaders = send;
      return this;
    }

    /**
     * Whether a 429 carries {@code retry-after} (and for OpenAI {@code retry-after-ms}); default
     * true.
     */
    public Builder retryAfter(boolean send) {
      this.retryAfter = send;
      return this;
    }

    /**
     * The longest retry delay a 429 reports, whatever the limit's real wait (as servers that cap
     * {@code retry-after} at a few seconds do); default: no cap.
     */
    public Builder maxRetryAfter(Duration max) {
      Objects.requireNonNull(max, "max");
      if (max.isNegative()) {
        throw new IllegalArgumentException("maxRetryAfter must not be negative: " + max);
      }
      this.maxRetryAfter = max;
      return this;
    }

    /**
     * The only API keys accepted (others get 401). With none given (the default), any non-empty
     * bearer token is accepted.
     */
    public Builder apiKeys(String... keys) {
      this.apiKeys = Set.copyOf(Arrays.asList(keys));
      return this;
    }

    /**
     * Keys that authenticate but have no quota left: OpenAI answers 429 {@code insufficient_quota},
     * Cohere 429 with a monthly-limit message; neither sends {@code retry-after}.
     */
    public Builder quotaExhaustedKeys(String... keys) {
      this.exhaustedKeys = Set.copyOf(Arrays.asList(keys));
      return this;
    }

    /** Faults to inject (default {@link Faults#NONE}). */
    public Builder faults(Faults faults) {
      this.faults = Objects.requireNonNull(faults, "faults");
      return this;
    }

    /**
     * Whether OpenAI replies list {@code data} items in random order, never the input order when
     * there are two or more (as some OpenAI-compatible servers do). Default false.
     */
    public Builder shuffleOrder(boolean shuffle) {
      this.shuffleOrder = shuffle;
      return this;
    }

    /**
     * Whether OpenAI replies always carry float arrays, even when {@code base64} was asked for (as
     * some OpenAI-compatible servers do). Default false.
     */
    public Builder ignoreEncodingFormat(boolean ignore) {
      this.ignoreEncodingFormat = ignore;
      return this;
    }

    /**
     * How many tokens the emulator counts for each cl100k_base token of a text, rounded up per text
     * (default 1): above 1 it counts as a denser tokenizer does (Cohere's and Voyage's count more
     * than cl100k, Voyage's by a reported 3 to 4 times), for the per-input and per-request limits
     * and for billing alike, so a client that plans its requests with cl100k gets the providers'
     * real "too many tokens" refusals ({@code max_tokens_per_request}, "maximum context length",
     * Cohere's per-input limit with {@code truncate} NONE).
     *
     * @throws IllegalArgumentException if {@code density} is not in 1..16
     */
    public Builder tokenDensity(double density) {
      if (!(density >= 1 && density <= 16)) {
        throw new IllegalArgumentException("tokenDensity must be in 1..16: " + density);
      }
      this.tokenDensity = density;
      return this;
    }

    /**
     * The clock of the rate limiter, in nanoseconds as {@link System#nanoTime()} (the default), so
     * tests can control refill. Latency and slow faults use real time.
     */
    public Builder nanoTime(LongSupplier nanoTime) {
      this.nanoTime = Objects.requireNonNull(nanoTime, "nanoTime");
      return this;
    }

    /**
     * Binds and starts the server.
     *
     * @throws UncheckedIOException if the port cannot be bound
     */
    public EmbeddingEmulator start() {
      try {
        return new EmbeddingEmulator(this);
      } catch (IOException e) {
        throw new UncheckedIOException("cannot start the emulator on port " + port, e);
      }
    }
  }
}
