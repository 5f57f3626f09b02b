package io.edgecam.protocol.tuf;

import java.util.List;

/**
 * The signing keys of one role and its threshold (repository side).
 *
 * @param keys the private keys; all of them sign
 * @param threshold how many signatures a client requires, 1 to {@code keys.size()}
 */
public record RoleKeys(List<SigningKey> keys, int threshold) {
  /** Validates the threshold against the number of keys. */
  public RoleKeys {
    keys = List.copyOf(keys);
    if (threshold < 1 || threshold > keys.size()) {
      throw new IllegalArgumentException(
          "threshold must be in 1.." + keys.size() + ", was " + threshold);
    }
  }

  /** {@code count} fresh keys with the given threshold. */
  public static RoleKeys generate(int count, int threshold) {
    List<SigningKey> keys = new java.util.ArrayList<>();
    for (int i = 0; i < count; i++) {
      keys.add(SigningKey.generate());
    }
    return new RoleKeys(keys, threshold);
  }

  /** The role entry (key ids and threshold) clients verify against. */
  public Role role() {
    return new Role(keys.stream().map(SigningKey::keyId).toList(), threshold);
  }
}
