package dev.embed4j.spring.autoconfigure;

import java.time.Clock;
import org.springframework.boot.actuate.autoconfigure.endpoint.condition.ConditionalOnAvailableEndpoint;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * The {@link Embed4jEndpoint embed4j} Actuator endpoint, when Spring Boot Actuator is on the class
 * path and the endpoint is available (enabled and exposed), with the {@code EmbedListener} that
 * counts for it. The listener is a bean like the application's own listeners, so the
 * auto-configured embedder picks it up.
 */
@AutoConfiguration
@ConditionalOnClass(name = "org.springframework.boot.actuate.endpoint.annotation.Endpoint")
public final class Embed4jEndpointAutoConfiguration {

  @Configuration(proxyBeanMethods = false)
  @ConditionalOnAvailableEndpoint(Embed4jEndpoint.class)
  static class EndpointConfiguration {

    @Bean
    UsageListener embed4jUsageListener() {
      return new UsageListener(Clock.systemUTC());
    }

    @Bean
    Embed4jEndpoint embed4jEndpoint(UsageListener usage) {
      return new Embed4jEndpoint(usage);
    }
  }
}
