package io.edgecam.matcher.oversight;

import io.edgecam.protocol.EdgecamException;

/** A review that cannot be recorded: no such alert, or it conflicts with the alert's state. */
public final class OversightException extends EdgecamException {
  private static final long serialVersionUID = 1L;

  /** What went wrong, for callers that answer differently (HTTP 404 or 409). */
  public enum Kind {
    NOT_FOUND,
    CONFLICT
  }

  private final Kind kind;

  public OversightException(Kind kind, String message) {
    super(message);
    this.kind = kind;
  }

  public Kind kind() {
    return kind;
  }
}
