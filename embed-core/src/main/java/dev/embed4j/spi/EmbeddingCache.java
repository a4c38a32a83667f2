package dev.embed4j.spi;

import dev.embed4j.internal.cache.Stores;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * A store of vectors already paid for, looked up before a batch is sent and written after it
 * succeeds. Keys are computed by the engine, never by the store: each is a stable hash (printable
 * ASCII, at most 64 characters) of the provider, model, dimensions, input type, truncation and
 * text, so a store never sees a text or a key of the provider's API.
 *
 * <p>The engine checks every vector a store returns against the run's dimensions: one of the wrong
 * length is a miss and is overwritten. A store returns null for an entry it cannot decode (corrupt
 * or truncated), never a partial vector. A store whose {@link #get} or {@link #put} throws is
 * treated as missing for the rest of the run, with one warning; it never fails a run.
 *
 * <p>Implementations must be thread-safe: batches of one run, and runs of several embedders, call
 * them concurrently.
 *
 * <p><b>Built-in stores.</b> Each needs its library on the classpath (an optional dependency of
 * embed-core); without it the factory throws {@link IllegalStateException} naming the Maven
 * coordinates to add. All of them turn a damaged, cut-off or foreign entry into a miss.
 *
 * <table>
 *   <caption>The stores</caption>
 *   <tr><th>factory</th><th>holds vectors</th><th>library</th></tr>
 *   <tr><td>{@link #inMemory(long, Duration)}</td><td>in this JVM's heap, up to a size in
 *       bytes</td><td>{@code com.github.ben-manes.caffeine:caffeine}</td></tr>
 *   <tr><td>{@link #onDisk(Path, Duration)}</td><td>in one file in a directory, across restarts;
 *       one process at a time</td><td>{@code com.h2database:h2-mvstore}</td></tr>
 *   <tr><td>{@link #redis(String, String, Duration)}</td><td>in Redis, shared by every process
 *       using the same server and prefix</td><td>{@code io.lettuce:lettuce-core}</td></tr>
 * </table>
 *
 * <pre>{@code
 * try (EmbeddingCache cache = EmbeddingCache.onDisk(Path.of("embeddings-cache"));
 *     Embedder embedder = Embedder.builder().model("text-embedding-3-small").cache(cache).build()) {
 *   EmbeddingRun run = embedder.embed(texts); // a second run of the same texts sends nothing
 * }
 * }</pre>
 */
public interface EmbeddingCache extends AutoCloseable {

  /**
   * A cache in this JVM's heap, holding at most about {@code maxBytes} of vectors (4 bytes a float
   * plus about 100 bytes an entry) and evicting the least useful first; see {@link #inMemory(long,
   * Duration)}.
   */
  static EmbeddingCache inMemory(long maxBytes) {
    return Stores.inMemory(maxBytes, null);
  }

  /**
   * A cache in this JVM's heap, bounded by size (Caffeine's frequency and recency policy decides
   * what goes), whose entries expire {@code timeToLive} after they were written. Returned vectors
   * are copies. {@link #close()} empties it.
   *
   * @param timeToLive null for entries that never expire
   * @throws IllegalArgumentException if {@code maxBytes} or {@code timeToLive} is not positive
   * @throws IllegalStateException if Caffeine is not on the classpath
   */
  static EmbeddingCache inMemory(long maxBytes, Duration timeToLive) {
    return Stores.inMemory(maxBytes, timeToLive);
  }

  /** A cache on local disk whose entries never expire; see {@link #onDisk(Path, Duration)}. */
  static EmbeddingCache onDisk(Path directory) {
    return Stores.onDisk(directory, null);
  }

  /**
   * A cache in one file, {@code embeddings.mv.db} (an H2 MVStore), in {@code directory}, created if
   * absent. It survives restarts and kills: each {@link #put} is written to the file before it
   * returns. Caches opened on the same directory in one JVM share the open file, and it is closed
   * when the last of them is; the file is locked against other processes. A file that is not a
   * readable store is moved aside (with a warning) and a new one started.
   *
   * @param timeToLive null for entries that never expire; older ones are misses
   * @throws IllegalArgumentException if {@code timeToLive} is not positive
   * @throws IllegalStateException if another process has the directory open, or H2's MVStore is not
   *     on the classpath
   * @throws java.io.UncheckedIOException if the directory cannot be created
   */
  static EmbeddingCache onDisk(Path directory, Duration timeToLive) {
    return Stores.onDisk(directory, timeToLive);
  }

  /**
   * A Redis cache with keys under {@code "embed4j:"} that never expire; see {@link #redis(String,
   * String, Duration)}.
   */
  static EmbeddingCache redis(String redisUri) {
    return Stores.redis(redisUri, null, null);
  }

  /**
   * A cache in Redis, through one Lettuce connection opened here: each vector is a string value (a
   * 20-byte header with a checksum, then little-endian floats: 6,164 bytes for 1,536 dimensions)
   * under {@code keyPrefix} and the engine's key. A lookup is one {@code MGET} per batch; a write
   * one {@code MSET}, or pipelined {@code SET ... PX} with a time to live. {@link #close()} closes
   * the connection.
   *
   * @param redisUri {@code redis://[[user]:password@]host[:port][/database]}, {@code rediss://} for
   *     TLS, or {@code redis-sentinel://}, as Lettuce's {@code RedisURI} reads them
   * @param keyPrefix put before every key, for example {@code "myapp:embeddings:"}; null for {@code
   *     "embed4j:"}
   * @param timeToLive null for entries that never expire
   * @throws IllegalArgumentException if the URI cannot be read or {@code timeToLive} is not
   *     positive
   * @throws IllegalStateException if Redis cannot be reached, or Lettuce is not on the classpath
   */
  static EmbeddingCache redis(String redisUri, String keyPrefix, Duration timeToLive) {
    return Stores.redis(redisUri, keyPrefix, timeToLive);
  }

  /**
   * The vectors stored under {@code keys}.
   *
   * @return an array as long as {@code keys}, with the vector of {@code keys.get(i)} at {@code i},
   *     null where the store has none
   */
  float[][] get(List<String> keys);

  /** Stores {@code vectors.get(i)} under {@code keys.get(i)}, replacing what was there. */
  void put(List<String> keys, List<float[]> vectors);

  /** A short description for logs and progress lines (type and location, never a password). */
  default String describe() {
    return getClass().getSimpleName();
  }

  /** Releases the store's connections or files. The engine never closes a cache it was given. */
  @Override
  default void close() {}
}
