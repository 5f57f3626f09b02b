package io.edgecam.protocol;

import java.util.Map;

/**
 * Device status, retained on {@code edgecam/v1/{site}/{device}/status}; the broker publishes the
 * offline form as the device's last will.
 *
 * @param v message version (1)
 * @param device device id
 * @param site site id
 * @param state "online" or "offline"
 * @param time Unix epoch milliseconds when this status was made
 * @param versions agent, models, watchlist versions by name
 * @param health health by component name
 * @param counters monotonic counters (frames, faces, candidates, spool drops...)
 */
public record Status(
    int v,
    String device,
    String site,
    String state,
    long time,
    Map<String, String> versions,
    Map<String, Health> health,
    Map<String, Long> counters) {

  public static final String ONLINE = "online";
  public static final String OFFLINE = "offline";

  public Status {
    Ids.require("device", device);
    Ids.require("site", site);
    if (!ONLINE.equals(state) && !OFFLINE.equals(state)) {
      throw new IllegalArgumentException("status state must be online or offline, was " + state);
    }
    versions = versions == null ? Map.of() : Map.copyOf(versions);
    health = health == null ? Map.of() : Map.copyOf(health);
    counters = counters == null ? Map.of() : Map.copyOf(counters);
  }

  public static Status offline(String site, String device, long time) {
    return new Status(1, device, site, OFFLINE, time, null, null, null);
  }
}
