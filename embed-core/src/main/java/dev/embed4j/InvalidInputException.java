package dev.embed4j;

/**
 * An input text cannot be embedded as given: it is null, empty or blank, or longer than the model
 * accepts. Thrown before anything is sent, so no part of the run was billed; or, when the
 * provider's tokenizer counts an input longer than the local estimate did, the error of the batch
 * that carried that input alone (the provider's refusal as its cause), the rest of the run
 * embedded.
 */
public final class InvalidInputException extends Embed4jException {
  private static final long serialVersionUID = 1L;

  private final int index;

  public InvalidInputException(int index, String message) {
    super(message);
    this.index = index;
  }

  public InvalidInputException(int index, String message, Throwable cause) {
    super(message, cause);
    this.index = index;
  }

  /** The position of the offending text in the list passed to the embedder. */
  public int index() {
    return index;
  }
}
