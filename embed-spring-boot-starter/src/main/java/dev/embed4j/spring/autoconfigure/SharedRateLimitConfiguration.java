package dev.embed4j.spring.autoconfigure;

import dev.embed4j.spi.RateLimiter;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.data.redis.autoconfigure.DataRedisConnectionDetails;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.Ordered;

/**
 * {@code embed4j.rate-limit.shared: redis}: the embedder's rate limits live in Redis ({@link
 * RateLimiter#redis(String)}), on the connection Spring Boot configures from {@code
 * spring.data.redis.*} (host, port, database, username, password, SSL; a standalone server). The
 * limiter is applied to the builder by a customizer ordered right after the properties' one, and
 * closed with the context.
 */
@AutoConfiguration(
    before = Embed4jAutoConfiguration.class,
    afterName = "org.springframework.boot.data.redis.autoconfigure.DataRedisAutoConfiguration")
@ConditionalOnProperty(name = "embed4j.rate-limit.shared", havingValue = "redis")
public final class SharedRateLimitConfiguration {
  static final String NEEDS =
      "embed4j.rate-limit.shared=redis needs spring-boot-starter-data-redis (for the"
          + " spring.data.redis.* connection) and com.bucket4j:bucket4j_jdk17-lettuce";

  @Configuration(proxyBeanMethods = false)
  @ConditionalOnClass(
      name = "org.springframework.boot.data.redis.autoconfigure.DataRedisAutoConfiguration")
  static class OnRedis {

    @Bean
    RateLimiter embed4jSharedRateLimiter(ObjectProvider<DataRedisConnectionDetails> details) {
      DataRedisConnectionDetails redis = details.getIfAvailable();
      if (redis == null || redis.getStandalone() == null) {
        throw new Embed4jConfigurationException(
            "embed4j.rate-limit.shared=redis found no standalone Redis connection in"
                + " spring.data.redis.* (Sentinel, cluster and master/replica setups are not"
                + " supported by the shared limiter).",
            "Set spring.data.redis.host and spring.data.redis.port (or spring.data.redis.url) to one"
                + " Redis server, or set embed4j.rate-limit.shared=none.",
            null);
      }
      return RateLimiter.redis(uri(redis));
    }

    @Bean
    Embed4jEmbedderCustomizer embed4jSharedRateLimiterCustomizer(
        RateLimiter embed4jSharedRateLimiter) {
      return new Ordered0Customizer(embed4jSharedRateLimiter);
    }

    /** A Lettuce URI for Boot's standalone connection; credentials percent-encoded. */
    static String uri(DataRedisConnectionDetails redis) {
      DataRedisConnectionDetails.Standalone server = redis.getStandalone();
      StringBuilder uri =
          new StringBuilder(redis.getSslBundle() != null ? "rediss://" : "redis://");
      if (redis.getPassword() != null) {
        if (redis.getUsername() != null) {
          uri.append(encode(redis.getUsername())).append(':');
        } else {
          uri.append(':');
        }
        uri.append(encode(redis.getPassword())).append('@');
      }
      String host = server.getHost();
      uri.append(host.contains(":") ? "[" + host + "]" : host)
          .append(':')
          .append(server.getPort())
          .append('/')
          .append(server.getDatabase());
      return uri.toString();
    }

    private static String encode(String s) {
      return URLEncoder.encode(s, StandardCharsets.UTF_8).replace("+", "%20");
    }
  }

  @Configuration(proxyBeanMethods = false)
  @ConditionalOnMissingClass(
      "org.springframework.boot.data.redis.autoconfigure.DataRedisAutoConfiguration")
  static class WithoutRedis {

    @Bean
    RateLimiter embed4jSharedRateLimiter() {
      throw new Embed4jConfigurationException(
          NEEDS + ", and spring-boot-data-redis is not on the class path.",
          "Add org.springframework.boot:spring-boot-starter-data-redis and"
              + " com.bucket4j:bucket4j_jdk17-lettuce, or set embed4j.rate-limit.shared=none.",
          null);
    }
  }

  /** Applies the shared limiter right after the {@code embed4j.*} properties. */
  private record Ordered0Customizer(RateLimiter limiter)
      implements Embed4jEmbedderCustomizer, Ordered {
    @Override
    public void customize(dev.embed4j.Embedder.Builder builder) {
      builder.rateLimiter(limiter);
    }

    @Override
    public int getOrder() {
      return PropertiesEmbedderCustomizer.ORDER + 1;
    }
  }
}
