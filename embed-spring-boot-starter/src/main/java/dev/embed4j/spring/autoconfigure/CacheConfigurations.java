package dev.embed4j.spring.autoconfigure;

import dev.embed4j.spi.EmbeddingCache;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.stream.Collectors;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.data.redis.autoconfigure.DataRedisConnectionDetails;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Import;

/**
 * The {@code EmbeddingCache} bean of {@code embed4j.cache.type}, unless the application defines
 * one; closed with the context. A store that cannot be opened (its library missing, its directory
 * held by another process, Redis unreachable) fails the start-up with core's message.
 */
final class CacheConfigurations {
  private static final String TYPE = "embed4j.cache.type";
  private static final String DATA_REDIS =
      "org.springframework.boot.data.redis.autoconfigure.DataRedisConnectionDetails";

  private CacheConfigurations() {}

  @Configuration(proxyBeanMethods = false)
  @ConditionalOnMissingBean(EmbeddingCache.class)
  @Import({DataRedisCacheConfiguration.class, NoDataRedisCacheConfiguration.class})
  static class CacheConfiguration {

    @Bean(destroyMethod = "close")
    @ConditionalOnProperty(name = TYPE, havingValue = "memory")
    EmbeddingCache embed4jMemoryCache(Embed4jProperties properties) {
      Embed4jProperties.Cache c = properties.getCache();
      return open(
          "memory", () -> EmbeddingCache.inMemory(c.getMaximumSize().toBytes(), c.getTimeToLive()));
    }

    @Bean(destroyMethod = "close")
    @ConditionalOnProperty(name = TYPE, havingValue = "disk")
    EmbeddingCache embed4jDiskCache(Embed4jProperties properties) {
      Embed4jProperties.Cache c = properties.getCache();
      if (c.getPath() == null) {
        throw new Embed4jConfigurationException(
            TYPE + "=disk needs the directory to keep the cache in.",
            "Set embed4j.cache.path, for example embed4j.cache.path=/var/cache/embed4j.",
            null);
      }
      return open("disk", () -> EmbeddingCache.onDisk(c.getPath(), c.getTimeToLive()));
    }
  }

  /** Redis through the connection Spring Boot configures from {@code spring.data.redis.*}. */
  @Configuration(proxyBeanMethods = false)
  @ConditionalOnClass(name = DATA_REDIS)
  @ConditionalOnProperty(name = TYPE, havingValue = "redis")
  static class DataRedisCacheConfiguration {

    @Bean(destroyMethod = "close")
    EmbeddingCache embed4jRedisCache(
        Embed4jProperties properties, ObjectProvider<DataRedisConnectionDetails> details) {
      DataRedisConnectionDetails connection = details.getIfAvailable();
      if (connection == null) {
        throw new Embed4jConfigurationException(
            TYPE + "=redis, but Spring Boot configured no Redis connection.",
            "Let Spring Boot's Data Redis auto-configuration run (spring.data.redis.*), or define"
                + " an EmbeddingCache bean with EmbeddingCache.redis(uri, prefix, timeToLive).",
            null);
      }
      Embed4jProperties.Cache c = properties.getCache();
      String uri = uri(connection);
      return open("redis", () -> EmbeddingCache.redis(uri, c.getKeyPrefix(), c.getTimeToLive()));
    }
  }

  @Configuration(proxyBeanMethods = false)
  @ConditionalOnMissingClass(DATA_REDIS)
  @ConditionalOnProperty(name = TYPE, havingValue = "redis")
  static class NoDataRedisCacheConfiguration {

    @Bean
    EmbeddingCache embed4jRedisCache() {
      throw new Embed4jConfigurationException(
          TYPE
              + "=redis uses Spring Boot's spring.data.redis.* connection, and Spring Data Redis"
              + " is not on the class path.",
          "Add org.springframework.boot:spring-boot-starter-data-redis, or define an"
              + " EmbeddingCache bean with EmbeddingCache.redis(uri, prefix, timeToLive).",
          null);
    }
  }

  /** A Lettuce URI for Boot's connection: standalone or sentinel, with TLS when a bundle is set. */
  static String uri(DataRedisConnectionDetails d) {
    if (d.getCluster() != null || d.getMasterReplica() != null) {
      throw new Embed4jConfigurationException(
          TYPE
              + "=redis supports a standalone or sentinel Redis, not spring.data.redis.cluster"
              + " or master-replica.",
          "Define an EmbeddingCache bean of your own for a Redis Cluster.",
          null);
    }
    String credentials = credentials(d.getUsername(), d.getPassword());
    DataRedisConnectionDetails.Sentinel sentinel = d.getSentinel();
    if (sentinel != null) {
      String nodes =
          sentinel.getNodes().stream()
              .map(n -> host(n.host()) + ":" + n.port())
              .collect(Collectors.joining(","));
      return (d.getSslBundle() != null ? "rediss-sentinel://" : "redis-sentinel://")
          + credentials
          + nodes
          + "/"
          + sentinel.getDatabase()
          + "#"
          + sentinel.getMaster();
    }
    DataRedisConnectionDetails.Standalone s = d.getStandalone();
    return (d.getSslBundle() != null ? "rediss://" : "redis://")
        + credentials
        + host(s.getHost())
        + ":"
        + s.getPort()
        + "/"
        + s.getDatabase();
  }

  private static String credentials(String user, String password) {
    if (password == null || password.isEmpty()) {
      return "";
    }
    return (user == null ? "" : encode(user)) + ":" + encode(password) + "@";
  }

  private static String encode(String s) {
    return URLEncoder.encode(s, StandardCharsets.UTF_8).replace("+", "%20");
  }

  private static String host(String host) {
    return host.contains(":") && !host.startsWith("[") ? "[" + host + "]" : host;
  }

  private interface Opener {
    EmbeddingCache open();
  }

  private static EmbeddingCache open(String type, Opener opener) {
    try {
      return opener.open();
    } catch (IllegalArgumentException | IllegalStateException | java.io.UncheckedIOException e) {
      throw new Embed4jConfigurationException(
          "Embed4j could not open its " + type + " cache: " + e.getMessage(),
          "Correct the embed4j.cache.* properties (or the library or connection named above), or"
              + " set embed4j.cache.type=none.",
          e);
    }
  }
}
