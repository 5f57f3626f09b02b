package io.edgecam.matcher.config;

import io.edgecam.protocol.EdgecamException;

/** A matcher configuration file that cannot be used; the message names the file and the key. */
public final class ConfigException extends EdgecamException {
  private static final long serialVersionUID = 1L;

  public ConfigException(String message) {
    super(message);
  }

  public ConfigException(String message, Throwable cause) {
    super(message, cause);
  }
}
