package io.edgecam.agent.config;

import java.nio.file.Path;
import org.jspecify.annotations.Nullable;

/**
 * Sealed candidates ({@code sealing} in agent.yaml, docs/protocol.md section 7).
 *
 * @param matcherPublicKey the matcher's X25519 public key (PEM, {@code ./edgecam keys sealing}
 *     writes it); every candidate's embedding is encrypted to it. Null: candidates are sent plain.
 */
public record SealingConfig(@Nullable Path matcherPublicKey) {
  /** Whether candidates are sealed. */
  public boolean enabled() {
    return matcherPublicKey != null;
  }
}
