package io.edgecam.matcher.calibration;

import io.edgecam.protocol.EdgecamException;

/** A model manifest's calibration is missing or malformed; the message names file and field. */
public final class CalibrationException extends EdgecamException {
  private static final long serialVersionUID = 1L;

  public CalibrationException(String message) {
    super(message);
  }

  public CalibrationException(String message, Throwable cause) {
    super(message, cause);
  }
}
