package io.edgecam.matcher.enroll;

import io.edgecam.protocol.EdgecamException;

/** An enrollment was refused; the message says why (missing legal basis, which image...). */
public final class EnrollmentException extends EdgecamException {
  private static final long serialVersionUID = 1L;

  public EnrollmentException(String message) {
    super(message);
  }

  public EnrollmentException(String message, Throwable cause) {
    super(message, cause);
  }
}
