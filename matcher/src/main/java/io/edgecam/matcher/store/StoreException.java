package io.edgecam.matcher.store;

import io.edgecam.protocol.EdgecamException;

/** The matcher store failed (database unreachable, migration failed...); the cause is kept. */
public final class StoreException extends EdgecamException {
  private static final long serialVersionUID = 1L;

  public StoreException(String message, Throwable cause) {
    super(message, cause);
  }
}
