package dev.embed4j;

import java.util.Optional;

/**
 * One input of a {@linkplain Embedder#stream streamed run} as its {@link EmbeddingSink} receives
 * it: where it stood in the input, your item (with your id and metadata), and either its vector or
 * the error that kept it from being embedded. Immutable; the vector array is shared (an input
 * deduplicated with others shares their array), so do not modify it.
 *
 * @param <T> the type of the input items ({@code String} for a stream of texts)
 */
public interface EmbeddedItem<T> {

  /** The input's position in the stream, from 0: the i-th item the input iterator returned. */
  int position();

  /** The item as the input iterator returned it; for a stream of texts, the text. */
  T item();

  /** The item's text as read (before any truncation). */
  String text();

  /** Whether the input was embedded: {@link #vector()} returns its vector. */
  boolean isEmbedded();

  /**
   * The vector, of the embedder's {@link Embedder#dimensions() dimensions}.
   *
   * @throws Embed4jException if the input was not embedded, with {@link #error()} as the cause
   */
  float[] vector();

  /**
   * Why the input was not embedded: its batch failed (the {@link Embed4jException#stopReason()}
   * says if the run was stopped before it was sent), or the text was invalid ({@link
   * InvalidInputException}: null, blank, or over the model's per-input limit, naming its position).
   * Empty if it was embedded.
   */
  Optional<Embed4jException> error();

  /** Whether the vector came from the {@link Embedder.Builder#cache cache}: nothing was sent. */
  boolean cached();
}
