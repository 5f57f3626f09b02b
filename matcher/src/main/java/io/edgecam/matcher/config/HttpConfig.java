package io.edgecam.matcher.config;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonProperty;
import java.nio.file.Path;
import org.jspecify.annotations.Nullable;

/**
 * The operators' REST API and web dashboard ({@code docs/api.md}). Off by default; when on, it
 * listens on the loopback address unless told otherwise.
 *
 * @param enabled serve the API and the dashboard
 * @param bind address to listen on (default 127.0.0.1); another address exposes bearer tokens to
 *     the network unless {@code tls} is set
 * @param port TCP port (default 8080); 0 picks a free port at start
 * @param tls HTTPS key material, or null for plain HTTP
 */
public record HttpConfig(boolean enabled, String bind, int port, @Nullable Tls tls) {
  public static final String DEFAULT_BIND = "127.0.0.1";
  public static final int DEFAULT_PORT = 8080;

  /**
   * The server's certificate and key, as a PKCS#12 or JKS key store.
   *
   * @param keyStore key store file with one private key and its certificate chain
   * @param keyStorePassword its password, or null
   */
  public record Tls(Path keyStore, @Nullable String keyStorePassword) {
    @JsonCreator
    public Tls(
        @JsonProperty("keyStore") Path keyStore,
        @JsonProperty("keyStorePassword") @Nullable String keyStorePassword) {
      if (keyStore == null) {
        throw new IllegalArgumentException("http.tls.keyStore must be set");
      }
      this.keyStore = keyStore;
      this.keyStorePassword = keyStorePassword;
    }
  }

  /** Binds the YAML form, filling defaults for missing keys. */
  @JsonCreator
  public static HttpConfig fromYaml(
      @JsonProperty("enabled") @Nullable Boolean enabled,
      @JsonProperty("bind") @Nullable String bind,
      @JsonProperty("port") @Nullable Integer port,
      @JsonProperty("tls") @Nullable Tls tls) {
    return new HttpConfig(
        enabled != null && enabled,
        bind == null ? DEFAULT_BIND : bind,
        port == null ? DEFAULT_PORT : port,
        tls);
  }

  public HttpConfig {
    if (bind == null || bind.isBlank()) {
      throw new IllegalArgumentException("http.bind must not be empty");
    }
    if (port < 0 || port > 65_535) {
      throw new IllegalArgumentException("http.port must be in 0..65535, was " + port);
    }
  }

  /** The default: off. */
  public static HttpConfig disabled() {
    return new HttpConfig(false, DEFAULT_BIND, DEFAULT_PORT, null);
  }

  /** Plain HTTP on a free port of 127.0.0.1 (tests, the demo). */
  public static HttpConfig loopbackEphemeral() {
    return new HttpConfig(true, DEFAULT_BIND, 0, null);
  }

  HttpConfig resolvePaths(Path base) {
    return tls == null
        ? this
        : new HttpConfig(
            enabled, bind, port, new Tls(base.resolve(tls.keyStore()), tls.keyStorePassword()));
  }
}
