package dev.embed4j;

/**
 * How an embedder sends its runs' batches.
 *
 * <p>{@link #REALTIME} posts each batch to the provider's embeddings endpoint as soon as the limits
 * allow, and a run ends in seconds or minutes. {@link #BATCH_API} writes the batches into OpenAI
 * Batch API jobs (JSONL files uploaded through {@code /v1/files}, run by {@code /v1/batches} with a
 * 24-hour completion window) and waits for them: a run may take up to a day, is billed at the Batch
 * API's price (half the realtime one: text-embedding-3-small $0.01 instead of $0.02 per 1M tokens),
 * does not count against the realtime rate limits, and, with a {@code batchStateDirectory},
 * survives a restart of the JVM.
 */
public enum RunMode {
  /** Each batch is one request to the embeddings endpoint (the default). */
  REALTIME,
  /** The batches go through OpenAI's Batch API: half the price, results within 24 hours. */
  BATCH_API
}
