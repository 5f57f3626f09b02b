package io.edgecam.protocol.tuf;

import io.edgecam.protocol.EdgecamException;

/**
 * A TUF check that failed, or metadata that could not be read. The {@link #kind()} says which
 * attack or fault was detected (callers report it on the events topic); the message names the role
 * and version involved.
 */
public final class TufException extends EdgecamException {
  private static final long serialVersionUID = 1L;

  /** What went wrong; callers branch on it to report rejections. */
  public enum Kind {
    /** Metadata past its {@code expires} (freeze attack). */
    EXPIRED,
    /** A version lower than the trusted one (rollback attack). */
    ROLLBACK,
    /** A version other than the one the referring metadata names (mix-and-match). */
    VERSION_MISMATCH,
    /** A signature by an authorized key that does not verify (tampered content). */
    BAD_SIGNATURE,
    /** Fewer valid signatures by authorized keys than the role's threshold. */
    THRESHOLD,
    /** A file whose hash differs from the one the metadata names (arbitrary content). */
    HASH_MISMATCH,
    /** A file longer than allowed or of another length than declared (endless data). */
    LENGTH,
    /** A target no trusted role lists. */
    UNKNOWN_TARGET,
    /** Metadata or a file that is missing from the repository. */
    NOT_FOUND,
    /** Metadata that is not valid TUF JSON. */
    MALFORMED,
    /** Reading or writing local files failed. */
    IO
  }

  private final Kind kind;

  /** An exception of the given kind with a message naming role and version. */
  public TufException(Kind kind, String message) {
    super(message);
    this.kind = kind;
  }

  /** An exception of the given kind with a message and the underlying cause. */
  public TufException(Kind kind, String message, Throwable cause) {
    super(message, cause);
    this.kind = kind;
  }

  /** Which check failed. */
  public Kind kind() {
    return kind;
  }
}
