package io.edgecam.agent.capture;

import io.edgecam.protocol.EdgecamException;

/** A frame source cannot be opened; the message names the path or URL. */
public final class CaptureException extends EdgecamException {
  private static final long serialVersionUID = 1L;

  public CaptureException(String message) {
    super(message);
  }

  public CaptureException(String message, Throwable cause) {
    super(message, cause);
  }
}
