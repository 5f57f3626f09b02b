package io.edgecam.matcher.ingest;

import java.io.IOException;
import java.net.InetAddress;
import java.net.Socket;
import javax.net.SocketFactory;

/**
 * Plain TCP sockets with Nagle's algorithm off. MQTT packets are small and the matcher waits for
 * each alert's PUBACK; with Nagle on, a small write waiting for the peer's delayed ACK cost ~40 ms
 * per alert (measured with {@code bench e2e}).
 */
public final class NoDelaySocketFactory extends SocketFactory {
  private static final SocketFactory PLAIN = SocketFactory.getDefault();

  @Override
  public Socket createSocket() throws IOException {
    return noDelay(PLAIN.createSocket());
  }

  @Override
  public Socket createSocket(String host, int port) throws IOException {
    return noDelay(PLAIN.createSocket(host, port));
  }

  @Override
  public Socket createSocket(String host, int port, InetAddress localHost, int localPort)
      throws IOException {
    return noDelay(PLAIN.createSocket(host, port, localHost, localPort));
  }

  @Override
  public Socket createSocket(InetAddress host, int port) throws IOException {
    return noDelay(PLAIN.createSocket(host, port));
  }

  @Override
  public Socket createSocket(InetAddress address, int port, InetAddress localAddress, int localPort)
      throws IOException {
    return noDelay(PLAIN.createSocket(address, port, localAddress, localPort));
  }

  private static Socket noDelay(Socket s) throws IOException {
    s.setTcpNoDelay(true);
    return s;
  }
}
