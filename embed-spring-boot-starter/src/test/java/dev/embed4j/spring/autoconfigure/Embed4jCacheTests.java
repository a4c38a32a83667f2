package dev.embed4j.spring.autoconfigure;

import static org.assertj.core.api.Assertions.assertThat;

import dev.embed4j.Embedder;
import dev.embed4j.emulator.EmbeddingEmulator;
import dev.embed4j.spi.EmbeddingCache;
import io.lettuce.core.RedisClient;
import io.lettuce.core.api.StatefulRedisConnection;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.data.redis.autoconfigure.DataRedisAutoConfiguration;
import org.springframework.boot.data.redis.autoconfigure.DataRedisConnectionDetails;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import redis.embedded.RedisServer;

/** {@code embed4j.cache.*}: each type against a real store, end to end through the emulator. */
class Embed4jCacheTests {
  private static final String REDIS_PASSWORD = "p@ss:word/1";
  private static final List<String> TEXTS = List.of("alpha beta", "gamma delta", "epsilon");

  private static EmbeddingEmulator emulator;
  private static RedisServer redis;
  private static int redisPort;

  @TempDir Path dir;

  private final ApplicationContextRunner contextRunner =
      new ApplicationContextRunner()
          .withConfiguration(
              AutoConfigurations.of(
                  DataRedisAutoConfiguration.class, Embed4jAutoConfiguration.class))
          .withPropertyValues(
              "embed4j.openai.api-key=test-key",
              "embed4j.openai.base-url=" + emulatorUrl(),
              "embed4j.model=text-embedding-3-small");

  private static String emulatorUrl() {
    return emulator.baseUrl();
  }

  @BeforeAll
  static void start() throws IOException {
    emulator = EmbeddingEmulator.builder().apiKeys("test-key").start();
    try (ServerSocket probe = new ServerSocket(0)) {
      redisPort = probe.getLocalPort();
    }
    redis =
        RedisServer.newRedisServer()
            .port(redisPort)
            .bind("127.0.0.1")
            .setting("save \"\"")
            .setting("appendonly no")
            .setting("requirepass \"" + REDIS_PASSWORD + "\"")
            .build();
    redis.start();
  }

  @AfterAll
  static void stop() throws IOException {
    redis.stop();
    emulator.close();
  }

  @BeforeEach
  void reset() {
    emulator.stats().reset();
  }

  /** Embeds the texts twice; returns the tokens billed by the emulator for each run. */
  private static long[] embedTwice(Embedder embedder) {
    long[] billed = new long[2];
    for (int i = 0; i < 2; i++) {
      long before = emulator.stats().tokensBilled();
      assertThat(embedder.embed(TEXTS).vectors()).hasSize(3);
      billed[i] = emulator.stats().tokensBilled() - before;
    }
    return billed;
  }

  @Test
  void byDefault_noCache_theSameTextsAreBilledAgain() {
    contextRunner.run(
        context -> {
          assertThat(context).hasNotFailed().doesNotHaveBean(EmbeddingCache.class);
          long[] billed = embedTwice(context.getBean(Embedder.class));
          assertThat(billed[0]).isPositive();
          assertThat(billed[1]).isEqualTo(billed[0]);
        });
  }

  @Test
  void memory_theSecondRunIsFree_andTheCacheIsClosedWithTheContext() {
    List<EmbeddingCache> created = new ArrayList<>();
    contextRunner
        .withPropertyValues("embed4j.cache.type=memory", "embed4j.cache.maximum-size=10MB")
        .run(
            context -> {
              assertThat(context).hasNotFailed().hasSingleBean(EmbeddingCache.class);
              EmbeddingCache cache = context.getBean(EmbeddingCache.class);
              assertThat(cache.describe()).isEqualTo("memory cache (10485760 bytes)");
              long[] billed = embedTwice(context.getBean(Embedder.class));
              assertThat(billed[0]).isPositive();
              assertThat(billed[1]).isZero();
              cache.put(List.of("probe"), List.of(new float[] {1f}));
              created.add(cache);
            });
    assertThat(created.get(0).get(List.of("probe"))[0]).as("emptied by close()").isNull();
  }

  @Test
  void disk_survivesTheContext_aNewContextOnTheSamePathPaysNothing() {
    Path cacheDir = dir.resolve("cache");
    ApplicationContextRunner disk =
        contextRunner.withPropertyValues(
            "embed4j.cache.type=DISK",
            "embed4j.cache.path=" + cacheDir,
            "embed4j.cache.time-to-live=7d");
    long[] first = new long[1];
    disk.run(
        context -> {
          assertThat(context).hasNotFailed();
          assertThat(context.getBean(EmbeddingCache.class).describe())
              .startsWith("disk cache " + cacheDir.toRealPath())
              .endsWith("(ttl PT168H)");
          first[0] = embedTwice(context.getBean(Embedder.class))[0];
        });
    assertThat(first[0]).isPositive();
    assertThat(Files.isRegularFile(cacheDir.resolve("embeddings.mv.db"))).isTrue();
    disk.run(
        context -> assertThat(embedTwice(context.getBean(Embedder.class))).containsExactly(0, 0));
  }

  @Test
  void disk_withoutAPath_failsTheStartUpSayingWhatToSet() {
    contextRunner
        .withPropertyValues("embed4j.cache.type=disk")
        .run(
            context ->
                assertThat(context)
                    .getFailure()
                    .rootCause()
                    .isInstanceOf(Embed4jConfigurationException.class)
                    .hasMessage(
                        "embed4j.cache.type=disk needs the directory to keep the cache in. Set"
                            + " embed4j.cache.path, for example embed4j.cache.path=/var/cache/embed4j."));
  }

  @Test
  void anUnknownType_failsTheStartUp() {
    contextRunner
        .withPropertyValues("embed4j.cache.type=mongo")
        .run(context -> assertThat(context).hasFailed());
  }

  @Test
  void redis_throughSpringDataRedisConnection_sharedAcrossContexts() {
    ApplicationContextRunner withRedis =
        contextRunner.withPropertyValues(
            "embed4j.cache.type=redis",
            "embed4j.cache.key-prefix=embed4j-test:",
            "embed4j.cache.time-to-live=1h",
            "spring.data.redis.host=127.0.0.1",
            "spring.data.redis.port=" + redisPort,
            "spring.data.redis.password=" + REDIS_PASSWORD,
            "spring.data.redis.database=2");
    withRedis.run(
        context -> {
          assertThat(context).hasNotFailed().hasSingleBean(EmbeddingCache.class);
          assertThat(context.getBean(EmbeddingCache.class).describe())
              .isEqualTo(
                  "redis cache redis://127.0.0.1:"
                      + redisPort
                      + "/2 prefix 'embed4j-test:' (ttl PT1H)")
              .doesNotContain(REDIS_PASSWORD);
          long[] billed = embedTwice(context.getBean(Embedder.class));
          assertThat(billed[0]).isPositive();
          assertThat(billed[1]).isZero();
        });
    // another instance of the application, on the same Redis: nothing billed
    withRedis.run(
        context -> assertThat(embedTwice(context.getBean(Embedder.class))).containsExactly(0, 0));
    RedisClient client = RedisClient.create(uri(2));
    try (StatefulRedisConnection<String, String> c = client.connect()) {
      List<String> keys = c.sync().keys("*");
      assertThat(keys).hasSize(3).allMatch(k -> k.startsWith("embed4j-test:"));
      assertThat(c.sync().pttl(keys.get(0))).isPositive();
    } finally {
      client.shutdown();
    }
  }

  private static String uri(int database) {
    return CacheConfigurations.uri(
        new DataRedisConnectionDetails() {
          @Override
          public String getPassword() {
            return REDIS_PASSWORD;
          }

          @Override
          public Standalone getStandalone() {
            return Standalone.of("127.0.0.1", redisPort, database);
          }
        });
  }

  @Test
  void redisUri_encodesTheCredentials() {
    assertThat(uri(4)).isEqualTo("redis://:p%40ss%3Aword%2F1@127.0.0.1:" + redisPort + "/4");
  }

  @Test
  void redis_withoutSpringDataRedis_failsTheStartUpSayingWhatToAdd() {
    new ApplicationContextRunner()
        .withConfiguration(AutoConfigurations.of(Embed4jAutoConfiguration.class))
        .withClassLoader(new FilteredClassLoader("org.springframework.boot.data.redis"))
        .withPropertyValues(
            "embed4j.openai.api-key=test-key",
            "embed4j.openai.base-url=" + emulatorUrl(),
            "embed4j.cache.type=redis")
        .run(
            context ->
                assertThat(context)
                    .getFailure()
                    .rootCause()
                    .hasMessageContaining("Spring Data Redis is not on the class path")
                    .hasMessageContaining(
                        "org.springframework.boot:spring-boot-starter-data-redis"));
  }

  @Test
  void theApplicationsOwnCache_wins_andIsGivenToTheEmbedder() {
    contextRunner
        .withUserConfiguration(OwnCache.class)
        .withPropertyValues(
            "embed4j.cache.type=disk", "embed4j.cache.path=" + dir.resolve("unused"))
        .run(
            context -> {
              assertThat(context).hasNotFailed().hasSingleBean(EmbeddingCache.class);
              assertThat(context.getBean(EmbeddingCache.class).describe()).isEqualTo("own cache");
              assertThat(embedTwice(context.getBean(Embedder.class))[1]).isZero();
            });
    assertThat(dir.resolve("unused")).doesNotExist();
  }

  @Configuration(proxyBeanMethods = false)
  static class OwnCache {
    @Bean
    EmbeddingCache ownCache() {
      EmbeddingCache memory = EmbeddingCache.inMemory(1 << 20);
      return new EmbeddingCache() {
        @Override
        public float[][] get(List<String> keys) {
          return memory.get(keys);
        }

        @Override
        public void put(List<String> keys, List<float[]> vectors) {
          memory.put(keys, vectors);
        }

        @Override
        public String describe() {
          return "own cache";
        }
      };
    }
  }
}
