package dev.embed4j.spring.autoconfigure;

import static org.assertj.core.api.Assertions.assertThat;

import dev.embed4j.Embedder;
import dev.embed4j.emulator.EmbeddingEmulator;
import dev.embed4j.spi.RateLimiter;
import io.lettuce.core.RedisClient;
import io.lettuce.core.api.StatefulRedisConnection;
import java.net.ServerSocket;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.data.redis.autoconfigure.DataRedisAutoConfiguration;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import redis.embedded.RedisServer;

/** {@code embed4j.rate-limit.shared: redis} on Boot's {@code spring.data.redis.*} connection. */
class SharedRateLimitTests {
  private static EmbeddingEmulator emulator;
  private static RedisServer redis;
  private static int port;

  private final ApplicationContextRunner contextRunner =
      new ApplicationContextRunner()
          .withConfiguration(
              AutoConfigurations.of(
                  DataRedisAutoConfiguration.class,
                  SharedRateLimitConfiguration.class,
                  Embed4jAutoConfiguration.class))
          .withPropertyValues(
              "embed4j.openai.api-key=test-key",
              "embed4j.openai.base-url=" + "http://127.0.0.1:1",
              "embed4j.rate-limit.tokens-per-minute=100000");

  @BeforeAll
  static void start() throws Exception {
    try (ServerSocket s = new ServerSocket(0)) {
      port = s.getLocalPort();
    }
    redis = RedisServer.newRedisServer().port(port).bind("127.0.0.1").build();
    redis.start();
    emulator = EmbeddingEmulator.builder().apiKeys("test-key").start();
  }

  @AfterAll
  static void stop() throws Exception {
    emulator.close();
    redis.stop();
  }

  @Test
  void redisSharesTheEmbeddersBudgetsInBootsRedis() {
    contextRunner
        .withPropertyValues(
            "embed4j.openai.base-url=" + emulator.baseUrl(),
            "embed4j.rate-limit.shared=redis",
            "spring.data.redis.host=127.0.0.1",
            "spring.data.redis.port=" + port)
        .run(
            context -> {
              assertThat(context).hasNotFailed().hasBean("embed4jSharedRateLimiter");
              Embedder embedder = context.getBean(Embedder.class);
              assertThat(embedder.embed(List.of("one", "two")).isComplete()).isTrue();
              RedisClient client = RedisClient.create("redis://127.0.0.1:" + port);
              try (StatefulRedisConnection<String, String> c = client.connect()) {
                List<String> keys = c.sync().keys("embed4j:rl:*");
                assertThat(keys).anyMatch(k -> k.endsWith(":tokens"));
                assertThat(keys).noneMatch(k -> k.contains("test-key"));
              } finally {
                client.shutdown(java.time.Duration.ZERO, java.time.Duration.ofSeconds(1));
              }
            });
  }

  @Test
  void withoutThePropertyNoSharedLimiter() {
    contextRunner
        .withPropertyValues("spring.data.redis.port=" + port)
        .run(context -> assertThat(context).hasNotFailed().doesNotHaveBean(RateLimiter.class));
  }

  @Test
  void withoutSpringDataRedisTheStartupSaysWhatToAdd() {
    new ApplicationContextRunner()
        .withConfiguration(
            AutoConfigurations.of(
                SharedRateLimitConfiguration.class, Embed4jAutoConfiguration.class))
        .withPropertyValues("embed4j.openai.api-key=test-key", "embed4j.rate-limit.shared=redis")
        .withClassLoader(new FilteredClassLoader("org.springframework.boot.data.redis"))
        .run(
            context ->
                assertThat(context)
                    .hasFailed()
                    .getFailure()
                    .rootCause()
                    .hasMessageContaining("spring-boot-starter-data-redis")
                    .hasMessageContaining("bucket4j_jdk17-lettuce"));
  }

  @Test
  void bootsConnectionBecomesALettuceUriWithEncodedCredentials() {
    contextRunner
        .withPropertyValues(
            "spring.data.redis.host=cache.internal",
            "spring.data.redis.port=6380",
            "spring.data.redis.database=2",
            "spring.data.redis.username=app",
            "spring.data.redis.password=p@ss word")
        .run(
            context ->
                assertThat(
                        SharedRateLimitConfiguration.OnRedis.uri(
                            context.getBean(
                                org.springframework.boot.data.redis.autoconfigure
                                    .DataRedisConnectionDetails.class)))
                    .isEqualTo("redis://app:p%40ss%20word@cache.internal:6380/2"));
  }
}
