package dev.embed4j;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Flow;

/**
 * A streamed run, configured and then started once with {@link #to} (or {@link #toAsync}, {@link
 * #publisher()}): its input is read lazily, item by item, as requests free up, and every input is
 * handed to an {@link EmbeddingSink} as soon as it is done, with its position, your item and its
 * vector or error. Memory stays bounded by the requests in flight times the batch size whatever the
 * length of the input: neither the input nor the vectors are ever held in full.
 *
 * <pre>{@code
 * try (Stream<Chunk> chunks = readChunks()) {
 *   EmbeddingRun run =
 *       embedder.stream(chunks, Chunk::text)
 *           .ordered(true)                        // deliver in input order
 *           .to(items -> {
 *             for (EmbeddedItem<Chunk> e : items) {
 *               if (e.isEmbedded()) {
 *                 store.put(e.item().id(), e.vector());
 *               } else {
 *                 log.warn("{} not embedded: {}", e.item().id(), e.error().get().getMessage());
 *               }
 *             }
 *           });
 *   System.out.println(run.summary());
 * }
 * }</pre>
 *
 * <p><b>Failures.</b> An input that cannot be embedded is delivered with its {@link
 * EmbeddedItem#error() error} and the stream goes on: an invalid text (null, blank, too long;
 * nothing sent for it), or a batch that failed for good (its inputs, and those deduplicated onto
 * them, carry the batch's error). A failure that stops the run — key rejected, quota exhausted,
 * {@code maxCost} reached, {@code runTimeout} passed, cancelled, embedder closed — stops reading
 * the input; every input already read and not yet embedded is then delivered with that error, whose
 * {@link Embed4jException#stopReason()} says why. An exception from the input iterator or from the
 * sink stops the run the same way and is thrown from {@link #to}.
 *
 * <p><b>Dedupe and cache.</b> Identical texts among the inputs in flight are sent once and each
 * delivered with the same vector; a text found in the embedder's {@link Embedder.Builder#cache
 * cache} is delivered at once ({@link EmbeddedItem#cached()}), and every vector received is written
 * to it.
 *
 * <p>The returned {@link EmbeddingRun} holds the totals (tokens, cost, inputs read, cache hits,
 * duplicates, savings, requests, retries, the failed batches) but no texts or vectors: those went
 * to the sink; see {@link EmbeddingRun}. Not thread-safe; use each stream once.
 *
 * @param <T> the type of the input items ({@code String} for a stream of texts)
 */
public interface EmbeddingStream<T> {

  /**
   * Whether the sink receives the inputs in input order. Default false: each group as soon as it is
   * done, in any order, which keeps fewer vectors in memory. Ordered delivery holds done inputs
   * until those before them are done, within a window of twice the requests in flight times the
   * batch size; when the window is full, reading waits (the run then goes at the pace of its
   * slowest batch).
   */
  EmbeddingStream<T> ordered(boolean ordered);

  /**
   * How many items the input holds, if you know it: the progress bar then shows a percentage and an
   * ETA. Only for progress; the input is read to its end whatever its length.
   */
  EmbeddingStream<T> expectedSize(int items);

  /**
   * Runs the stream, calling {@code sink} as inputs are done, and waits for the end.
   *
   * @return the run's totals; {@link EmbeddingRun#isComplete()} tells whether every input was
   *     embedded
   * @throws Embed4jException if the input iterator or the sink threw (the cause), or the waiting
   *     thread was interrupted (the run is then cancelled)
   * @throws IllegalStateException if the stream was already started or the embedder is closed
   */
  EmbeddingRun to(EmbeddingSink<T> sink);

  /**
   * Starts the stream and returns at once. Cancelling the future cancels the run. It completes
   * exceptionally only if the input iterator or the sink threw.
   *
   * @throws IllegalStateException if the stream was already started or the embedder is closed
   */
  CompletableFuture<EmbeddingRun> toAsync(EmbeddingSink<T> sink);

  /**
   * The stream as a {@link Flow.Publisher} of single items, for a reactive pipeline: the run starts
   * when a subscriber subscribes and reads input only as the subscriber requests items; {@code
   * onComplete} follows the last item, {@code onError} an exception of the input iterator;
   * cancelling the subscription cancels the run. Accepts one subscriber.
   */
  Flow.Publisher<EmbeddedItem<T>> publisher();
}
