package dev.embed4j.spi;

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
 */
public interface EmbeddingCache extends AutoCloseable {

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
