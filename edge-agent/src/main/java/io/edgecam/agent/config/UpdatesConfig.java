package io.edgecam.agent.config;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.nio.file.Path;
import org.jspecify.annotations.Nullable;

/**
 * Signed watchlist and model updates ({@code updates} in agent.yaml; docs/updates.md, "Agent").
 *
 * @param enabled whether the agent refreshes TUF metadata and applies watchlists and models; off,
 *     the agent runs its built-in models and the prefilter passes everything
 * @param root the trusted {@code root.json} as provisioned (the device's TUF trust anchor); copied
 *     into the update state directory on the first start, then updated through the root chain
 * @param dir update state (TUF metadata, watchlist copy, model versions); null means {@code
 *     updates} in the state directory
 * @param transport where metadata and targets come from: the site's retained MQTT topics, or a
 *     local repository directory (a mounted medium, tests)
 * @param repository the repository directory for {@code transport: directory}
 * @param refreshSeconds seconds between two TUF refreshes
 * @param modelProbationMinutes minutes after a model swap during which an inference failure rolls
 *     back to the previous model; 0 turns probation off
 * @param prefilter the on-device watchlist prefilter
 */
public record UpdatesConfig(
    boolean enabled,
    @Nullable Path root,
    @Nullable Path dir,
    Transport transport,
    @Nullable Path repository,
    int refreshSeconds,
    int modelProbationMinutes,
    PrefilterConfig prefilter) {

  /** Where TUF metadata and targets come from. */
  public enum Transport {
    @JsonProperty("mqtt")
    MQTT,
    @JsonProperty("directory")
    DIRECTORY
  }

  public UpdatesConfig {
    if (transport == null) {
      throw new IllegalArgumentException("transport must be mqtt or directory");
    }
    if (prefilter == null) {
      throw new IllegalArgumentException("prefilter must not be empty");
    }
    if (refreshSeconds < 1 || refreshSeconds > 86_400) {
      throw new IllegalArgumentException(
          "refreshSeconds must be in 1..86400, was " + refreshSeconds);
    }
    if (modelProbationMinutes < 0 || modelProbationMinutes > 10_080) {
      throw new IllegalArgumentException(
          "modelProbationMinutes must be in 0..10080 (0 = no probation), was "
              + modelProbationMinutes);
    }
    if (enabled && root == null) {
      throw new IllegalArgumentException(
          "root must be set when enabled is true (the provisioned root.json)");
    }
    if (enabled && transport == Transport.DIRECTORY && repository == null) {
      throw new IllegalArgumentException("repository is required for transport directory");
    }
  }

  /** The update state directory: {@code dir}, or {@code updates} under {@code stateDir}. */
  public Path dirUnder(Path stateDir) {
    return dir != null ? dir : stateDir.resolve("updates");
  }
}
