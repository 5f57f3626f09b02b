package io.edgecam.matcher.auth;

import java.util.Locale;

/**
 * What an API token may do. Roles are ordered: each includes everything the ones before it may do.
 */
public enum Role {
  /** Reads devices, alerts and the watchlist. */
  VIEWER,
  /** A viewer who may also enroll, delete and extend watchlist entries. */
  OPERATOR,
  /** An operator who may also read the audit log and manage tokens. */
  ADMIN;

  /** True if this role may do what {@code required} may. */
  public boolean includes(Role required) {
    return compareTo(required) >= 0;
  }

  /** The lower-case name used in the API, the CLI and the store. */
  public String key() {
    return name().toLowerCase(Locale.ROOT);
  }

  /**
   * Parses {@code viewer}, {@code operator} or {@code admin}.
   *
   * @throws IllegalArgumentException naming the accepted values
   */
  public static Role parse(String key) {
    for (Role r : values()) {
      if (r.key().equals(key)) {
        return r;
      }
    }
    throw new IllegalArgumentException(
        "role must be viewer, operator or admin, was " + (key == null ? "null" : "'" + key + "'"));
  }
}
