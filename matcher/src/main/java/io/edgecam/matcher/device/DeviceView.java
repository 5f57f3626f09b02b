package io.edgecam.matcher.device;

import io.edgecam.protocol.Health;
import java.time.Instant;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * What the matcher knows about one camera, from its retained status and last will. Immutable.
 *
 * @param site site id
 * @param device device id
 * @param online true while the last status was the online one (the broker publishes the offline
 *     last will when the connection is lost)
 * @param statusTime when the device made its last status ({@code Status.time}, device clock)
 * @param lastSeen when the matcher last received an online status of the device (its heartbeat), or
 *     null if it has only seen it offline
 * @param versions agent and model versions from the last online status (kept while offline)
 * @param health health by component from the last online status (kept while offline)
 * @param counters counters from the last online status (kept while offline)
 */
public record DeviceView(
    String site,
    String device,
    boolean online,
    Instant statusTime,
    @Nullable Instant lastSeen,
    Map<String, String> versions,
    Map<String, Health> health,
    Map<String, Long> counters) {

  public DeviceView {
    versions = Map.copyOf(versions);
    health = Map.copyOf(health);
    counters = Map.copyOf(counters);
  }

  /** The worst component health, OK when there are none. */
  public Health.State overallHealth() {
    Health.State worst = Health.State.OK;
    for (Health h : health.values()) {
      if (h.state().compareTo(worst) > 0) {
        worst = h.state();
      }
    }
    return worst;
  }
}
