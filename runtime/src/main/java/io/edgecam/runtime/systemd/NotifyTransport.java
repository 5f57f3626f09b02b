package io.edgecam.runtime.systemd;

import java.io.IOException;

/** Delivers one sd_notify datagram ({@code KEY=VALUE} lines) to the service manager. */
interface NotifyTransport {

  /**
   * Sends {@code state} as one datagram.
   *
   * @throws IOException if the service manager could not be told
   */
  void send(String state) throws IOException;
}
