package io.edgecam.agent.spool;

import io.edgecam.protocol.EdgecamException;

/** The spool's database failed; the message names the file. */
public final class SpoolException extends EdgecamException {
  private static final long serialVersionUID = 1L;

  public SpoolException(String message, Throwable cause) {
    super(message, cause);
  }
}
