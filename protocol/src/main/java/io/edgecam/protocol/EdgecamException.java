package io.edgecam.protocol;

/**
 * Root of edgecam's unchecked exceptions. Messages name the thing that was wrong (file, key, field,
 * topic) so that they can be shown to a user as they are.
 */
public class EdgecamException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  /** An exception with a message naming what was wrong. */
  public EdgecamException(String message) {
    super(message);
  }

  /** An exception with a message naming what was wrong, and the underlying cause. */
  public EdgecamException(String message, Throwable cause) {
    super(message, cause);
  }
}
