package dev.embed4j.internal.cache;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.embed4j.spi.EmbeddingCache;
import io.lettuce.core.RedisClient;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.sync.RedisCommands;
import io.lettuce.core.codec.ByteArrayCodec;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class RedisCacheTest extends ByteStoreContract {
  private static final String PASSWORD = "s3cret-redis-pw";
  private static EmbeddedRedis redis;
  private static RedisClient client;
  private static StatefulRedisConnection<byte[], byte[]> raw;

  @BeforeAll
  static void startRedis() {
    redis = new EmbeddedRedis(PASSWORD);
    client = RedisClient.create(redis.uri(PASSWORD, 3));
    raw = client.connect(ByteArrayCodec.INSTANCE);
    raw.sync().flushdb();
  }

  @AfterAll
  static void stopRedis() throws Exception {
    raw.close();
    client.shutdown();
    redis.close();
  }

  @Override
  EmbeddingCache open() {
    raw.sync().flushdb();
    return EmbeddingCache.redis(redis.uri(PASSWORD, 3), "test:", null);
  }

  @Override
  void putRaw(String key, byte[] value) {
    raw.sync().set(("test:" + key).getBytes(StandardCharsets.US_ASCII), value);
  }

  private static RedisCommands<byte[], byte[]> redisCommands() {
    return raw.sync();
  }

  @Test
  void eachVectorIsOneCompactValueUnderThePrefix() {
    cache.put(List.of("abc"), List.of(vectorOf("abc")));
    byte[] value = redisCommands().get("test:abc".getBytes(StandardCharsets.US_ASCII));
    assertThat(value).hasSize(20 + 4 * DIMENSIONS);
    ByteBuffer b = ByteBuffer.wrap(value).order(ByteOrder.LITTLE_ENDIAN);
    assertThat(b.getInt(4)).isEqualTo(DIMENSIONS);
    assertThat(b.getFloat(20)).isEqualTo(vectorOf("abc")[0]);
    assertThat(
            redisCommands().keys("*").stream().map(k -> new String(k, StandardCharsets.US_ASCII)))
        .containsExactly("test:abc");
    assertThat(redisCommands().pttl("test:abc".getBytes(StandardCharsets.US_ASCII))).isEqualTo(-1L);
  }

  @Test
  void withATimeToLive_everyKeyExpires() {
    try (EmbeddingCache expiring =
        EmbeddingCache.redis(redis.uri(PASSWORD, 3), "ttl:", Duration.ofHours(1))) {
      expiring.put(List.of("a", "b"), List.of(vectorOf("a"), vectorOf("b")));
      for (String k : List.of("ttl:a", "ttl:b")) {
        assertThat(redisCommands().pttl(k.getBytes(StandardCharsets.US_ASCII)))
            .isBetween(Duration.ofMinutes(59).toMillis(), Duration.ofHours(1).toMillis());
      }
      assertThat(expiring.get(List.of("b", "a"))[1]).containsExactly(vectorOf("a"));
    }
  }

  @Test
  void twoPrefixes_twoSeparateCaches() {
    try (EmbeddingCache other = EmbeddingCache.redis(redis.uri(PASSWORD, 3), "other:", null)) {
      cache.put(List.of("a"), List.of(vectorOf("a")));
      assertThat(other.get(List.of("a"))[0]).isNull();
    }
  }

  @Test
  void thePasswordIsInNoDescriptionOrError() {
    assertThat(cache.describe())
        .isEqualTo("redis cache redis://127.0.0.1:" + redis.port + "/3 prefix 'test:'");
    assertThatThrownBy(() -> EmbeddingCache.redis(redis.uri("wrong-pw-123", 3)))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageStartingWith(
            "Cannot connect the Redis cache to redis://127.0.0.1:" + redis.port + "/3")
        .satisfies(e -> assertThat(e.getMessage()).doesNotContain("wrong-pw-123"));
    assertThatThrownBy(() -> EmbeddingCache.redis("http://:pw-in-bad-uri@localhost"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith("Not a Redis URI: expected redis://")
        .hasNoCause()
        .satisfies(e -> assertThat(e.getMessage()).doesNotContain("pw-in-bad-uri"));
  }
}
