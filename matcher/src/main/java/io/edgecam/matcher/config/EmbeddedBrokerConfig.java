package io.edgecam.matcher.config;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonProperty;
import java.nio.file.Path;
import org.jspecify.annotations.Nullable;

/**
 * The in-process MQTT 5 broker (HiveMQ CE embedded).
 *
 * @param port TCP port; 0 picks a free ephemeral port at start
 * @param bindAddress address to listen on (default 127.0.0.1)
 * @param dataDir folder for the broker's configuration, persistence and extensions folders
 */
public record EmbeddedBrokerConfig(int port, String bindAddress, Path dataDir) {
  public static final int DEFAULT_PORT = 1883;
  public static final String DEFAULT_BIND_ADDRESS = "127.0.0.1";
  public static final Path DEFAULT_DATA_DIR = Path.of("broker");

  /** Binds the YAML form, filling defaults for missing keys. */
  @JsonCreator
  public EmbeddedBrokerConfig(
      @JsonProperty("port") @Nullable Integer port,
      @JsonProperty("bindAddress") @Nullable String bindAddress,
      @JsonProperty("dataDir") @Nullable Path dataDir) {
    this(
        port == null ? DEFAULT_PORT : port,
        bindAddress == null ? DEFAULT_BIND_ADDRESS : bindAddress,
        dataDir == null ? DEFAULT_DATA_DIR : dataDir);
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
  }

  public static EmbeddedBrokerConfig defaults() {
    return new EmbeddedBrokerConfig(DEFAULT_PORT, DEFAULT_BIND_ADDRESS, DEFAULT_DATA_DIR);
  }

  /** An embedded broker on a free port of 127.0.0.1 keeping its data in {@code dataDir}. */
  public static EmbeddedBrokerConfig ephemeral(Path dataDir) {
    return new EmbeddedBrokerConfig(0, DEFAULT_BIND_ADDRESS, dataDir);
  }
}
