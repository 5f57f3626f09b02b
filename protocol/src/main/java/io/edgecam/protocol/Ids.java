package io.edgecam.protocol;

import java.util.Set;
import java.util.regex.Pattern;

/**
 * Rules for site and device ids, which become MQTT topic levels (docs/protocol.md, "Ids").
 *
 * <p>An id is 1 to 64 characters of ASCII letters, digits, {@code '.'}, {@code '_'} and {@code
 * '-'}, starting with a letter or digit. That excludes the MQTT specials {@code '/'}, {@code '+'},
 * {@code '#'}, the broker-reserved leading {@code '$'}, whitespace and non-ASCII. A device id must
 * in addition not be one of the {@link #RESERVED_DEVICE_IDS}, which are topic levels of the update
 * channel. Thread-safe (stateless).
 */
public final class Ids {
  /** Longest id, in characters. */
  public static final int MAX_LENGTH = 64;

  /**
   * Device ids that would shadow the update topics {@code edgecam/v1/{site}/updates/...} (and
   * {@code tuf}, {@code targets}, reserved by an earlier draft of them); a device with such an id
   * could otherwise be granted publish rights on them by a per-device broker ACL.
   */
  public static final Set<String> RESERVED_DEVICE_IDS = Set.of("updates", "tuf", "targets");

  private static final Pattern ID = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,63}");

  private Ids() {}

  /** Whether {@code id} is a valid site id (or a valid id in general). Null is not valid. */
  public static boolean isValid(String id) {
    return id != null && ID.matcher(id).matches();
  }

  /** Whether {@code id} is a valid device id: a valid id that is not reserved. */
  public static boolean isValidDevice(String id) {
    return isValid(id) && !RESERVED_DEVICE_IDS.contains(id);
  }

  /**
   * Returns {@code id} if valid.
   *
   * @param what the name of the thing, used in the message (e.g. "site")
   * @throws IllegalArgumentException naming {@code what} otherwise
   */
  public static String require(String what, String id) {
    if (!isValid(id)) {
      throw new IllegalArgumentException(describeInvalid(what, id));
    }
    return id;
  }

  /**
   * Returns {@code id} if it is a valid device id.
   *
   * @param what the name of the thing, used in the message (e.g. "device")
   * @throws IllegalArgumentException naming {@code what} otherwise
   */
  public static String requireDevice(String what, String id) {
    require(what, id);
    if (RESERVED_DEVICE_IDS.contains(id)) {
      throw new IllegalArgumentException(
          what
              + " must not be one of the reserved ids "
              + RESERVED_DEVICE_IDS
              + ", was '"
              + id
              + "'");
    }
    return id;
  }

  /** The message for an invalid id; the value is quoted and shown printable-escaped. */
  static String describeInvalid(String what, String id) {
    return what
        + " must be 1-"
        + MAX_LENGTH
        + " characters of [A-Za-z0-9._-] starting with a letter or digit, was "
        + (id == null ? "null" : Printable.quote(id));
  }
}
