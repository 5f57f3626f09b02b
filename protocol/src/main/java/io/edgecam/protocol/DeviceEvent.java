package io.edgecam.protocol;

import java.util.Map;

/**
 * Something that happened on a device (tamper, update result, error), published on {@code
 * edgecam/v1/{site}/{device}/events}.
 *
 * @param v message version (1)
 * @param device device id
 * @param time Unix epoch milliseconds
 * @param type short machine-readable type, e.g. "tamper", "update.applied", "update.rejected"
 * @param detail free-form text fields; never personal data
 */
public record DeviceEvent(
    int v, String device, long time, String type, Map<String, String> detail) {
  /**
   * Throws {@link IllegalArgumentException} naming the first invalid field; a null detail becomes
   * empty, null detail values are rejected.
   */
  public DeviceEvent {
    Ids.requireDevice("device", device);
    if (time < 0) {
      throw new IllegalArgumentException("event time must be >= 0, was " + time);
    }
    if (type == null || type.isBlank() || type.length() > 64) {
      throw new IllegalArgumentException(
          "event type must be 1..64 characters, was "
              + (type == null ? "null" : Printable.quote(type)));
    }
    detail = NonNullMaps.copyOf("detail", detail);
  }
}
