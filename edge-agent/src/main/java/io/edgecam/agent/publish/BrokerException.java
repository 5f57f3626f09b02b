package io.edgecam.agent.publish;

import io.edgecam.protocol.EdgecamException;

/** The broker link cannot do what was asked (not connected, refused, closed); the cause is kept. */
public final class BrokerException extends EdgecamException {
  private static final long serialVersionUID = 1L;

  public BrokerException(String message) {
    super(message);
  }

  public BrokerException(String message, Throwable cause) {
    super(message, cause);
  }
}
