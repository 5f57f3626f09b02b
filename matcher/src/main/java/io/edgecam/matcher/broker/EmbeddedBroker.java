package io.edgecam.matcher.broker;

import com.hivemq.embedded.EmbeddedHiveMQ;
import io.edgecam.matcher.config.EmbeddedBrokerConfig;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * An in-process MQTT 5 broker (HiveMQ Community Edition embedded) with shared subscriptions and
 * persistent sessions, for {@code ./edgecam matcher} and the demo when no broker is installed. The
 * only class that touches HiveMQ. Its state (sessions, queued QoS 1 messages) lives in the data
 * folder and survives a restart on the same folder. Thread-safe; {@link #close()} is idempotent.
 *
 * <p>It authenticates no one, so its plain listener is on loopback unless the configuration says
 * otherwise and {@link EmbeddedBrokerConfig} refuses a non-loopback one; devices on the network
 * connect to the TLS listener, which requires a client certificate of the fleet CA.
 */
public final class EmbeddedBroker implements AutoCloseable {
  /**
   * Messages the broker queues per offline client with a session (the matcher's, mostly): about a
   * week of a busy site's candidates, ~300 MB on disk at the most.
   */
  static final long MAX_QUEUED_MESSAGES = 1_000_000;

  private static final Logger log = LoggerFactory.getLogger(EmbeddedBroker.class);
  private static final long START_TIMEOUT_SECONDS = 60;

  private final EmbeddedHiveMQ hivemq;
  private final String host;
  private final int port;
  private final int tlsPort;
  private boolean closed;

  private EmbeddedBroker(EmbeddedHiveMQ hivemq, String host, int port, int tlsPort) {
    this.hivemq = hivemq;
    this.host = host;
    this.port = port;
    this.tlsPort = tlsPort;
  }

  /**
   * Starts a broker and returns once it accepts connections (about 2 s).
   *
   * @throws BrokerException if it does not start, e.g. because the port is taken
   */
  public static EmbeddedBroker start(EmbeddedBrokerConfig config) {
    long t0 = System.nanoTime();
    String plainHost = config.plainBindAddress();
    int port = config.port() == 0 ? freePort(plainHost) : config.port();
    EmbeddedBrokerConfig.Tls tls = config.tls();
    int tlsPort = tls == null ? -1 : tls.port() == 0 ? freePort(config.bindAddress()) : tls.port();
    Path dir = config.dataDir().toAbsolutePath();
    Path conf = dir.resolve("conf");
    Path data = dir.resolve("data");
    Path extensions = dir.resolve("extensions");
    try {
      // HiveMQ refuses to start unless these folders exist.
      Files.createDirectories(conf);
      Files.createDirectories(data);
      Files.createDirectories(extensions);
      String tlsListener = "";
      if (tls != null) {
        BrokerTls.Stores stores = BrokerTls.write(tls, conf);
        tlsListener = tlsListenerXml(config.bindAddress(), tlsPort, stores);
      }
      Files.writeString(
          conf.resolve("config.xml"),
          configXml(plainHost, port, tlsListener),
          StandardCharsets.UTF_8);
      // It may hold the stores' password.
      Files.setPosixFilePermissions(
          conf.resolve("config.xml"), PosixFilePermissions.fromString("rw-------"));
    } catch (IOException e) {
      throw new BrokerException(
          "embedded broker: cannot prepare " + dir + ": " + e.getMessage(), e);
    }
    EmbeddedHiveMQ hivemq =
        EmbeddedHiveMQ.builder()
            .withConfigurationFolder(conf)
            .withDataFolder(data)
            .withExtensionsFolder(extensions)
            // Leave logging to the application's SLF4J binding; HiveMQ's bootstrap needs logback.
            .withoutLoggingBootstrap()
            .build();
    try {
      hivemq.start().get(START_TIMEOUT_SECONDS, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      closeQuietly(hivemq);
      throw new BrokerException("embedded broker: interrupted while starting", e);
    } catch (ExecutionException | TimeoutException e) {
      closeQuietly(hivemq);
      Throwable cause = e instanceof ExecutionException && e.getCause() != null ? e.getCause() : e;
      throw new BrokerException(
          "embedded broker: cannot start on "
              + plainHost
              + ":"
              + port
              + (tls == null ? "" : " and " + config.bindAddress() + ":" + tlsPort + " (TLS)")
              + ": "
              + cause.getMessage(),
          cause);
    }
    log.info(
        "Embedded MQTT broker listening on {}:{}{} (data in {}), started in {} ms",
        plainHost,
        port,
        tls == null
            ? ""
            : ", TLS with fleet client certificates on " + config.bindAddress() + ":" + tlsPort,
        dir,
        (System.nanoTime() - t0) / 1_000_000);
    return new EmbeddedBroker(hivemq, plainHost, port, tlsPort);
  }

  /** The TCP port the broker listens on (the chosen one when the config said 0). */
  public int port() {
    return port;
  }

  /** The port of the TLS listener, or -1 when there is none. */
  public int tlsPort() {
    return tlsPort;
  }

  /** The URL local clients connect to, e.g. {@code tcp://127.0.0.1:41234} (the plain listener). */
  public String url() {
    String h = host.equals("0.0.0.0") ? "127.0.0.1" : host;
    return "tcp://" + h + ":" + port;
  }

  /** Stops the broker; its data folder stays. */
  @Override
  public synchronized void close() {
    if (closed) {
      return;
    }
    closed = true;
    try {
      hivemq.stop().get(START_TIMEOUT_SECONDS, TimeUnit.SECONDS);
      hivemq.close();
      log.info("Embedded MQTT broker on port {} stopped", port);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new BrokerException("embedded broker: interrupted while stopping", e);
    } catch (ExecutionException | TimeoutException e) {
      throw new BrokerException("embedded broker: cannot stop: " + e.getMessage(), e);
    }
  }

  private static void closeQuietly(EmbeddedHiveMQ hivemq) {
    try {
      hivemq.close();
    } catch (ExecutionException e) {
      log.debug("Embedded broker did not close cleanly after a failed start", e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private static int freePort(String bindAddress) {
    try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getByName(bindAddress))) {
      return s.getLocalPort();
    } catch (IOException e) {
      throw new UncheckedIOException("no free port on " + bindAddress, e);
    }
  }

  private static String tlsListenerXml(String bindAddress, int port, BrokerTls.Stores s) {
    return """
            <tls-tcp-listener>
              <port>%d</port>
              <bind-address>%s</bind-address>
              <tls>
                <keystore>
                  <path>%s</path>
                  <password>%s</password>
                  <private-key-password>%s</private-key-password>
                </keystore>
                <truststore>
                  <path>%s</path>
                  <password>%s</password>
                </truststore>
                <client-authentication-mode>REQUIRED</client-authentication-mode>
              </tls>
            </tls-tcp-listener>
        """
        .formatted(
            port,
            bindAddress,
            s.keyStore(),
            s.password(),
            s.password(),
            s.trustStore(),
            s.password());
  }

  private static String configXml(String bindAddress, int port, String tlsListener) {
    return """
        <?xml version="1.0"?>
        <!-- Written by edgecam's EmbeddedBroker at each start; edits are overwritten. -->
        <hivemq>
          <listeners>
            <tcp-listener>
              <port>%d</port>
              <bind-address>%s</bind-address>
            </tcp-listener>
        %s  </listeners>
          <mqtt>
            <!-- HiveMQ's default (1000, discard new) silently dropped candidates queued for a
                 matcher that was away while devices replayed their spools (found by
                 BrokerRestartUnderLoadIT). The queue lives in the broker's disk persistence. -->
            <queued-messages>
              <max-queue-size>%d</max-queue-size>
              <strategy>discard-oldest</strategy>
            </queued-messages>
          </mqtt>
        </hivemq>
        """
        .formatted(port, bindAddress, tlsListener, MAX_QUEUED_MESSAGES);
  }
}
