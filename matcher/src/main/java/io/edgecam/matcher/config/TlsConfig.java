package io.edgecam.matcher.config;

import java.nio.file.Path;
import org.jspecify.annotations.Nullable;

/**
 * TLS material as Java key stores (PKCS#12 or JKS). A key store makes the connection mutual TLS.
 *
 * @param trustStore CA certificates that may sign the broker's certificate
 * @param trustStorePassword password of the trust store, or null
 * @param keyStore the matcher's client certificate and key, or null for server-only TLS
 * @param keyStorePassword password of the key store, or null
 */
public record TlsConfig(
    Path trustStore,
    @Nullable String trustStorePassword,
    @Nullable Path keyStore,
    @Nullable String keyStorePassword) {
  public TlsConfig {
    if (trustStore == null) {
      throw new IllegalArgumentException("broker.external.tls.trustStore must be set");
    }
  }
}
