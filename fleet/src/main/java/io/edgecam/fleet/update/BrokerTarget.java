package io.edgecam.fleet.update;

import io.edgecam.matcher.config.TlsConfig;
import java.util.Properties;
import org.eclipse.paho.mqttv5.client.MqttConnectionOptions;
import org.jspecify.annotations.Nullable;

/**
 * The broker maintainer commands publish to and watch.
 *
 * @param url {@code tcp://host:port} or {@code ssl://host:port}
 * @param tls trust store (and key store for mutual TLS), or null for plain TCP / JVM defaults
 * @param username MQTT user name, or null
 * @param password MQTT password, or null; never logged
 */
public record BrokerTarget(
    String url, @Nullable TlsConfig tls, @Nullable String username, @Nullable String password) {
  /** Validates the URL scheme. */
  public BrokerTarget {
    if (url == null || !(url.startsWith("tcp://") || url.startsWith("ssl://"))) {
      throw new IllegalArgumentException(
          "broker URL must start with tcp:// or ssl://, was " + (url == null ? "nothing" : url));
    }
    if (tls != null && !url.startsWith("ssl://")) {
      throw new IllegalArgumentException("TLS options need an ssl:// broker URL, was " + url);
    }
  }

  /** A plain broker URL. */
  public static BrokerTarget of(String url) {
    return new BrokerTarget(url, null, null, null);
  }

  /** Paho connection options: clean start, no session kept, TLS and credentials as configured. */
  MqttConnectionOptions options() {
    MqttConnectionOptions o = new MqttConnectionOptions();
    o.setCleanStart(true);
    o.setSessionExpiryInterval(0L);
    o.setAutomaticReconnect(false);
    o.setConnectionTimeout(15);
    if (username != null) {
      o.setUserName(username);
    }
    if (password != null) {
      o.setPassword(password.getBytes(java.nio.charset.StandardCharsets.UTF_8));
    }
    if (tls != null) {
      Properties p = new Properties();
      p.setProperty("com.ibm.ssl.trustStore", tls.trustStore().toString());
      if (tls.trustStorePassword() != null) {
        p.setProperty("com.ibm.ssl.trustStorePassword", tls.trustStorePassword());
      }
      if (tls.keyStore() != null) {
        p.setProperty("com.ibm.ssl.keyStore", tls.keyStore().toString());
        if (tls.keyStorePassword() != null) {
          p.setProperty("com.ibm.ssl.keyStorePassword", tls.keyStorePassword());
        }
      }
      o.setSSLProperties(p);
    }
    return o;
  }

  @Override
  public String toString() {
    return "BrokerTarget[" + url + (tls != null ? ", tls" : "") + "]";
  }
}
