package io.edgecam.face.inference;

import io.edgecam.protocol.EdgecamException;

/** Running a loaded model failed. */
public class InferenceException extends EdgecamException {
  private static final long serialVersionUID = 1L;

  public InferenceException(String message) {
    super(message);
  }
}
