package io.edgecam.protocol;

import java.util.Map;

/**
 * Something that happened on a device (tamper, update result, error), published on
 * {@code edgecam/v1/{site}/{device}/events}.
 *
 * @param v message version (1)
 * @param device device id
 * @param time Unix epoch milliseconds
 * @param type short machine-readable type, e.g. "tamper", "update.applied", "update.rejected"
 * @param detail free-form text fields; never personal data
 */
public record DeviceEvent(int v, String device, long time, String type, Map<String, String> detail) {
  public DeviceEvent {
    Ids.require("device", device);
    if (type == null || type.isBlank() || type.length() > 64) {
      throw new IllegalArgumentException("event type must be 1..64 characters");
    }
    detail = detail == null ? Map.of() : Map.copyOf(detail);
  }
}
