package io.edgecam.protocol;

/**
 * A payload or topic that does not follow the wire protocol (docs/protocol.md). The only exception
 * a decoder in this package throws; the message says precisely what was wrong.
 */
public final class MalformedMessageException extends EdgecamException {
  private static final long serialVersionUID = 1L;

  /** An exception with a message naming what was wrong. */
  public MalformedMessageException(String message) {
    super(message);
  }

  /** An exception with a message naming what was wrong, and the underlying cause. */
  public MalformedMessageException(String message, Throwable cause) {
    super(message, cause);
  }
}
