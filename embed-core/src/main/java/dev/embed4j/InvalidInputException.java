package dev.embed4j;

/**
 * An input text cannot be embedded as given: it is null, empty or blank, or longer than the model
 * accepts. Thrown before anything is sent, so no part of the run was billed.
 */
public final class InvalidInputException extends Embed4jException {
  private static final long serialVersionUID = 1L;

  private final int index;

  public InvalidInputException(int index, String message) {
    super(message);
    this.index = index;
  }

  /** The position of the offending text in the list passed to the embedder. */
  public int index() {
    return index;
  }
}
