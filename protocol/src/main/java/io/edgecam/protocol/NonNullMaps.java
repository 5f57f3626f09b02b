package io.edgecam.protocol;

import java.util.Map;

/** Immutable copies of message maps that say which entry was null instead of throwing an NPE. */
final class NonNullMaps {
  private NonNullMaps() {}

  /** An immutable copy of {@code map}; null becomes the empty map. */
  static <V> Map<String, V> copyOf(String what, Map<String, V> map) {
    if (map == null) {
      return Map.of();
    }
    for (Map.Entry<String, V> e : map.entrySet()) {
      if (e.getKey() == null) {
        throw new IllegalArgumentException(what + " must not have a null key");
      }
      if (e.getValue() == null) {
        throw new IllegalArgumentException(
            what + "[" + Printable.quote(e.getKey()) + "] must not be null");
      }
    }
    return Map.copyOf(map);
  }
}
