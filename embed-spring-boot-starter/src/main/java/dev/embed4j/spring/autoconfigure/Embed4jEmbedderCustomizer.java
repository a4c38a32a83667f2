package dev.embed4j.spring.autoconfigure;

import dev.embed4j.Embedder;

/**
 * Customizes the auto-configured {@link Embedder} before it is built, for settings that have no
 * {@code embed4j.*} property (a shared {@code RateLimiter}, an {@code OkHttpClient} with your
 * interceptors, a {@code ModelRegistry}) or to override one. Every bean of this type is applied in
 * {@link org.springframework.core.annotation.Order @Order} (or {@link
 * org.springframework.core.Ordered}) order. The {@code embed4j.*} properties are applied by such a
 * customizer too, at order 0: a customizer ordered after it, as one without an order is, sees the
 * properties applied and what it sets wins over them.
 *
 * <pre>{@code
 * @Bean
 * Embed4jEmbedderCustomizer sharedLimits(RateLimiter redisBackedLimiter) {
 *   return builder -> builder.rateLimiter(redisBackedLimiter);
 * }
 * }</pre>
 */
@FunctionalInterface
public interface Embed4jEmbedderCustomizer {

  /** Customizes the builder of the auto-configured embedder. */
  void customize(Embedder.Builder builder);
}
