package io.edgecam.matcher.config;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonProperty;
import java.nio.file.Path;
import java.util.Locale;
import org.jspecify.annotations.Nullable;

/**
 * The in-process MQTT 5 broker (HiveMQ CE embedded). It has no authentication of its own, so it
 * listens on loopback unless TLS with client certificates of the fleet CA guards it: a non-loopback
 * {@code bindAddress} without {@code tls} is refused.
 *
 * @param port TCP port of the plain listener; 0 picks a free ephemeral port at start. With {@code
 *     tls} it listens on 127.0.0.1 (for the matcher itself and local commands)
 * @param bindAddress address to listen on (default 127.0.0.1); with {@code tls}, the address of the
 *     TLS listener
 * @param dataDir folder for the broker's configuration, persistence and extensions folders
 * @param tls the TLS listener for devices on the network, or null for none
 */
public record EmbeddedBrokerConfig(int port, String bindAddress, Path dataDir, @Nullable Tls tls) {
  public static final int DEFAULT_PORT = 1883;
  public static final String DEFAULT_BIND_ADDRESS = "127.0.0.1";
  public static final Path DEFAULT_DATA_DIR = Path.of("broker");

  /**
   * The TLS listener: devices must present a client certificate signed by the fleet CA.
   *
   * @param port its TCP port (default 8883; 0 picks a free one)
   * @param ca the fleet CA certificate (PEM, {@code ca.pem} of {@code ./edgecam ca init})
   * @param certificate the broker's certificate (PEM, {@code broker.pem} of {@code ca broker})
   * @param key its unencrypted PKCS#8 key (PEM, {@code broker.key})
   */
  public record Tls(int port, Path ca, Path certificate, Path key) {
    public static final int DEFAULT_PORT = 8883;

    @JsonCreator
    public Tls(
        @JsonProperty("port") @Nullable Integer port,
        @JsonProperty("ca") @Nullable Path ca,
        @JsonProperty("certificate") @Nullable Path certificate,
        @JsonProperty("key") @Nullable Path key) {
      this(port == null ? DEFAULT_PORT : port.intValue(), ca, certificate, key);
    }

    public Tls {
      if (port < 0 || port > 65_535) {
        throw new IllegalArgumentException(
            "broker.embedded.tls.port must be in 0..65535, was " + port);
      }
      if (ca == null || certificate == null || key == null) {
        throw new IllegalArgumentException(
            "broker.embedded.tls needs ca, certificate and key (PEM files of ./edgecam ca init"
                + " and ./edgecam ca broker)");
      }
    }

    /** The same listener with its files resolved against {@code base}. */
    public Tls resolve(Path base) {
      return new Tls(port, base.resolve(ca), base.resolve(certificate), base.resolve(key));
    }
  }

  /** Binds the YAML form, filling defaults for missing keys. */
  @JsonCreator
  public EmbeddedBrokerConfig(
      @JsonProperty("port") @Nullable Integer port,
      @JsonProperty("bindAddress") @Nullable String bindAddress,
      @JsonProperty("dataDir") @Nullable Path dataDir,
      @JsonProperty("tls") @Nullable Tls tls) {
    this(
        port == null ? DEFAULT_PORT : port.intValue(),
        bindAddress == null ? DEFAULT_BIND_ADDRESS : bindAddress,
        dataDir == null ? DEFAULT_DATA_DIR : dataDir,
        tls);
  }

  /** A plain listener on {@code bindAddress}, which must be a loopback address. */
  public EmbeddedBrokerConfig(int port, String bindAddress, Path dataDir) {
    this(port, bindAddress, dataDir, (Tls) null);
  }

  public EmbeddedBrokerConfig {
    if (port < 0 || port > 65_535) {
      throw new IllegalArgumentException("broker.embedded.port must be in 0..65535, was " + port);
    }
    if (bindAddress == null || bindAddress.isBlank()) {
      throw new IllegalArgumentException("broker.embedded.bindAddress must not be empty");
    }
    if (dataDir == null) {
      throw new IllegalArgumentException("broker.embedded.dataDir must not be empty");
    }
    if (tls == null && !isLoopback(bindAddress)) {
      throw new IllegalArgumentException(
          "broker.embedded.bindAddress is "
              + bindAddress
              + ", not a loopback address: the embedded broker has no authentication, so devices"
              + " on the network must use TLS with client certificates of the fleet CA; set"
              + " broker.embedded.tls (ca, certificate, key from ./edgecam ca init and ./edgecam"
              + " ca broker) or bind to 127.0.0.1");
    }
    if (tls != null && tls.port() != 0 && tls.port() == port) {
      throw new IllegalArgumentException(
          "broker.embedded.tls.port and broker.embedded.port must differ, both are " + port);
    }
  }

  /** The address the plain listener binds: loopback whenever TLS serves the network. */
  public String plainBindAddress() {
    return tls == null ? bindAddress : DEFAULT_BIND_ADDRESS;
  }

  /**
   * True for IP literals in 127.0.0.0/8 and {@code ::1}, and for {@code localhost}; no DNS lookup
   * (a name that resolves to loopback today may not tomorrow).
   */
  static boolean isLoopback(String address) {
    String a = address.trim().toLowerCase(Locale.ROOT);
    if (a.startsWith("[") && a.endsWith("]")) {
      a = a.substring(1, a.length() - 1);
    }
    return a.equals("localhost")
        || a.equals("::1")
        || a.equals("0:0:0:0:0:0:0:1")
        || a.matches("127\\.\\d{1,3}\\.\\d{1,3}\\.\\d{1,3}");
  }

  public static EmbeddedBrokerConfig defaults() {
    return new EmbeddedBrokerConfig(DEFAULT_PORT, DEFAULT_BIND_ADDRESS, DEFAULT_DATA_DIR);
  }

  /** An embedded broker on a free port of 127.0.0.1 keeping its data in {@code dataDir}. */
  public static EmbeddedBrokerConfig ephemeral(Path dataDir) {
    return new EmbeddedBrokerConfig(0, DEFAULT_BIND_ADDRESS, dataDir);
  }
}
