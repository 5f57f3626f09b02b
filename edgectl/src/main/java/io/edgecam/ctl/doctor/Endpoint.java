package io.edgecam.ctl.doctor;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.Locale;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/** A host and port taken from a URL, with a plain TCP reachability probe. */
record Endpoint(String host, int port) {
  private static final Map<String, Integer> DEFAULT_PORTS =
      Map.of("tcp", 1883, "ssl", 8883, "rtsp", 554, "rtsps", 322, "http", 80, "https", 443);

  /** The endpoint of {@code url}, with the scheme's default port; null if it has no host. */
  static @Nullable Endpoint of(String url) {
    try {
      URI uri = new URI(url);
      String host = uri.getHost();
      if (host == null || uri.getScheme() == null) {
        return null;
      }
      int port = uri.getPort();
      if (port < 0) {
        port = DEFAULT_PORTS.getOrDefault(uri.getScheme().toLowerCase(Locale.ROOT), -1);
      }
      return port < 0 ? null : new Endpoint(host, port);
    } catch (URISyntaxException e) {
      return null;
    }
  }

  /**
   * Opens and closes a TCP connection.
   *
   * @return null if it connected, else why not (one line)
   */
  @Nullable String probe(Duration timeout) {
    try (Socket s = new Socket()) {
      s.connect(new InetSocketAddress(host, port), (int) timeout.toMillis());
      return null;
    } catch (UnknownHostException e) {
      return "unknown host " + host;
    } catch (IOException e) {
      return e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
    }
  }

  @Override
  public String toString() {
    return host + ":" + port;
  }
}
