package io.edgecam.matcher.ingest;

import io.edgecam.protocol.EdgecamException;

/**
 * The MQTT connection failed (connect, subscribe or publish); the client's exception is the cause.
 */
public final class BrokerLinkException extends EdgecamException {
  private static final long serialVersionUID = 1L;

  public BrokerLinkException(String message) {
    super(message);
  }

  public BrokerLinkException(String message, Throwable cause) {
    super(message, cause);
  }
}
