package io.edgecam.protocol;

/** MQTT topic names of the wire protocol, version 1 (docs/protocol.md). */
public final class Topics {
  public static final String ROOT = "edgecam/v1";
  public static final String ALERTS = ROOT + "/alerts";
  /** Shared subscription that lets N matchers split the candidates of every device. */
  public static final String SHARED_CANDIDATES = "$share/matchers/" + ROOT + "/+/+/candidates";
  /** Plain (non-shared) filter for every device's candidates. */
  public static final String ALL_CANDIDATES = ROOT + "/+/+/candidates";
  public static final String ALL_STATUS = ROOT + "/+/+/status";
  public static final String ALL_EVENTS = ROOT + "/+/+/events";

  private Topics() {}

  public static String candidates(String site, String device) {
    return deviceTopic(site, device, "candidates");
  }

  public static String status(String site, String device) {
    return deviceTopic(site, device, "status");
  }

  public static String events(String site, String device) {
    return deviceTopic(site, device, "events");
  }

  private static String deviceTopic(String site, String device, String kind) {
    return ROOT + "/" + Ids.require("site", site) + "/" + Ids.require("device", device) + "/" + kind;
  }

  /**
   * Parses a per-device topic ({@code edgecam/v1/{site}/{device}/{kind}}).
   *
   * @throws MalformedMessageException if the topic is not one
   */
  public static DeviceTopic parseDeviceTopic(String topic) {
    if (topic == null || topic.length() > 256) {
      throw new MalformedMessageException("topic is null or longer than 256 characters");
    }
    String[] parts = topic.split("/", -1);
    if (parts.length != 5 || !parts[0].equals("edgecam") || !parts[1].equals("v1")) {
      throw new MalformedMessageException("not an edgecam/v1/{site}/{device}/{kind} topic: " + topic);
    }
    if (!Ids.isValid(parts[2]) || !Ids.isValid(parts[3])) {
      throw new MalformedMessageException("invalid site or device id in topic: " + topic);
    }
    return new DeviceTopic(parts[2], parts[3], parts[4]);
  }

  /** The parts of a per-device topic. */
  public record DeviceTopic(String site, String device, String kind) {}
}
