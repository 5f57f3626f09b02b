package io.edgecam.protocol.tuf;

import java.util.List;

/** Names of the four top-level TUF roles, also their {@code _type} values. */
public final class TopLevel {
  /** The root role. */
  public static final String ROOT = "root";

  /** The top-level targets role. */
  public static final String TARGETS = "targets";

  /** The snapshot role. */
  public static final String SNAPSHOT = "snapshot";

  /** The timestamp role. */
  public static final String TIMESTAMP = "timestamp";

  /** All four, in the order a client updates them. */
  public static final List<String> ALL = List.of(ROOT, TIMESTAMP, SNAPSHOT, TARGETS);

  private TopLevel() {}

  /** True for root, targets, snapshot and timestamp. */
  public static boolean isTopLevel(String name) {
    return ALL.contains(name);
  }
}
