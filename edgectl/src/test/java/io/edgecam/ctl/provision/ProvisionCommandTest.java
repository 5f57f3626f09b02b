package io.edgecam.ctl.provision;

import static org.assertj.core.api.Assertions.assertThat;

import io.edgecam.agent.config.AgentConfig;
import io.edgecam.agent.publish.PemTls;
import io.edgecam.matcher.config.MatcherConfig;
import io.edgecam.matcher.config.TlsConfig;
import io.edgecam.protocol.tuf.Lifetimes;
import io.edgecam.protocol.tuf.RoleKeys;
import io.edgecam.protocol.tuf.TopLevel;
import io.edgecam.protocol.tuf.TufRepository;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.KeyStore;
import java.security.cert.CertPathValidator;
import java.security.cert.CertificateFactory;
import java.security.cert.PKIXParameters;
import java.security.cert.TrustAnchor;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code ca init} and {@code provision} through the real command line, files checked as used. */
class ProvisionCommandTest {
  private static final String BROKER = "ssl://broker.example:8883";

  @TempDir Path tmp;
  private Fleet fleet;

  @BeforeEach
  void fleet() {
    fleet = new Fleet(tmp).init("p256");
  }

  @Test
  void caInitWritesACaCertificateAndAKeyOnlyItsOwnerReads() throws Exception {
    X509Certificate ca = cert(fleet.ca.resolve("ca.pem"));

    assertThat(perms(fleet.ca.resolve("ca.key"))).isEqualTo("rw-------");
    assertThat(perms(fleet.ca)).isEqualTo("rwx------");
    assertThat(ca.getBasicConstraints()).as("CA with path length 0").isZero();
    assertThat(ca.getCriticalExtensionOIDs()).contains("2.5.29.19", "2.5.29.15");
    assertThat(ca.getKeyUsage()[5]).as("keyCertSign").isTrue();
    assertThat(ca.getKeyUsage()[6]).as("cRLSign").isTrue();
    ca.verify(ca.getPublicKey());
    assertThat(Duration.between(Instant.now(), ca.getNotAfter().toInstant()).toDays())
        .isBetween(3648L, 3650L);
    assertThat(ca.getPublicKey().getAlgorithm()).isEqualTo("EC");
  }

  /** Security review, issue 17: the CA key lay unencrypted; the TUF root keys could be. */
  @Test
  void caInitWithAPassphraseFileEncryptsTheKeyAndSigningNeedsThePassphrase() throws Exception {
    Path pass = Files.writeString(tmp.resolve("pass"), "correct horse battery\n");
    Path wrong = Files.writeString(tmp.resolve("wrong"), "incorrect\n");
    Path dir = tmp.resolve("enc-ca");
    Fleet.Run init =
        Fleet.cli("ca", "init", "--dir", dir.toString(), "--passphrase-file", pass.toString()).ok();
    assertThat(init.out()).contains("passphrase-encrypted");
    String key = Files.readString(dir.resolve("ca.key"));
    assertThat(key).contains("BEGIN ENCRYPTED PRIVATE KEY").doesNotContain("BEGIN PRIVATE KEY");
    assertThat(perms(dir.resolve("ca.key"))).isEqualTo("rw-------");

    Path out = tmp.resolve("broker-tls");
    Fleet.Run without =
        Fleet.cli("ca", "broker", "--ca", dir.toString(), "--host", "b", "--out", out.toString());
    assertThat(without.exit()).isEqualTo(1);
    assertThat(without.err())
        .contains("ca.key: the key is encrypted")
        .contains("--passphrase-file");
    Fleet.Run bad =
        Fleet.cli(
            "ca",
            "broker",
            "--ca",
            dir.toString(),
            "--host",
            "b",
            "--out",
            out.toString(),
            "--passphrase-file",
            wrong.toString());
    assertThat(bad.exit()).isEqualTo(1);
    assertThat(bad.err()).contains("wrong passphrase");
    Fleet.cli(
            "ca",
            "broker",
            "--ca",
            dir.toString(),
            "--host",
            "b",
            "--out",
            out.toString(),
            "--passphrase-file",
            pass.toString())
        .ok();
    X509Certificate broker = cert(out.resolve("broker.pem"));
    broker.verify(cert(dir.resolve("ca.pem")).getPublicKey());
    Fleet.cli(
            "provision",
            "--ca",
            dir.toString(),
            "--device",
            "cam-1",
            "--site",
            "s",
            "--broker",
            BROKER,
            "--out",
            tmp.resolve("b").toString(),
            "--passphrase-file",
            pass.toString())
        .ok();
    // Listing needs no key.
    Fleet.cli("ca", "list", "--ca", dir.toString()).ok();
  }

  @Test
  void caInitRefusesToReplaceACaWithoutForce() throws Exception {
    byte[] key = Files.readAllBytes(fleet.ca.resolve("ca.key"));

    Fleet.Run again = Fleet.cli("ca", "init", "--dir", fleet.ca.toString());

    assertThat(again.exit()).isEqualTo(1);
    assertThat(again.err()).startsWith("edgecam ca init: ").contains("already holds a fleet CA");
    assertThat(Files.readAllBytes(fleet.ca.resolve("ca.key"))).isEqualTo(key);
    Fleet.cli("ca", "init", "--dir", fleet.ca.toString(), "--force").ok();
    assertThat(Files.readAllBytes(fleet.ca.resolve("ca.key"))).isNotEqualTo(key);
  }

  @Test
  void caInitWithEd25519MakesAnEd25519Fleet() throws Exception {
    Fleet ed = new Fleet(tmp.resolve("ed")).init("ed25519");
    ed.provisionDevice("cam-1", "s", BROKER).ok();

    assertThat(cert(ed.ca.resolve("ca.pem")).getPublicKey().getAlgorithm())
        .isIn("Ed25519", "EdDSA");
    X509Certificate device = cert(ed.bundle("cam-1").resolve("device.pem"));
    assertThat(device.getSigAlgName()).isIn("Ed25519", "EdDSA");
    device.verify(cert(ed.ca.resolve("ca.pem")).getPublicKey());
    assertThat(Fleet.cli("ca", "init", "--dir", "x", "--key-type", "rsa").exit()).isEqualTo(2);
  }

  @Test
  void provisionWritesABundleTheAgentLoadsAsItWillOnTheDevice() throws Exception {
    Fleet.Run run = fleet.provisionDevice("cam-01", "site-1", BROKER);

    run.ok();
    Path b = fleet.bundle("cam-01");
    assertThat(run.out())
        .contains("provisioned device cam-01 (site site-1)", "next:", "install.sh");
    assertThat(Files.readString(b.resolve("agent.yaml")))
        .contains("ca: /etc/edgecam/ca.pem", "key: /etc/edgecam/device.key");
    AgentConfig c = fleet.agentConfig("cam-01");
    assertThat(c.device()).isEqualTo("cam-01");
    assertThat(c.site()).isEqualTo("site-1");
    assertThat(c.mqtt().url()).isEqualTo(BROKER);
    assertThat(c.mqtt().tls().key()).isEqualTo(b.resolve("device.key"));
    assertThat(c.source().location()).isEqualTo("/dev/video0");
    PemTls.context(c.mqtt().tls()); // the agent's TLS loader takes the key and certificates
    assertThat(perms(b.resolve("device.key"))).isEqualTo("rw-------");
    assertThat(perms(b.resolve("install.sh"))).isEqualTo("rwxr-xr-x");
    assertThat(Files.readAllBytes(b.resolve("ca.pem")))
        .isEqualTo(Files.readAllBytes(fleet.ca.resolve("ca.pem")));
  }

  @Test
  void archiveHoldsTheBundleWithItsModes() throws Exception {
    fleet.provisionDevice("cam-01", "site-1", BROKER).ok();

    String listing = run(tmp, "tar", "-tzvf", fleet.bundles.resolve("cam-01.tar.gz").toString());

    assertThat(listing)
        .containsPattern("-rw------- root/root +\\d+ .* cam-01/device\\.key")
        .containsPattern("-rwxr-xr-x root/root +\\d+ .* cam-01/install\\.sh")
        .contains("cam-01/agent.yaml", "cam-01/ca.pem", "cam-01/device.pem");
    Path x = Files.createDirectories(tmp.resolve("x"));
    run(x, "tar", "-xzf", fleet.bundles.resolve("cam-01.tar.gz").toString());
    assertThat(Files.readAllBytes(x.resolve("cam-01/device.key")))
        .isEqualTo(Files.readAllBytes(fleet.bundle("cam-01").resolve("device.key")));
  }

  @Test
  void deviceCertificateNamesTheDeviceAndChainsToTheFleetCa() throws Exception {
    fleet.provisionDevice("cam-01", "site-1", BROKER).ok();
    X509Certificate c = cert(fleet.bundle("cam-01").resolve("device.pem"));

    assertThat(c.getSubjectX500Principal().getName()).isEqualTo("CN=cam-01,OU=site-1,O=edgecam");
    assertThat(c.getBasicConstraints()).as("not a CA").isEqualTo(-1);
    assertThat(c.getKeyUsage()[0]).as("digitalSignature").isTrue();
    assertThat(c.getExtendedKeyUsage()).containsExactly("1.3.6.1.5.5.7.3.2"); // clientAuth
    assertThat(c.getSubjectAlternativeNames())
        .containsExactly(List.of(6, "urn:edgecam:device:site-1:cam-01"));
    assertThat(FleetCa.identityOf(c)).isEqualTo(Identity.device("cam-01", "site-1"));
    assertThat(Duration.between(Instant.now(), c.getNotAfter().toInstant()).toDays())
        .isBetween(728L, 730L);
    X509Certificate ca = cert(fleet.ca.resolve("ca.pem"));
    PKIXParameters p = new PKIXParameters(Set.of(new TrustAnchor(ca, null)));
    p.setRevocationEnabled(false);
    CertPathValidator.getInstance("PKIX")
        .validate(CertificateFactory.getInstance("X.509").generateCertPath(List.of(c)), p);
  }

  @Test
  void provisionRefusesToReplaceAnIdentityWithoutForce() throws Exception {
    fleet.provisionDevice("cam-01", "site-1", BROKER).ok();
    Path key = fleet.bundle("cam-01").resolve("device.key");
    byte[] before = Files.readAllBytes(key);

    Fleet.Run again = fleet.provisionDevice("cam-01", "site-1", BROKER);

    assertThat(again.exit()).isEqualTo(1);
    assertThat(again.err()).contains("already exists", "--force");
    assertThat(Files.readAllBytes(key)).isEqualTo(before);
    // Another output folder does not get around it: the CA knows the device.
    Fleet.Run elsewhere =
        Fleet.cli(
            "provision",
            "--ca",
            fleet.ca.toString(),
            "--device",
            "cam-01",
            "--site",
            "site-1",
            "--broker",
            BROKER,
            "--out",
            tmp.resolve("other").toString());
    assertThat(elsewhere.exit()).isEqualTo(1);
    assertThat(elsewhere.err()).contains("device cam-01 (site site-1) already has a certificate");
    fleet.provisionDevice("cam-01", "site-2", BROKER, "--force").ok();
    assertThat(Files.readAllBytes(key)).isNotEqualTo(before);
    assertThat(fleet.agentConfig("cam-01").site()).isEqualTo("site-2");
  }

  @Test
  void devicesAndMatchersCannotShareAName() {
    fleet.provisionMatcher("m1", BROKER).ok();

    Path out = tmp.resolve("devices");
    Fleet.Run r =
        Fleet.cli(
            "provision",
            "--ca",
            fleet.ca.toString(),
            "--device",
            "m1",
            "--site",
            "site-1",
            "--broker",
            BROKER,
            "--out",
            out.toString(),
            "--force");

    assertThat(r.exit()).isEqualTo(1);
    assertThat(r.err()).contains("already issued to matcher m1");
    assertThat(out.resolve("m1")).doesNotExist();
  }

  @Test
  void badInputIsAUsageErrorNamingTheOption() {
    assertUsage(fleet.provisionDevice("cam-1", "s", "tcp://b:1883"), "--broker must be ssl://");
    assertUsage(
        Fleet.cli("provision", "--device", "cam-1", "--broker", BROKER, "--out", "o"),
        "--device needs --site");
    assertUsage(fleet.provisionDevice("cam/1", "s", BROKER), "device id must be");
    assertUsage(fleet.provisionDevice("updates", "s", BROKER), "must not be one of");
    assertUsage(fleet.provisionDevice("tuf", "s", BROKER), "reserved");
    assertUsage(fleet.provisionDevice("cam-1", "s", BROKER, "--camera", "ftp://x"), "--camera");
    assertUsage(
        Fleet.cli("provision", "--device", "a", "--matcher", "b", "--broker", BROKER, "--out", "o"),
        "mutually exclusive");
    assertThat(fleet.bundles).doesNotExist();
  }

  @Test
  void rootMetadataIsCheckedAndCopiedByteForByte() throws Exception {
    byte[] root = rootMetadata();
    Path file = tmp.resolve("root.json");
    Files.write(file, root);

    Fleet.Run r =
        fleet.provisionDevice("cam-01", "site-1", BROKER, "--root-metadata", file.toString());

    r.ok();
    assertThat(r.out()).contains("TUF root v1, threshold 2");
    assertThat(r.err()).doesNotContain("WARNING");
    assertThat(Files.readAllBytes(fleet.bundle("cam-01").resolve("root.json"))).isEqualTo(root);
  }

  @Test
  void tamperedRootMetadataIsRefusedBeforeAnythingIsIssued() throws Exception {
    String root = new String(rootMetadata(), StandardCharsets.UTF_8);
    Path file = tmp.resolve("root.json");
    Files.writeString(
        file, root.replace("\"consistent_snapshot\":true", "\"consistent_snapshot\":false"));

    Fleet.Run r =
        fleet.provisionDevice("cam-01", "site-1", BROKER, "--root-metadata", file.toString());

    assertThat(r.exit()).isEqualTo(1);
    assertThat(r.err()).contains("--root-metadata: " + file);
    assertThat(fleet.ca.resolve("issued/device-cam-01.pem")).doesNotExist();
    assertThat(fleet.bundle("cam-01")).doesNotExist();
  }

  @Test
  void provisionWithoutRootMetadataSaysSo() throws Exception {
    Fleet.Run r = fleet.provisionDevice("cam-01", "site-1", BROKER);

    assertThat(r.err()).contains("WARNING: no --root-metadata");
    assertThat(r.out()).contains("root.json    NONE");
    assertThat(Files.readString(fleet.bundle("cam-01").resolve("agent.yaml")))
        .contains("No TUF root metadata was given");
  }

  @Test
  void matcherBundleLoadsWithTheMatcherConfigAndItsKeyStoreOpens() throws Exception {
    fleet.provisionMatcher("m1", BROKER).ok();

    MatcherConfig m = fleet.matcherConfig("m1");

    assertThat(m.clientId()).isEqualTo("m1");
    TlsConfig tls = m.broker().external().tls();
    KeyStore ks = KeyStore.getInstance("PKCS12");
    try (InputStream in = Files.newInputStream(tls.keyStore())) {
      ks.load(in, tls.keyStorePassword().toCharArray());
    }
    assertThat(ks.getCertificateChain("m1")).hasSize(2);
    X509Certificate c = (X509Certificate) ks.getCertificate("m1");
    assertThat(c.getSubjectX500Principal().getName()).isEqualTo("CN=m1,O=edgecam");
    KeyStore ts = KeyStore.getInstance("PKCS12");
    try (InputStream in = Files.newInputStream(tls.trustStore())) {
      ts.load(in, tls.trustStorePassword().toCharArray());
    }
    assertThat(ts.getCertificate("edgecam-fleet-ca")).isEqualTo(cert(fleet.ca.resolve("ca.pem")));
    assertThat(perms(fleet.bundle("m1").resolve("matcher.yaml"))).isEqualTo("rw-------");
  }

  @Test
  void installScriptsPassAShellSyntaxCheck() throws Exception {
    fleet.provisionDevice("cam-01", "site-1", BROKER).ok();
    fleet.provisionMatcher("m1", BROKER).ok();

    for (String b : List.of("cam-01", "m1")) {
      run(tmp, "sh", "-n", fleet.bundle(b).resolve("install.sh").toString());
    }
    assertThat(Files.readString(fleet.bundle("cam-01").resolve("install.sh")))
        .contains("install -m 0640 -o root -g edgecam \"$here/device.key\" \"$dest/device.key\"")
        .contains("runuser -u edgecam -- edgecam doctor --config $dest/agent.yaml");
  }

  @Test
  void caListShowsEveryIssuedIdentity() {
    fleet.provisionDevice("cam-01", "site-1", BROKER).ok();
    fleet.provisionMatcher("m1", BROKER).ok();

    Fleet.Run r = Fleet.cli("ca", "list", "--ca", fleet.ca.toString(), "--json").ok();

    assertThat(r.out())
        .contains("\"role\":\"device\",\"name\":\"cam-01\",\"site\":\"site-1\"")
        .contains("\"role\":\"matcher\",\"name\":\"m1\",\"site\":null");
  }

  private static void assertUsage(Fleet.Run r, String message) {
    assertThat(r.exit()).as(r.err()).isEqualTo(2);
    assertThat(r.err()).contains(message);
  }

  /** A TUF root v1 with a 2-of-3 root key threshold, signed. */
  private static byte[] rootMetadata() {
    TufRepository repo =
        TufRepository.create(
            Map.of(
                TopLevel.ROOT, RoleKeys.generate(3, 2),
                TopLevel.TARGETS, RoleKeys.generate(1, 1),
                TopLevel.SNAPSHOT, RoleKeys.generate(1, 1),
                TopLevel.TIMESTAMP, RoleKeys.generate(1, 1)),
            Clock.systemUTC(),
            Lifetimes.DEFAULTS);
    return repo.root().toBytes();
  }

  static X509Certificate cert(Path pem) {
    return PemTls.certificates(pem, "test").get(0);
  }

  private static String perms(Path p) throws Exception {
    return PosixFilePermissions.toString(Files.getPosixFilePermissions(p));
  }

  static String run(Path dir, String... cmd) throws Exception {
    Process p = new ProcessBuilder(cmd).directory(dir.toFile()).redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(p.waitFor()).as("%s:%n%s", String.join(" ", cmd), out).isZero();
    return out;
  }

  @Test
  void renewKeepsTheIdentityWithANewCertificate() throws Exception {
    fleet.provisionDevice("cam-r", "site-1", "ssl://broker:8883").ok();
    String before = Files.readString(fleet.bundle("cam-r").resolve("device.pem"));

    Fleet.Run renewed =
        fleet.provisionDevice("cam-r", "site-1", "ssl://broker:8883", "--renew", "--json").ok();

    String after = Files.readString(fleet.bundle("cam-r").resolve("device.pem"));
    assertThat(after).isNotEqualTo(before);
    assertThat(renewed.out()).contains("\"name\":\"cam-r\"").contains("\"site\":\"site-1\"");
    String list = Fleet.cli("ca", "list", "--ca", fleet.ca.toString()).ok().out();
    assertThat(list.lines().filter(l -> l.contains("cam-r"))).hasSize(1);
  }

  @Test
  void renewRefusesAnIdTheCaNeverIssuedOrAnotherSite() throws Exception {
    fleet.provisionDevice("cam-r", "site-1", "ssl://broker:8883").ok();

    Fleet.Run unknown = fleet.provisionDevice("cam-x", "site-1", "ssl://broker:8883", "--renew");
    Fleet.Run moved = fleet.provisionDevice("cam-r", "site-2", "ssl://broker:8883", "--renew");

    assertThat(unknown.exit()).isNotZero();
    assertThat(unknown.err()).contains("--renew").contains("cam-x");
    assertThat(moved.exit()).isNotZero();
    assertThat(moved.err()).contains("no current certificate for device cam-r");
  }

  @Test
  void renewWithKeepKeyCertifiesTheBundlesKeyAgain() throws Exception {
    fleet.provisionDevice("cam-k", "site-1", "ssl://broker:8883").ok();
    Path bundle = fleet.bundle("cam-k");
    String key = Files.readString(bundle.resolve("device.key"));
    String cert = Files.readString(bundle.resolve("device.pem"));

    fleet.provisionDevice("cam-k", "site-1", "ssl://broker:8883", "--renew", "--keep-key").ok();

    assertThat(Files.readString(bundle.resolve("device.key"))).isEqualTo(key);
    assertThat(Files.readString(bundle.resolve("device.pem"))).isNotEqualTo(cert);
    assertThat(publicKey(bundle.resolve("device.pem")))
        .isEqualTo(publicKey(fleet.ca.resolve("issued/device-cam-k.pem")));
  }

  @Test
  void keepKeyRefusesAKeyOfAnotherIdentity() throws Exception {
    fleet.provisionDevice("cam-k", "site-1", "ssl://broker:8883").ok();
    fleet.provisionDevice("cam-l", "site-1", "ssl://broker:8883").ok();
    Files.copy(
        fleet.bundle("cam-l").resolve("device.key"),
        fleet.bundle("cam-k").resolve("device.key"),
        java.nio.file.StandardCopyOption.REPLACE_EXISTING);

    Fleet.Run r =
        fleet.provisionDevice("cam-k", "site-1", "ssl://broker:8883", "--renew", "--keep-key");
    Fleet.Run noRenew = fleet.provisionDevice("cam-k", "site-1", "ssl://broker:8883", "--keep-key");

    assertThat(r.exit()).isNotZero();
    assertThat(r.err()).contains("--keep-key").contains("is not the key of device cam-k");
    assertThat(noRenew.err()).contains("--keep-key needs --renew");
  }

  private static java.security.PublicKey publicKey(Path pem) {
    return io.edgecam.agent.publish.PemTls.certificates(pem, "cert").get(0).getPublicKey();
  }
}
