package io.edgecam.agent.publish;

import io.edgecam.agent.config.TlsConfig;
import io.edgecam.protocol.Pem;
import io.edgecam.runtime.config.ConfigException;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.List;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocketFactory;
import javax.net.ssl.TrustManagerFactory;

/**
 * Builds TLS from PEM files with the JDK alone: CA certificates to trust, and for mutual TLS a
 * client certificate chain with its unencrypted PKCS#8 key (RSA, EC or Ed25519). The agent's MQTT
 * link and {@code edgecam doctor} both load the files through here, so they agree on what is valid.
 */
public final class PemTls {
  private static final char[] NO_PASSWORD = new char[0];

  private PemTls() {}

  /**
   * @throws ConfigException naming the file if a PEM file is missing or unusable
   */
  static SSLSocketFactory socketFactory(TlsConfig tls) {
    return context(tls).getSocketFactory();
  }

  /**
   * A TLS context trusting {@code tls.ca} (or the JDK's CAs when unset), with the client key and
   * certificate when both are set.
   *
   * @throws ConfigException naming the key and file if a PEM file is missing or unusable
   */
  public static SSLContext context(TlsConfig tls) {
    try {
      TrustManagerFactory tmf =
          TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
      tmf.init(tls.ca() == null ? null : trustStore(tls.ca()));
      KeyManagerFactory kmf = null;
      if (tls.cert() != null && tls.key() != null) {
        kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        kmf.init(keyStore(tls.cert(), tls.key()), NO_PASSWORD);
      }
      SSLContext ctx = SSLContext.getInstance("TLS");
      ctx.init(kmf == null ? null : kmf.getKeyManagers(), tmf.getTrustManagers(), null);
      return ctx;
    } catch (GeneralSecurityException e) {
      throw new ConfigException("mqtt.tls: cannot set up TLS: " + e.getMessage(), e);
    }
  }

  private static KeyStore trustStore(Path ca) throws GeneralSecurityException {
    KeyStore ks = emptyStore();
    int i = 0;
    for (Certificate c : certificates(ca, "mqtt.tls.ca")) {
      ks.setCertificateEntry("ca-" + i++, c);
    }
    return ks;
  }

  private static KeyStore keyStore(Path cert, Path key) throws GeneralSecurityException {
    Certificate[] chain = certificates(cert, "mqtt.tls.cert").toArray(new Certificate[0]);
    PrivateKey privateKey = privateKey(key);
    KeyStore ks = emptyStore();
    ks.setKeyEntry("client", privateKey, NO_PASSWORD, chain);
    return ks;
  }

  private static KeyStore emptyStore() throws GeneralSecurityException {
    KeyStore ks = KeyStore.getInstance("PKCS12");
    try {
      ks.load(null, null);
    } catch (IOException e) {
      throw new GeneralSecurityException("cannot create an in-memory key store", e);
    }
    return ks;
  }

  /**
   * The X.509 certificates of a PEM file.
   *
   * @param key the config key naming the file, for the message
   * @throws ConfigException naming key and file if it cannot be read or holds no certificate
   */
  public static List<X509Certificate> certificates(Path file, String key) {
    byte[] pem = read(file, key);
    List<X509Certificate> out = new ArrayList<>();
    try {
      for (Certificate c :
          CertificateFactory.getInstance("X.509")
              .generateCertificates(new ByteArrayInputStream(pem))) {
        out.add((X509Certificate) c);
      }
    } catch (GeneralSecurityException e) {
      throw new ConfigException(
          key + ": " + file + ": not a PEM certificate: " + e.getMessage(), e);
    }
    if (out.isEmpty()) {
      throw new ConfigException(key + ": " + file + " holds no PEM certificate");
    }
    return out;
  }

  static PrivateKey privateKey(Path file) {
    String pem = new String(read(file, "mqtt.tls.key"), StandardCharsets.US_ASCII);
    if (!Pem.has("PRIVATE KEY", pem)) {
      throw new ConfigException(
          "mqtt.tls.key: "
              + file
              + " is not an unencrypted PKCS#8 key (BEGIN PRIVATE KEY);"
              + " convert it with: openssl pkcs8 -topk8 -nocrypt -in KEY -out KEY.pk8");
    }
    try {
      return Pem.privateKey(Pem.decode("PRIVATE KEY", pem), "RSA", "EC", "Ed25519");
    } catch (IllegalArgumentException e) {
      throw new ConfigException(
          "mqtt.tls.key: " + file + " is not an RSA, EC or Ed25519 key: " + e.getMessage(), e);
    }
  }

  private static byte[] read(Path file, String key) {
    try {
      return Files.readAllBytes(file);
    } catch (java.nio.file.NoSuchFileException e) {
      throw new ConfigException(key + ": " + file + ": no such file", e);
    } catch (IOException e) {
      throw new ConfigException(key + ": cannot read " + file + ": " + e.getMessage(), e);
    }
  }
}
