package io.edgecam.protocol;

import java.util.regex.Pattern;

/** Rules for site and device ids, which become MQTT topic levels. */
public final class Ids {
  /** ASCII letters, digits, '.', '_' and '-', 1 to 64 characters, not starting with '$'. */
  private static final Pattern ID = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,63}");

  private Ids() {}

  public static boolean isValid(String id) {
    return id != null && ID.matcher(id).matches();
  }

  /**
   * Returns {@code id} if valid.
   *
   * @throws IllegalArgumentException naming {@code what} otherwise
   */
  public static String require(String what, String id) {
    if (!isValid(id)) {
      throw new IllegalArgumentException(
          what
              + " must be 1-64 characters of [A-Za-z0-9._-] starting with a letter or digit, was "
              + (id == null ? "null" : "'" + id + "'"));
    }
    return id;
  }
}
