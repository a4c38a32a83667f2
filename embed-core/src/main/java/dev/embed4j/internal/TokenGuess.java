package dev.embed4j.internal;

/**
 * Tokens per UTF-8 byte, learned from what the server billed, for the tokens a batch reserves from
 * the rate limiter when its texts were only bounded, not counted: the exact part as counted, the
 * rest as bytes times the ratio, with a margin. Starts at 0.3 (English text under cl100k is about
 * 0.25), then follows each billed batch. One per embedder: its runs send the same model.
 */
final class TokenGuess {
  private static final double MARGIN = 1.05;
  private double perByte = 0.3;
  private boolean learned;

  /** The tokens to reserve for {@code batch}. */
  synchronized long reserve(Batch batch) {
    long bytes = batch.boundedBytes();
    return batch.exactTokens() + (bytes == 0 ? 0 : (long) Math.ceil(bytes * perByte * MARGIN));
  }

  /** The server billed {@code tokens} for {@code batch}. */
  synchronized void billed(Batch batch, long tokens) {
    long bytes = batch.boundedBytes();
    long bounded = tokens - batch.exactTokens();
    if (bytes < 256 || bounded <= 0) {
      return; // too little to learn from
    }
    double observed = Math.min(1.0, (double) bounded / bytes);
    perByte = learned ? 0.8 * perByte + 0.2 * Math.max(observed, perByte * 0.5) : observed;
    learned = true;
  }
}
