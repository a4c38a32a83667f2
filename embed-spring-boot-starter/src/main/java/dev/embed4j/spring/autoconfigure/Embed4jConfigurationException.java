package dev.embed4j.spring.autoconfigure;

/** The embed4j.* configuration cannot give an embedder; {@link #action()} says what to change. */
final class Embed4jConfigurationException extends IllegalStateException {
  private static final long serialVersionUID = 1L;

  private final String description;
  private final String action;

  Embed4jConfigurationException(String description, String action, Throwable cause) {
    super(description + " " + action, cause);
    this.description = description;
    this.action = action;
  }

  String description() {
    return description;
  }

  String action() {
    return action;
  }
}
