package io.edgecam.face.inference;

import io.edgecam.protocol.EdgecamException;

/** A model or its manifest is missing, corrupt, truncated or does not match its manifest. */
public class ModelLoadException extends EdgecamException {
  private static final long serialVersionUID = 1L;

  public ModelLoadException(String message) {
    super(message);
  }

  public ModelLoadException(String message, Throwable cause) {
    super(message, cause);
  }
}
