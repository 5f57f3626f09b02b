package io.edgecam.protocol.tuf;

import java.util.Optional;

/**
 * The device's trusted metadata, kept across restarts so that rollback is detected against what was
 * trusted before (spec 5.2). Holds at least {@code root}; the updater saves each role after it
 * verified it.
 */
public interface MetadataStore {
  /** The stored bytes of role {@code role} ({@code root}, {@code timestamp}, ...), if any. */
  Optional<byte[]> load(String role);

  /** Replaces the stored bytes of {@code role}; must be atomic (old or new, never partial). */
  void save(String role, byte[] bytes);

  /** Forgets {@code role} (after a key rotation made it untrusted). */
  void delete(String role);
}
