package io.edgecam.face.image;

import io.edgecam.protocol.EdgecamException;

/** An image could not be read or decoded; the message names the file and what was wrong. */
public class ImageDecodeException extends EdgecamException {
  private static final long serialVersionUID = 1L;

  public ImageDecodeException(String message) {
    super(message);
  }

  public ImageDecodeException(String message, Throwable cause) {
    super(message, cause);
  }
}
