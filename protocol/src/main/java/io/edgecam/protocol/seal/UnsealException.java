package io.edgecam.protocol.seal;

import io.edgecam.protocol.EdgecamException;

/**
 * A candidate that is well-formed but cannot be accepted by this matcher's sealing setup: sealed to
 * a key it does not hold, not authentic (tampered, or sealed to another key with a colliding id),
 * or plain where sealing is required. Thrown by {@link CandidateOpener#open}.
 */
public final class UnsealException extends EdgecamException {
  private static final long serialVersionUID = 1L;

  /** Why the candidate could not be opened. */
  public enum Kind {
    /** Sealed to a key id this matcher has no private key for. */
    UNKNOWN_KEY,
    /** Authentication failed: header or ciphertext changed, or the wrong key. */
    NOT_AUTHENTIC,
    /** A plain candidate while the matcher requires sealed ones. */
    NOT_SEALED
  }

  private final Kind kind;

  UnsealException(Kind kind, String message) {
    super(message);
    this.kind = kind;
  }

  UnsealException(Kind kind, String message, Throwable cause) {
    super(message, cause);
    this.kind = kind;
  }

  /** Why the candidate could not be opened. */
  public Kind kind() {
    return kind;
  }
}
