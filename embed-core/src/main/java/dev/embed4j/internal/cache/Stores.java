package dev.embed4j.internal.cache;

import dev.embed4j.spi.EmbeddingCache;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Objects;

/**
 * The built-in cache stores, behind {@link EmbeddingCache}'s factories. Each store's library is an
 * optional dependency of embed-core; a factory checks for it before touching a class of it, so a
 * missing one is a message naming the Maven coordinates, not a {@code NoClassDefFoundError}. No
 * type of those libraries appears here.
 */
public final class Stores {
  public static final String DEFAULT_REDIS_PREFIX = "embed4j:";

  private Stores() {}

  public static EmbeddingCache inMemory(long maxBytes, Duration timeToLive) {
    if (maxBytes <= 0) {
      throw new IllegalArgumentException("maxBytes must be positive, was " + maxBytes);
    }
    checkTimeToLive(timeToLive);
    require(
        "inMemory",
        "com.github.benmanes.caffeine.cache.Caffeine",
        "com.github.ben-manes.caffeine:caffeine",
        "3.2.4");
    return new MemoryCache(maxBytes, timeToLive);
  }

  public static EmbeddingCache onDisk(Path directory, Duration timeToLive) {
    Objects.requireNonNull(directory, "directory");
    checkTimeToLive(timeToLive);
    require("onDisk", "org.h2.mvstore.MVStore", "com.h2database:h2-mvstore", "2.4.240");
    return new DiskCache(directory, timeToLive, System::currentTimeMillis);
  }

  public static EmbeddingCache redis(String redisUri, String keyPrefix, Duration timeToLive) {
    Objects.requireNonNull(redisUri, "redisUri");
    checkTimeToLive(timeToLive);
    require("redis", "io.lettuce.core.RedisClient", "io.lettuce:lettuce-core", "7.5.2.RELEASE");
    return new RedisCache(
        RedisCache.parse(redisUri),
        keyPrefix == null ? DEFAULT_REDIS_PREFIX : keyPrefix,
        timeToLive);
  }

  private static void checkTimeToLive(Duration timeToLive) {
    if (timeToLive != null && (timeToLive.isNegative() || timeToLive.isZero())) {
      throw new IllegalArgumentException(
          "timeToLive must be positive, or null for none, was " + timeToLive);
    }
  }

  private static void require(
      String factory, String className, String coordinates, String version) {
    try {
      Class.forName(className, false, Stores.class.getClassLoader());
    } catch (ClassNotFoundException | LinkageError e) {
      throw new IllegalStateException(
          "EmbeddingCache."
              + factory
              + " needs "
              + coordinates
              + " on the classpath: add the dependency "
              + coordinates
              + ":"
              + version
              + " (or later) to your build");
    }
  }

  static void checkAligned(List<String> keys, List<float[]> vectors) {
    if (keys.size() != vectors.size()) {
      throw new IllegalArgumentException(keys.size() + " keys but " + vectors.size() + " vectors");
    }
  }
}
