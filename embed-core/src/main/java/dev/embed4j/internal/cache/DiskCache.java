package dev.embed4j.internal.cache;

import dev.embed4j.spi.EmbeddingCache;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.LongSupplier;
import org.h2.mvstore.DataUtils;
import org.h2.mvstore.MVMap;
import org.h2.mvstore.MVStore;
import org.h2.mvstore.MVStoreException;
import org.h2.mvstore.type.ByteArrayDataType;
import org.h2.mvstore.type.StringDataType;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Vectors in one H2 MVStore file, {@value #FILE} in the cache's directory. Every {@link #put} is
 * committed before it returns, so what a killed process had put is there when it starts again.
 * Caches opened on the same directory in one JVM share one open store (the file is locked to one
 * process); the last one closed closes it. A file that cannot be opened as a store (not a lock held
 * by another process) is moved aside with a warning and a new one started: a cache is worth less
 * than the run it would fail.
 */
final class DiskCache implements EmbeddingCache {
  static final String FILE = "embeddings.mv.db";

  /** MVStore's page cache, in MB (its default is 16): about 10,000 vectors of 1536 floats. */
  private static final int CACHE_MB = 64;

  private static final Logger log = LoggerFactory.getLogger(DiskCache.class);
  private static final SharedFiles<Open> open = new SharedFiles<>();

  private final Path file;
  private final Open store;
  private final Duration timeToLive;
  private final LongSupplier clock;
  private final AtomicBoolean closed = new AtomicBoolean();

  DiskCache(Path directory, Duration timeToLive, LongSupplier clock) {
    try {
      Files.createDirectories(directory);
      this.file = directory.toRealPath().resolve(FILE);
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot create the cache directory " + directory, e);
    }
    this.store = open.acquire(file, Open::new);
    this.timeToLive = timeToLive;
    this.clock = clock;
  }

  @Override
  public float[][] get(List<String> keys) {
    float[][] vectors = new float[keys.size()][];
    long now = clock.getAsLong();
    for (int i = 0; i < vectors.length; i++) {
      byte[] bytes = read(keys.get(i));
      float[] v = VectorCodec.decode(bytes);
      if (v != null
          && timeToLive != null
          && now - VectorCodec.writtenAt(bytes) >= timeToLive.toMillis()) {
        v = null;
      }
      vectors[i] = v;
    }
    return vectors;
  }

  private byte[] read(String key) {
    try {
      return store.map.get(key);
    } catch (MVStoreException e) {
      if (e.getErrorCode() != DataUtils.ERROR_FILE_CORRUPT) {
        throw e;
      }
      log.debug("Damaged page in {} under key {}: a miss", file, key, e);
      return null;
    }
  }

  @Override
  public void put(List<String> keys, List<float[]> vectors) {
    Stores.checkAligned(keys, vectors);
    long now = clock.getAsLong();
    byte[][] values = new byte[keys.size()][];
    for (int i = 0; i < values.length; i++) {
      values[i] = VectorCodec.encode(vectors.get(i), now);
    }
    // One writer at a time: MVMap's lock-free updates retry under contention, copying pages that
    // hold whole vectors each time (16 writers ran at a fifth of one writer's rate).
    synchronized (store) {
      for (int i = 0; i < values.length; i++) {
        store.map.put(keys.get(i), values[i]);
      }
      store.mv.commit();
    }
  }

  /** Writes raw bytes under a key, as a damaged file would hold them: for tests. */
  void putRaw(String key, byte[] value) {
    synchronized (store) {
      store.map.put(key, value);
      store.mv.commit();
    }
  }

  @Override
  public String describe() {
    return "disk cache " + file + (timeToLive == null ? "" : " (ttl " + timeToLive + ")");
  }

  @Override
  public void close() {
    if (closed.compareAndSet(false, true)) {
      open.release(file);
    }
  }

  /** One open store file and its map of vectors. */
  static final class Open implements AutoCloseable {
    final MVStore mv;
    final MVMap<String, byte[]> map;

    Open(Path file) {
      MVStore s;
      try {
        s = openStore(file);
      } catch (MVStoreException e) {
        if (e.getErrorCode() == DataUtils.ERROR_FILE_LOCKED) {
          throw new IllegalStateException(
              "The disk cache "
                  + file
                  + " is in use by another process. Give each process its own cache directory,"
                  + " or share one Redis cache (EmbeddingCache.redis) between processes.",
              e);
        }
        Path aside = file.resolveSibling(FILE + ".corrupt-" + System.currentTimeMillis());
        log.warn(
            "The disk cache {} cannot be read ({}); moved to {}, starting empty",
            file,
            e.getMessage(),
            aside);
        try {
          Files.move(file, aside);
        } catch (IOException moveFailed) {
          e.addSuppressed(moveFailed);
          throw new IllegalStateException(
              "The disk cache " + file + " is damaged and cannot be moved aside", e);
        }
        s = openStore(file);
      }
      this.mv = s;
      this.map =
          mv.openMap(
              "vectors",
              new MVMap.Builder<String, byte[]>()
                  .keyType(StringDataType.INSTANCE)
                  .valueType(ByteArrayDataType.INSTANCE));
    }

    private static MVStore openStore(Path file) {
      return new MVStore.Builder().fileName(file.toString()).cacheSize(CACHE_MB).open();
    }

    @Override
    public void close() {
      mv.close();
    }
  }
}
