package io.edgecam.matcher.broker;

import io.edgecam.protocol.EdgecamException;
import org.jspecify.annotations.Nullable;

/** The embedded broker could not be started or stopped; the cause is kept. */
public final class BrokerException extends EdgecamException {
  private static final long serialVersionUID = 1L;

  public BrokerException(String message, @Nullable Throwable cause) {
    super(message, cause);
  }
}
