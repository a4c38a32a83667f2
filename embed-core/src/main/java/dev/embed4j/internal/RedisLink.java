package dev.embed4j.internal;

import dev.embed4j.spi.RateLimiter;
import io.github.bucket4j.distributed.ExpirationAfterWriteStrategy;
import io.github.bucket4j.distributed.proxy.ProxyManager;
import io.github.bucket4j.redis.lettuce.Bucket4jLettuce;
import io.lettuce.core.ClientOptions;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisURI;
import io.lettuce.core.SocketOptions;
import io.lettuce.core.TimeoutOptions;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.sync.RedisCommands;
import io.lettuce.core.codec.ByteArrayCodec;
import io.lettuce.core.resource.ClientResources;
import io.lettuce.core.resource.DefaultClientResources;
import io.lettuce.core.resource.Delay;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The connection to Redis that the shared limiters of one {@link RateLimiter#redis(String)} use,
 * and whether Redis is reachable. It is the unbound limiter the user passes to the builder; the
 * engine {@link #bind binds} it to each scope. It connects on first use; a failed command marks
 * Redis down (one warning per outage), and a second later the next caller checks it again with a
 * PING (Lettuce reconnects on its own meanwhile); when Redis answers, the limiters rejoin.
 */
final class RedisLink implements RateLimiter, AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(RateLimiter.class);
  static final Duration TIMEOUT = Duration.ofSeconds(1);
  private static final long RETRY_NANOS = TimeUnit.SECONDS.toNanos(1);

  private final RedisURI uri;
  private final String where;
  private final Clock clock;
  private final AtomicBoolean checking = new AtomicBoolean();
  private ClientResources resources;
  private RedisClient client;
  private volatile StatefulRedisConnection<byte[], byte[]> connection;
  private volatile ProxyManager<byte[]> buckets;
  private volatile boolean down;
  private volatile long retryAt;
  private boolean closed;

  RedisLink(String redisUri) {
    this(redisUri, Clock.SYSTEM);
  }

  RedisLink(String redisUri, Clock clock) {
    try {
      this.uri = RedisURI.create(redisUri);
    } catch (RuntimeException e) {
      throw new IllegalArgumentException(
          "Not a Redis URI (expected redis://host:port or rediss://...): "
              + e.getClass().getSimpleName(),
          null);
    }
    uri.setTimeout(TIMEOUT);
    this.where = uri.getHost() + ":" + uri.getPort() + "/" + uri.getDatabase();
    this.clock = clock;
  }

  @Override
  public RateLimiter bind(Scope scope) {
    return new RedisRateLimiter(this, scope, clock);
  }

  @Override
  public Duration acquire(long tokens, Duration maxWait) {
    throw new IllegalStateException(
        "A Redis rate limiter paces one provider, key and model: give it to"
            + " Embedder.Builder.rateLimiter(...), which binds it to the embedder's, or call"
            + " bind(scope) yourself");
  }

  /** Whether the shared budget can be used now (false while Redis is down, between checks). */
  boolean up() {
    if (!down) {
      return true;
    }
    if (clock.nanoTime() - retryAt < 0 || !checking.compareAndSet(false, true)) {
      return false;
    }
    try {
      sync().ping();
      down = false;
      log.info("Redis at {} answers again: rate limits are shared again", where);
      return true;
    } catch (RuntimeException e) {
      retryAt = clock.nanoTime() + RETRY_NANOS;
      return false;
    } finally {
      checking.set(false);
    }
  }

  /** A Redis command failed: pace on local limits until Redis answers (one warning per outage). */
  void failed(RuntimeException e) {
    retryAt = clock.nanoTime() + RETRY_NANOS;
    synchronized (this) {
      if (down) {
        return;
      }
      down = true;
    }
    log.warn(
        "Redis at {} cannot be reached ({}): pacing on this process's own rate limits until it"
            + " answers again",
        where,
        e.getClass().getSimpleName() + (e.getMessage() == null ? "" : ": " + e.getMessage()));
  }

  boolean isDown() {
    return down;
  }

  /** Synchronous commands on the one connection; connects first if needed. */
  RedisCommands<byte[], byte[]> sync() {
    return connect().sync();
  }

  /** Bucket4j's buckets on the connection. */
  ProxyManager<byte[]> buckets() {
    connect();
    return buckets;
  }

  private StatefulRedisConnection<byte[], byte[]> connect() {
    StatefulRedisConnection<byte[], byte[]> c = connection;
    if (c != null) {
      return c;
    }
    synchronized (this) {
      if (closed) {
        throw new IllegalStateException("This Redis rate limiter was closed");
      }
      if (connection == null) {
        if (client == null) {
          resources =
              DefaultClientResources.builder()
                  .ioThreadPoolSize(2)
                  .computationThreadPoolSize(2)
                  .reconnectDelay(Delay.constant(Duration.ofMillis(500)))
                  .build();
          client = RedisClient.create(resources, uri);
          client.setOptions(
              ClientOptions.builder()
                  .autoReconnect(true)
                  .disconnectedBehavior(ClientOptions.DisconnectedBehavior.REJECT_COMMANDS)
                  .timeoutOptions(TimeoutOptions.enabled(TIMEOUT))
                  .socketOptions(SocketOptions.builder().connectTimeout(TIMEOUT).build())
                  .build());
        }
        StatefulRedisConnection<byte[], byte[]> fresh = client.connect(ByteArrayCodec.INSTANCE);
        buckets =
            Bucket4jLettuce.casBasedBuilder(fresh)
                .requestTimeout(TIMEOUT)
                .expirationAfterWrite(
                    ExpirationAfterWriteStrategy.basedOnTimeForRefillingBucketUpToMax(
                        Duration.ofMinutes(1)))
                .build();
        connection = fresh;
      }
      return connection;
    }
  }

  @Override
  public synchronized void close() {
    closed = true;
    if (connection != null) {
      connection.close();
      connection = null;
    }
    if (client != null) {
      client.shutdown(Duration.ZERO, TIMEOUT);
      resources.shutdown(0, TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
      client = null;
    }
  }

  @Override
  public String toString() {
    return "RedisRateLimiter{redis=" + where + (down ? ", down" : "") + "}";
  }
}
