package io.edgecam.matcher.audit;

import io.edgecam.protocol.EdgecamException;

/** The audit log cannot be written or read, or its key is missing or unsafe. */
public final class AuditException extends EdgecamException {
  private static final long serialVersionUID = 1L;

  public AuditException(String message) {
    super(message);
  }

  public AuditException(String message, Throwable cause) {
    super(message, cause);
  }
}
