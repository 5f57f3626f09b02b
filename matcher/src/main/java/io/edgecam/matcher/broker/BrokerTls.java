package io.edgecam.matcher.broker;

import io.edgecam.matcher.config.EmbeddedBrokerConfig;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.SecureRandom;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.Base64;
import java.util.Collection;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Turns the PEM files of the fleet CA ({@code ca.pem}) and of {@code ./edgecam ca broker} ({@code
 * broker.pem}, {@code broker.key}) into the two PKCS#12 stores HiveMQ reads, written 0600 into the
 * broker's {@code conf/} folder at each start under a fresh random password.
 */
final class BrokerTls {
  private static final Pattern PKCS8 =
      Pattern.compile("-----BEGIN PRIVATE KEY-----([A-Za-z0-9+/=\\s]+)-----END PRIVATE KEY-----");

  /** The written stores and their password (also in HiveMQ's config.xml, which is 0600). */
  record Stores(Path keyStore, Path trustStore, String password) {}

  private BrokerTls() {}

  /**
   * @throws BrokerException naming the key and file if a PEM file is missing or unusable
   */
  static Stores write(EmbeddedBrokerConfig.Tls tls, Path conf) {
    byte[] raw = new byte[18];
    new SecureRandom().nextBytes(raw);
    String password = Base64.getUrlEncoder().withoutPadding().encodeToString(raw);
    char[] pw = password.toCharArray();
    Collection<? extends Certificate> ca = certificates(tls.ca(), "broker.embedded.tls.ca");
    Collection<? extends Certificate> chain =
        certificates(tls.certificate(), "broker.embedded.tls.certificate");
    PrivateKey key = privateKey(tls.key());
    try {
      KeyStore ks = KeyStore.getInstance("PKCS12");
      ks.load(null, null);
      ks.setKeyEntry("broker", key, pw, chain.toArray(new Certificate[0]));
      KeyStore ts = KeyStore.getInstance("PKCS12");
      ts.load(null, null);
      int i = 0;
      for (Certificate c : ca) {
        ts.setCertificateEntry("fleet-ca-" + i++, c);
      }
      Path keyStore = conf.resolve("broker-keystore.p12");
      Path trustStore = conf.resolve("broker-truststore.p12");
      store(ks, keyStore, pw);
      store(ts, trustStore, pw);
      return new Stores(keyStore, trustStore, password);
    } catch (GeneralSecurityException | IOException e) {
      throw new BrokerException(
          "broker.embedded.tls: cannot build the key store from "
              + tls.certificate()
              + " and "
              + tls.key()
              + ": "
              + e.getMessage(),
          e);
    }
  }

  private static void store(KeyStore ks, Path file, char[] pw)
      throws IOException, GeneralSecurityException {
    Files.deleteIfExists(file);
    Files.createFile(
        file, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
    try (OutputStream out = Files.newOutputStream(file, StandardOpenOption.TRUNCATE_EXISTING)) {
      ks.store(out, pw);
    }
  }

  private static Collection<? extends Certificate> certificates(Path file, String key) {
    try {
      Collection<? extends Certificate> certs =
          CertificateFactory.getInstance("X.509")
              .generateCertificates(new ByteArrayInputStream(read(file, key)));
      if (certs.isEmpty()) {
        throw new BrokerException(key + ": " + file + " holds no certificate", null);
      }
      return certs;
    } catch (GeneralSecurityException e) {
      throw new BrokerException(
          key + ": " + file + ": not a PEM certificate: " + e.getMessage(), e);
    }
  }

  private static PrivateKey privateKey(Path file) {
    String key = "broker.embedded.tls.key";
    Matcher m = PKCS8.matcher(new String(read(file, key), StandardCharsets.US_ASCII));
    if (!m.find()) {
      throw new BrokerException(
          key + ": " + file + ": not an unencrypted PKCS#8 key (BEGIN PRIVATE KEY)", null);
    }
    PKCS8EncodedKeySpec spec = new PKCS8EncodedKeySpec(Base64.getMimeDecoder().decode(m.group(1)));
    for (String alg : new String[] {"EC", "Ed25519", "RSA"}) {
      try {
        return KeyFactory.getInstance(alg).generatePrivate(spec);
      } catch (GeneralSecurityException e) {
        // try the next algorithm
      }
    }
    throw new BrokerException(key + ": " + file + ": not an EC, Ed25519 or RSA key", null);
  }

  private static byte[] read(Path file, String key) {
    try {
      return Files.readAllBytes(file);
    } catch (NoSuchFileException e) {
      throw new BrokerException(key + ": " + file + ": no such file", e);
    } catch (IOException e) {
      throw new BrokerException(key + ": " + file + ": cannot read: " + e.getMessage(), e);
    }
  }
}
