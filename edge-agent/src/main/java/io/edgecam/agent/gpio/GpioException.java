package io.edgecam.agent.gpio;

import io.edgecam.protocol.EdgecamException;

/**
 * A GPIO line could not be claimed or driven. The message names the pin and its role (e.g. {@code
 * "GPIO17 (pir): line busy"}); the Pi4J or libgpiod cause is kept.
 */
public final class GpioException extends EdgecamException {
  private static final long serialVersionUID = 1L;

  public GpioException(String message, Throwable cause) {
    super(message, cause);
  }
}
