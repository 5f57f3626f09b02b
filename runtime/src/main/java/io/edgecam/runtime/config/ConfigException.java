package io.edgecam.runtime.config;

import io.edgecam.protocol.EdgecamException;

/**
 * The agent configuration is unreadable or invalid. The message names the file and the key, e.g.
 * {@code "agent.yaml: tracker.iou must be in (0,1], was 3"}, and can be shown to a user as is.
 */
public final class ConfigException extends EdgecamException {
  private static final long serialVersionUID = 1L;

  public ConfigException(String message) {
    super(message);
  }

  public ConfigException(String message, Throwable cause) {
    super(message, cause);
  }
}
