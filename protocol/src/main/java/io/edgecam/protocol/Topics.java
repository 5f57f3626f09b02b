package io.edgecam.protocol;

import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * MQTT topic names of the wire protocol, version 1 (docs/protocol.md, "Topics"). Builders validate
 * ids ({@link Ids}); the parser accepts exactly the per-device topics. Thread-safe.
 */
public final class Topics {
  /** Root of every edgecam topic; the version is part of it. */
  public static final String ROOT = "edgecam/v1";

  /** Alerts from the matchers to consumers. */
  public static final String ALERTS = ROOT + "/alerts";

  /**
   * Alerts that enough different persons confirmed (human verification): what action systems
   * subscribe to. Raw alerts stay on {@link #ALERTS} for the operators.
   */
  public static final String VERIFIED_ALERTS = ALERTS + "/verified";

  /** Prefix of the matchers' retained status topics, {@code edgecam/v1/matchers/{clientId}}. */
  public static final String MATCHERS = ROOT + "/matchers";

  /** Share group of the matchers' shared subscription. */
  public static final String MATCHER_SHARE_GROUP = "matchers";

  /** Shared subscription that lets N matchers split the candidates of every device. */
  public static final String SHARED_CANDIDATES = candidatesFilter(null, true);

  /** Plain (non-shared) filter for every device's candidates. */
  public static final String ALL_CANDIDATES = candidatesFilter(null, false);

  /** Filter for every device's status. */
  public static final String ALL_STATUS = ROOT + "/+/+/status";

  /** Filter for every device's events. */
  public static final String ALL_EVENTS = ROOT + "/+/+/events";

  /** Longest topic {@link #parseDeviceTopic} accepts, in characters. */
  public static final int MAX_TOPIC_LENGTH = 256;

  /** The {kind} level of a candidates topic. */
  public static final String CANDIDATES = "candidates";

  /** The {kind} level of a status topic. */
  public static final String STATUS = "status";

  /** The {kind} level of an events topic. */
  public static final String EVENTS = "events";

  private static final Set<String> KINDS = Set.of(CANDIDATES, STATUS, EVENTS);

  private Topics() {}

  /**
   * The filter a matcher subscribes to for candidates: {@code edgecam/v1/{site}/+/candidates}
   * ({@code +} for every site), as the {@code $share/matchers/...} shared subscription or alone.
   *
   * @throws IllegalArgumentException if {@code site} is not a valid id
   */
  public static String candidatesFilter(@Nullable String site, boolean shared) {
    String filter =
        ROOT + "/" + (site == null ? "+" : Ids.require("site", site)) + "/+/" + CANDIDATES;
    return shared ? "$share/" + MATCHER_SHARE_GROUP + "/" + filter : filter;
  }

  /**
   * {@code edgecam/v1/{site}/{device}/candidates}.
   *
   * @throws IllegalArgumentException if an id is invalid
   */
  public static String candidates(String site, String device) {
    return deviceTopic(site, device, CANDIDATES);
  }

  /** {@code edgecam/v1/matchers/{clientId}}: a matcher's retained status (its operating point). */
  public static String matcherStatus(String clientId) {
    return MATCHERS + "/" + clientId;
  }

  /**
   * {@code edgecam/v1/{site}/{device}/status}.
   *
   * @throws IllegalArgumentException if an id is invalid
   */
  public static String status(String site, String device) {
    return deviceTopic(site, device, STATUS);
  }

  /**
   * {@code edgecam/v1/{site}/{device}/events}.
   *
   * @throws IllegalArgumentException if an id is invalid
   */
  public static String events(String site, String device) {
    return deviceTopic(site, device, EVENTS);
  }

  private static String deviceTopic(String site, String device, String kind) {
    return ROOT
        + "/"
        + Ids.require("site", site)
        + "/"
        + Ids.requireDevice("device", device)
        + "/"
        + kind;
  }

  /**
   * Parses a per-device topic ({@code edgecam/v1/{site}/{device}/{kind}} with kind one of
   * candidates, status, events).
   *
   * @throws MalformedMessageException saying what is wrong if the topic is not one
   */
  public static DeviceTopic parseDeviceTopic(String topic) {
    if (topic == null) {
      throw new MalformedMessageException("topic: null");
    }
    if (topic.length() > MAX_TOPIC_LENGTH) {
      throw new MalformedMessageException(
          "topic: " + topic.length() + " characters, at most " + MAX_TOPIC_LENGTH);
    }
    String[] parts = topic.split("/", -1);
    if (parts.length != 5 || !parts[0].equals("edgecam") || !parts[1].equals("v1")) {
      throw new MalformedMessageException(
          "topic: not edgecam/v1/{site}/{device}/{kind}: " + Printable.quote(topic));
    }
    if (!Ids.isValid(parts[2])) {
      throw new MalformedMessageException("topic: " + Ids.describeInvalid("site", parts[2]));
    }
    if (!Ids.isValid(parts[3])) {
      throw new MalformedMessageException("topic: " + Ids.describeInvalid("device", parts[3]));
    }
    if (!Ids.isValidDevice(parts[3])) {
      throw new MalformedMessageException(
          "topic: device " + Printable.quote(parts[3]) + " is reserved");
    }
    if (!KINDS.contains(parts[4])) {
      throw new MalformedMessageException(
          "topic: kind must be one of "
              + CANDIDATES
              + ", "
              + STATUS
              + ", "
              + EVENTS
              + ", was "
              + Printable.quote(parts[4]));
    }
    return new DeviceTopic(parts[2], parts[3], parts[4]);
  }

  /**
   * The parts of a per-device topic.
   *
   * @param site site id
   * @param device device id
   * @param kind {@link #CANDIDATES}, {@link #STATUS} or {@link #EVENTS}
   */
  public record DeviceTopic(String site, String device, String kind) {}
}
