package dev.embed4j.internal;

import dev.embed4j.spi.EmbeddingProvider;
import dev.embed4j.spi.RateLimiter;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.HexFormat;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.SynchronousQueue;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import okhttp3.ConnectionPool;
import okhttp3.Dispatcher;
import okhttp3.OkHttpClient;

/**
 * What an embedder and the embedders derived from it share: worker threads, a timer, the clock, the
 * HTTP client with its connection pool, and the pacing ({@link Reservation.Pool}: pause gate, rate
 * limiter, in-flight bound) of each provider endpoint, key and model.
 */
final class SharedResources {
  private static final AtomicInteger POOLS = new AtomicInteger();

  private final ExecutorService workers;
  private final ScheduledExecutorService timer;
  private final OkHttpClient httpClient;
  private final boolean ownsHttpClient;
  private final Clock clock;
  private final Map<String, PauseGate> gates = new ConcurrentHashMap<>();
  private final Map<String, RateLimiter> limiters = new ConcurrentHashMap<>();
  private final Map<RateLimiter, Map<String, RateLimiter>> bound = new ConcurrentHashMap<>();
  private final Map<String, AdaptiveConcurrency> slots = new ConcurrentHashMap<>();
  private volatile boolean closed;

  SharedResources(Settings config, Clock clock) {
    this.clock = clock;
    int pool = POOLS.incrementAndGet();
    this.workers =
        new ThreadPoolExecutor(
            0,
            Integer.MAX_VALUE,
            30,
            TimeUnit.SECONDS,
            new SynchronousQueue<>(),
            daemonThreads("embed4j-" + pool + "-worker-"));
    this.timer =
        Executors.newSingleThreadScheduledExecutor(daemonThreads("embed4j-" + pool + "-timer-"));
    this.ownsHttpClient = config.httpClient == null;
    OkHttpClient.Builder http =
        ownsHttpClient ? new OkHttpClient.Builder() : config.httpClient.newBuilder();
    if (ownsHttpClient) {
      int connections = Math.max(5, config.maxConcurrentRequests);
      Dispatcher dispatcher = new Dispatcher();
      dispatcher.setMaxRequests(Math.max(64, connections));
      dispatcher.setMaxRequestsPerHost(connections);
      http.dispatcher(dispatcher)
          .connectionPool(new ConnectionPool(connections, 5, TimeUnit.MINUTES));
    }
    // Embed4j retries by its own policy and counts every attempt; the key must not follow
    // redirects.
    this.httpClient =
        http.retryOnConnectionFailure(false)
            .followRedirects(false)
            .followSslRedirects(false)
            .build();
  }

  Clock clock() {
    return clock;
  }

  ExecutorService workers() {
    return workers;
  }

  ScheduledExecutorService timer() {
    return timer;
  }

  /**
   * The shared client with the timeouts of {@code config}; derived clients share its pool. The
   * request timeout bounds the whole call, so no socket read or write can wait longer than it
   * either: per-read and per-write timeouts would only add, to each 8 KB segment read, a turn
   * through okio's one global timeout queue (6 % of the client's CPU at 64 requests in flight).
   */
  OkHttpClient httpClient(Settings config) {
    return httpClient
        .newBuilder()
        .connectTimeout(config.connectTimeout)
        .readTimeout(Duration.ZERO)
        .writeTimeout(Duration.ZERO)
        .callTimeout(config.requestTimeout)
        .build();
  }

  /** The pacing shared by every request of this endpoint, key and model. */
  Reservation.Pool pool(Settings config) {
    return new Reservation.Pool(gate(config), limiter(config), slots(config));
  }

  private PauseGate gate(Settings config) {
    return gates.computeIfAbsent(poolKey(config), k -> new PauseGate(clock));
  }

  private AdaptiveConcurrency slots(Settings config) {
    return slots.computeIfAbsent(
        poolKey(config) + "|" + config.maxConcurrentRequests,
        k -> new AdaptiveConcurrency(config.maxConcurrentRequests));
  }

  private RateLimiter limiter(Settings config) {
    if (config.rateLimiter != null) {
      // scaleout hook: a user's limiter (e.g. RateLimiter.redis) is bound once per scope.
      return bound
          .computeIfAbsent(config.rateLimiter, l -> new ConcurrentHashMap<>())
          .computeIfAbsent(poolKey(config), k -> config.rateLimiter.bind(scope(config)));
    }
    if (config.requestsPerMinute == 0 && config.tokensPerMinute == 0 && !config.learnRateLimits) {
      return RateLimiter.NONE;
    }
    return limiters.computeIfAbsent(
        poolKey(config)
            + "|"
            + config.requestsPerMinute
            + "|"
            + config.tokensPerMinute
            + "|"
            + config.learnRateLimits,
        k ->
            new BucketRateLimiter(
                config.requestsPerMinute, config.tokensPerMinute, config.learnRateLimits, clock));
  }

  /**
   * What a user's limiter paces, named by a fingerprint that is the same in every process with the
   * same endpoint (a custom provider: its class), key and model.
   */
  private static RateLimiter.Scope scope(Settings config) {
    EmbeddingProvider custom = config.provider;
    String endpoint = custom != null ? "custom:" + custom.getClass().getName() : config.base;
    String id = fingerprint(config.model.id() + "|" + endpoint + "|" + fingerprint(config.key));
    return new RateLimiter.Scope(
        id, config.requestsPerMinute, config.tokensPerMinute, config.learnRateLimits);
  }

  private static String poolKey(Settings config) {
    EmbeddingProvider custom = config.provider;
    String endpoint = custom != null ? "custom:" + System.identityHashCode(custom) : config.base;
    return config.model.id() + "|" + endpoint + "|" + fingerprint(config.key);
  }

  /** A short one-way fingerprint, so that maps and logs never hold a key. */
  static String fingerprint(String apiKey) {
    if (apiKey == null) {
      return "-";
    }
    try {
      byte[] digest =
          MessageDigest.getInstance("SHA-256").digest(apiKey.getBytes(StandardCharsets.UTF_8));
      return HexFormat.of().formatHex(digest, 0, 8);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  boolean isClosed() {
    return closed;
  }

  void close() {
    if (closed) {
      return;
    }
    closed = true;
    workers.shutdownNow();
    timer.shutdownNow();
    if (ownsHttpClient) {
      httpClient.dispatcher().cancelAll();
      httpClient.dispatcher().executorService().shutdown();
      httpClient.connectionPool().evictAll();
    }
  }

  private static ThreadFactory daemonThreads(String prefix) {
    AtomicInteger n = new AtomicInteger();
    return r -> {
      Thread t = new Thread(r, prefix + n.incrementAndGet());
      t.setDaemon(true);
      return t;
    };
  }
}
