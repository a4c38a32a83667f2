package dev.embed4j.internal;

import dev.embed4j.Embed4jException;
import dev.embed4j.EmbeddedItem;
import java.util.Optional;

/**
 * One input of a run from the moment it is read to its delivery: what it is sent as, its token
 * counts, and then its vector or error. It is also what a stream's sink receives. Written by one
 * thread at a time (the planner, then the worker of its batch), published to the sink under the
 * sink's lock.
 */
final class Input implements EmbeddedItem<Object> {
  final int position;
  final Object item;
  final String text;
  final String sendText;

  /** Tokens for the per-request cap: exact, or the UTF-8 bound. */
  int tokens;

  /** Tokens for pacing and budgets: exact, or a guess from the bound. */
  int estimate;

  /** Whether {@link #tokens} is the tokenizer's count. */
  boolean exact;

  String key; // cache key, if there is a cache
  float[] vector;
  Embed4jException error;
  boolean cached;
  boolean duplicate;

  /** Whether {@link Dedupe} gives this input's vector to later inputs of its text (list runs). */
  boolean remembered;

  /** Images (issue 12): the text and image parts of a run of {@link dev.embed4j.EmbedInput}s. */
  dev.embed4j.EmbedInput content;

  Input(int position, Object item, String text, String sendText, int tokens, int estimate) {
    this.position = position;
    this.item = item;
    this.text = text;
    this.sendText = sendText;
    this.tokens = tokens;
    this.estimate = estimate;
  }

  /** An input that will not be sent (invalid text, or its run stopped). */
  static Input failed(int position, Object item, String text, Embed4jException error) {
    Input in = new Input(position, item, text, text, 0, 0);
    in.error = error;
    return in;
  }

  /** Counts the tokens exactly, if they were only bounded; true if that changed them. */
  boolean countExactly() {
    if (exact) {
      return false;
    }
    exact = true;
    int counted = Tokenizers.count(sendText);
    boolean changed = counted != tokens;
    tokens = counted;
    estimate = counted;
    return changed;
  }

  @Override
  public int position() {
    return position;
  }

  @Override
  public Object item() {
    return item;
  }

  @Override
  public String text() {
    return text;
  }

  @Override
  public boolean isEmbedded() {
    return vector != null;
  }

  @Override
  public float[] vector() {
    if (vector == null) {
      throw new Embed4jException(
          "Input "
              + position
              + " was not embedded: "
              + (error == null ? "not done" : error.getMessage()),
          error);
    }
    return vector;
  }

  @Override
  public Optional<Embed4jException> error() {
    return Optional.ofNullable(error);
  }

  @Override
  public boolean cached() {
    return cached;
  }

  @Override
  public String toString() {
    return "EmbeddedItem{"
        + position
        + (vector != null ? ", " + vector.length + " dims" : "")
        + (cached ? ", cached" : duplicate ? ", duplicate" : "")
        + (error != null ? ", failed: " + error.getMessage() : "")
        + "}";
  }
}
