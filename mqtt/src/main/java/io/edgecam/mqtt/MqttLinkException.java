package io.edgecam.mqtt;

import io.edgecam.protocol.EdgecamException;

/** The link cannot do what was asked (not connected, refused, closed); the cause is kept. */
public final class MqttLinkException extends EdgecamException {
  private static final long serialVersionUID = 1L;

  public MqttLinkException(String message) {
    super(message);
  }

  public MqttLinkException(String message, Throwable cause) {
    super(message, cause);
  }
}
