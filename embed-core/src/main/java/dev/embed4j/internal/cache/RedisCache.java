package dev.embed4j.internal.cache;

import dev.embed4j.spi.EmbeddingCache;
import io.lettuce.core.KeyValue;
import io.lettuce.core.LettuceFutures;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisFuture;
import io.lettuce.core.RedisURI;
import io.lettuce.core.SetArgs;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.codec.ByteArrayCodec;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Vectors in Redis, one string value per key under a prefix, shared by every process that points at
 * the same server and prefix. A batch is one {@code MGET}; a put is one {@code MSET}, or with a
 * time to live one pipelined {@code SET ... PX} per vector, awaited together. One connection,
 * thread-safe, multiplexed by Lettuce.
 */
final class RedisCache implements EmbeddingCache {
  private final RedisClient client;
  private final StatefulRedisConnection<byte[], byte[]> connection;
  private final byte[] prefix;
  private final Duration timeToLive;
  private final Duration timeout;
  private final String description;

  RedisCache(RedisURI uri, String prefix, Duration timeToLive) {
    this.client = RedisClient.create(uri);
    try {
      this.connection = client.connect(ByteArrayCodec.INSTANCE);
    } catch (RuntimeException e) {
      client.shutdown();
      throw new IllegalStateException(
          "Cannot connect the Redis cache to " + where(uri) + ": " + e.getMessage(), e);
    }
    this.prefix = prefix.getBytes(StandardCharsets.UTF_8);
    this.timeToLive = timeToLive;
    this.timeout = uri.getTimeout();
    this.description =
        "redis cache "
            + where(uri)
            + " prefix '"
            + prefix
            + "'"
            + (timeToLive == null ? "" : " (ttl " + timeToLive + ")");
  }

  static RedisURI parse(String uri) {
    try {
      return RedisURI.create(uri);
    } catch (RuntimeException e) { // its message may quote the password: not chained
      throw new IllegalArgumentException(
          "Not a Redis URI: expected redis://[[user]:password@]host[:port][/database], rediss://..."
              + " for TLS or redis-sentinel://...; "
              + e.getClass().getSimpleName());
    }
  }

  /** Host, port and database, never the user name or password. */
  static String where(RedisURI uri) {
    String at =
        uri.getSocket() != null
            ? uri.getSocket()
            : uri.getSentinels().isEmpty()
                ? uri.getHost() + ":" + uri.getPort()
                : "sentinel master " + uri.getSentinelMasterId();
    return (uri.isSsl() ? "rediss://" : "redis://") + at + "/" + uri.getDatabase();
  }

  byte[] key(String key) {
    byte[] k = key.getBytes(StandardCharsets.US_ASCII);
    byte[] full = new byte[prefix.length + k.length];
    System.arraycopy(prefix, 0, full, 0, prefix.length);
    System.arraycopy(k, 0, full, prefix.length, k.length);
    return full;
  }

  @Override
  public float[][] get(List<String> keys) {
    float[][] vectors = new float[keys.size()][];
    if (keys.isEmpty()) {
      return vectors;
    }
    byte[][] full = new byte[keys.size()][];
    for (int i = 0; i < full.length; i++) {
      full[i] = key(keys.get(i));
    }
    List<KeyValue<byte[], byte[]>> values = connection.sync().mget(full);
    for (int i = 0; i < vectors.length; i++) {
      KeyValue<byte[], byte[]> kv = values.get(i);
      vectors[i] = kv.hasValue() ? VectorCodec.decode(kv.getValue()) : null;
    }
    return vectors;
  }

  @Override
  public void put(List<String> keys, List<float[]> vectors) {
    Stores.checkAligned(keys, vectors);
    if (keys.isEmpty()) {
      return;
    }
    long now = System.currentTimeMillis();
    if (timeToLive == null) {
      Map<byte[], byte[]> entries = new LinkedHashMap<>(keys.size() * 2);
      for (int i = 0; i < keys.size(); i++) {
        entries.put(key(keys.get(i)), VectorCodec.encode(vectors.get(i), now));
      }
      connection.sync().mset(entries);
      return;
    }
    SetArgs expiry = SetArgs.Builder.px(timeToLive.toMillis());
    RedisFuture<?>[] replies = new RedisFuture<?>[keys.size()];
    for (int i = 0; i < replies.length; i++) {
      replies[i] =
          connection.async().set(key(keys.get(i)), VectorCodec.encode(vectors.get(i), now), expiry);
    }
    if (!LettuceFutures.awaitAll(timeout, replies)) {
      throw new IllegalStateException(
          "Redis did not confirm " + replies.length + " writes within " + timeout);
    }
  }

  /** Writes raw bytes under a key, as a damaged value would hold them: for tests. */
  void putRaw(String key, byte[] value) {
    connection.sync().set(key(key), value);
  }

  @Override
  public String describe() {
    return description;
  }

  @Override
  public void close() {
    connection.close();
    client.shutdown();
  }
}
