package io.edgecam.ctl.provision;

import io.edgecam.matcher.config.MatcherConfig;
import io.edgecam.protocol.EdgecamException;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.SecureRandom;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Base64;

/**
 * The bundle of one matcher: its key and certificate as PKCS#12 key store (what the matcher's Paho
 * client reads), the fleet CA as PKCS#12 trust store, the same as PEM files (for other clients and
 * {@code openssl}), and a matcher.yaml that connects to the broker with them.
 */
final class MatcherBundle {
  static final String CONFIG = "matcher.yaml";
  static final String KEY_STORE = "matcher.p12";
  static final String TRUST_STORE = "ca.p12";

  /** The matcher unit's StateDirectory (systemd/edgecam-matcher.service). */
  static final String STATE_DIR = "/var/lib/edgecam-matcher";

  private static final SecureRandom RANDOM = new SecureRandom();

  private MatcherBundle() {}

  /** The fleet CA's signed list of revoked ids in the bundle; the matcher reloads it on change. */
  static final String REVOKED = Revocations.SIGNED_LIST;

  static Bundle of(
      FleetCa.Issued issued,
      X509Certificate caCert,
      byte[] revokedList,
      String brokerUrl,
      Instant now) {
    Identity id = issued.identity();
    String keyPassword = password();
    String trustPassword = password();
    byte[] keyStore;
    byte[] trustStore;
    try {
      KeyStore ks = KeyStore.getInstance("PKCS12");
      ks.load(null, null);
      ks.setKeyEntry(
          id.name(),
          issued.keys().getPrivate(),
          keyPassword.toCharArray(),
          new Certificate[] {issued.certificate(), caCert});
      keyStore = store(ks, keyPassword);
      KeyStore ts = KeyStore.getInstance("PKCS12");
      ts.load(null, null);
      ts.setCertificateEntry("edgecam-fleet-ca", caCert);
      trustStore = store(ts, trustPassword);
    } catch (GeneralSecurityException | IOException e) {
      throw new EdgecamException("cannot build the PKCS#12 stores: " + e.getMessage(), e);
    }
    String yaml = matcherYaml(id, brokerUrl, keyPassword, trustPassword, now);
    check(yaml);
    return new Bundle(id.name(), id.describe(), "edgecam-matcher", null)
        .add(CONFIG, yaml, true)
        .add(KEY_STORE, keyStore, true)
        .add(TRUST_STORE, trustStore, false)
        .add("ca.pem", Pem.certificate(caCert), false)
        .add(REVOKED, revokedList, false)
        .add("matcher.pem", Pem.certificate(issued.certificate()), false)
        .add("matcher.key", Pem.privateKey(issued.keys().getPrivate()), true);
  }

  static String matcherYaml(
      Identity id, String brokerUrl, String keyPassword, String trustPassword, Instant now) {
    String etc = Bundle.ETC + "/";
    return "# edgecam matcher configuration of "
        + id.describe()
        + ", written by `edgecam provision --matcher` on "
        + now.truncatedTo(ChronoUnit.SECONDS)
        + ".\n# Every other key keeps its default: see /usr/share/doc/edgecam-matcher/examples/matcher.yaml\n"
        + "# The broker replaces the client id by the certificate's name (use_username_as_clientid).\n"
        + "clientId: "
        + DeviceBundle.quote(id.name())
        + "\nbroker:\n  external:\n    url: "
        + DeviceBundle.quote(brokerUrl)
        + "\n    tls:\n      trustStore: "
        + etc
        + TRUST_STORE
        + "\n      trustStorePassword: "
        + DeviceBundle.quote(trustPassword)
        + "\n      keyStore: "
        + etc
        + KEY_STORE
        + "\n      keyStorePassword: "
        + DeviceBundle.quote(keyPassword)
        + "\n    # Ids revoked by ./edgecam ca revoke: copy the CA's new revoked.json here.\n"
        + "    revocation:\n      file: "
        + etc
        + REVOKED
        + "\n      ca: "
        + etc
        + "ca.pem"
        + "\nstore:\n  sqlite: "
        + STATE_DIR
        + "/matcher.db\n";
  }

  /** Loads the YAML with the matcher's own loader; a bundle it would reject is never written. */
  private static void check(String yaml) {
    try {
      Path tmp = Files.createTempFile("matcher-", ".yaml");
      try {
        Files.writeString(tmp, yaml);
        MatcherConfig.load(tmp);
      } finally {
        Files.delete(tmp);
      }
    } catch (IOException e) {
      throw new EdgecamException("cannot check the matcher configuration: " + e.getMessage(), e);
    }
  }

  private static byte[] store(KeyStore ks, String password)
      throws GeneralSecurityException, IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ks.store(out, password.toCharArray());
    return out.toByteArray();
  }

  /** 144 random bits, URL-safe Base64 (no YAML special characters). */
  private static String password() {
    byte[] b = new byte[18];
    RANDOM.nextBytes(b);
    return Base64.getUrlEncoder().withoutPadding().encodeToString(b);
  }
}
