package io.edgecam.agent.config;

import io.edgecam.protocol.Ids;
import io.edgecam.runtime.config.ConfigException;
import io.edgecam.runtime.metrics.MetricsConfig;
import java.nio.file.Path;

/**
 * Configuration of the edge agent, bound from one YAML file (device-config/agent.yaml documents
 * every key; defaults live in {@code agent-defaults.yaml} next to this class). Immutable.
 *
 * @param device device id, a topic level; must equal the identity in the TLS client certificate
 * @param site site id, a topic level
 * @param source where frames come from
 * @param pipeline face pipeline settings
 * @param tracker tracker settings
 * @param spool store-and-forward spool settings
 * @param mqtt broker link settings
 * @param stateDir writable directory for the spool and other state
 * @param sealing sealed candidates: the matcher's public key, or none (plain candidates)
 * @param updates signed watchlist and model updates, and the prefilter
 * @param gpio status LED, PIR motion sensor and tamper switch (off unless enabled)
 * @param metrics the Prometheus {@code /metrics} and {@code /health} endpoint (off by default)
 */
public record AgentConfig(
    String device,
    String site,
    SourceConfig source,
    FacePipelineConfig pipeline,
    TrackerConfig tracker,
    SpoolConfig spool,
    MqttConfig mqtt,
    Path stateDir,
    SealingConfig sealing,
    UpdatesConfig updates,
    GpioConfig gpio,
    MetricsConfig metrics) {

  public AgentConfig {
    Ids.requireDevice("device", device);
    Ids.require("site", site);
    if (source == null || pipeline == null || tracker == null || spool == null || mqtt == null) {
      throw new IllegalArgumentException("source, pipeline, tracker, spool and mqtt are required");
    }
    if (stateDir == null) {
      throw new IllegalArgumentException("stateDir is required");
    }
    if (updates == null) {
      throw new IllegalArgumentException("updates must not be empty");
    }
    if (sealing == null) {
      sealing = new SealingConfig(null);
    }
    if (gpio == null) {
      gpio = GpioConfig.DISABLED;
    }
    if (metrics == null) {
      throw new IllegalArgumentException("metrics is required");
    }
  }

  /**
   * Reads and validates a config file. Relative paths in it are resolved against the file's
   * directory.
   *
   * @throws ConfigException naming the file and key for anything unreadable, unknown or invalid
   */
  public static AgentConfig load(Path file) {
    return ConfigLoader.load(file);
  }

  /**
   * Parses config text, e.g. one a test or the demo writes.
   *
   * @param yaml the YAML text
   * @param name file name used in messages
   * @param baseDir directory that relative paths are resolved against
   * @throws ConfigException naming {@code name} and the key for anything unknown or invalid
   */
  public static AgentConfig parse(String yaml, String name, Path baseDir) {
    return ConfigLoader.parse(yaml, name, baseDir);
  }

  /** The spool's SQLite file: {@code spool.path}, or {@code spool.db} in the state directory. */
  public Path spoolFile() {
    return spool.path() != null ? spool.path() : stateDir.resolve("spool.db");
  }

  /** The update state directory: {@code updates.dir}, or {@code updates} in the state directory. */
  public Path updatesDir() {
    return updates.dirUnder(stateDir);
  }

  /** The MQTT client id: {@code mqtt.clientId}, or {@code edgecam-agent-{device}}. */
  public String clientId() {
    return mqtt.clientId() != null ? mqtt.clientId() : "edgecam-agent-" + device;
  }
}
