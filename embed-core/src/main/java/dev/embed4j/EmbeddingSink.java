package dev.embed4j;

import java.util.List;

/**
 * Receives the inputs of a {@linkplain Embedder#stream streamed run} as they are done: each call
 * hands over a group of {@link EmbeddedItem}s (a batch's inputs, a group of cache hits, or in
 * {@linkplain EmbeddingStream#ordered(boolean) ordered} mode the next inputs in input order). Every
 * input read from the stream is delivered exactly once, embedded or with its error.
 *
 * <p>Calls never overlap: the engine calls the sink from one thread at a time (from its worker
 * threads, one after another), so a sink may write to a file or a database without locking. A slow
 * sink slows the run down instead of filling memory: while it works, no more input is read once the
 * run's window of undelivered inputs is full.
 *
 * <p>An exception thrown by the sink stops the run: no more input is read, requests under way are
 * cancelled, and {@link EmbeddingStream#to} throws an {@link Embed4jException} with the sink's
 * exception as its cause.
 *
 * @param <T> the type of the input items
 */
@FunctionalInterface
public interface EmbeddingSink<T> {

  /**
   * Takes a group of done inputs.
   *
   * @param items one or more inputs, each embedded or with its error; the list is the sink's to
   *     keep
   * @throws Exception to stop the run (for example, the output file cannot be written)
   */
  void accept(List<EmbeddedItem<T>> items) throws Exception;
}
