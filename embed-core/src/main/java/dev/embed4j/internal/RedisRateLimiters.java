package dev.embed4j.internal;

import dev.embed4j.spi.RateLimiter;

/**
 * Where {@link RateLimiter#redis(String)} starts: checks that the optional libraries are there
 * before any class that needs them is loaded, then creates the limiter. Public only for the SPI.
 */
public final class RedisRateLimiters {
  static final String LETTUCE = "io.lettuce:lettuce-core";
  static final String BUCKET4J_LETTUCE = "com.bucket4j:bucket4j_jdk17-lettuce";

  private RedisRateLimiters() {}

  /**
   * Fails, naming the Maven coordinates to add, if Lettuce or Bucket4j's Lettuce back end lacks.
   */
  public static void requireLibraries() {
    require("io.lettuce.core.RedisClient", LETTUCE);
    require("io.github.bucket4j.redis.lettuce.Bucket4jLettuce", BUCKET4J_LETTUCE);
  }

  private static void require(String className, String coordinates) {
    try {
      Class.forName(className, false, RedisRateLimiters.class.getClassLoader());
    } catch (ClassNotFoundException | LinkageError e) {
      throw new IllegalStateException(
          "RateLimiter.redis needs "
              + coordinates
              + " on the classpath ("
              + className
              + " was not found): add the dependency "
              + coordinates
              + " (with "
              + (coordinates.equals(LETTUCE) ? BUCKET4J_LETTUCE : LETTUCE)
              + "), or use the built-in local limiter.");
    }
  }

  /** An unbound limiter on the Redis at {@code redisUri}; it connects when first bound and used. */
  public static RateLimiter create(String redisUri) {
    return new RedisLink(redisUri);
  }
}
