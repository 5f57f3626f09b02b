package io.edgecam.agent.config;

import java.nio.file.Path;
import org.jspecify.annotations.Nullable;

/**
 * TLS material for the broker link ({@code mqtt.tls} in agent.yaml), PEM files.
 *
 * @param ca CA certificate(s) that signed the broker's certificate; null means the JDK's trust
 *     store
 * @param cert client certificate (chain) for mutual TLS; requires {@code key}
 * @param key the client's PKCS#8 private key ({@code BEGIN PRIVATE KEY}), unencrypted
 */
public record TlsConfig(@Nullable Path ca, @Nullable Path cert, @Nullable Path key) {
  public TlsConfig {
    if ((cert == null) != (key == null)) {
      throw new IllegalArgumentException("cert and key must be given together for mutual TLS");
    }
  }

  /** Whether any TLS material is configured. */
  public boolean isConfigured() {
    return ca != null || cert != null;
  }

  /** Whether a client certificate is configured (mutual TLS). */
  public boolean isMutual() {
    return cert != null;
  }
}
