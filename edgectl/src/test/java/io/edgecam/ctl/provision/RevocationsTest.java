package io.edgecam.ctl.provision;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.edgecam.agent.publish.PemTls;
import io.edgecam.protocol.RevocationList;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.CertificateFactory;
import java.security.cert.X509CRL;
import java.security.cert.X509Certificate;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code ca revoke} on the CA folder: the CRL, the signed id list and {@code ca list}. */
class RevocationsTest {
  @TempDir Path tmp;
  private Fleet fleet;

  @BeforeEach
  void fleet() {
    fleet = new Fleet(tmp).init("ed25519");
    fleet.provisionDevice("cam-1", "site-1", "ssl://broker:8883").ok();
    fleet.provisionMatcher("m1", "ssl://broker:8883").ok();
  }

  @Test
  void crlIsSignedByTheCaAndListsTheRevokedSerialAfterReprovisioning() throws Exception {
    X509Certificate old = cert(fleet.bundle("cam-1").resolve("device.pem"));
    Fleet.cli("ca", "revoke", "--ca", fleet.ca.toString(), "--device", "cam-1").ok();
    fleet.provisionDevice("cam-1", "site-1", "ssl://broker:8883", "--force").ok();
    X509Certificate fresh = cert(fleet.bundle("cam-1").resolve("device.pem"));

    X509CRL crl;
    try (InputStream in = Files.newInputStream(fleet.ca.resolve("crl.pem"))) {
      crl = (X509CRL) CertificateFactory.getInstance("X.509").generateCRL(in);
    }
    X509Certificate ca = cert(fleet.ca.resolve("ca.pem"));
    crl.verify(ca.getPublicKey()); // throws if not signed by the CA
    assertThat(crl.getIssuerX500Principal()).isEqualTo(ca.getSubjectX500Principal());
    assertThat(crl.isRevoked(old)).isTrue();
    assertThat(crl.isRevoked(fresh)).isFalse();
    assertThat(crl.getNextUpdate()).isEqualTo(ca.getNotAfter());
  }

  @Test
  void revokedMatcherIsInTheSignedListAndCaListShowsItsState() throws Exception {
    Fleet.cli("ca", "revoke", "--ca", fleet.ca.toString(), "--matcher", "m1", "--reason", "retired")
        .ok();

    RevocationList list =
        RevocationList.read(
            fleet.ca.resolve("revoked.json"), cert(fleet.ca.resolve("ca.pem")).getPublicKey());
    assertThat(list.identities())
        .singleElement()
        .satisfies(
            e -> {
              assertThat(e.role()).isEqualTo("matcher");
              assertThat(e.name()).isEqualTo("m1");
              assertThat(e.reason()).isEqualTo("retired");
            });
    assertThat(list.devices()).isEmpty();
    JsonNode rows =
        new ObjectMapper()
            .readTree(Fleet.cli("ca", "list", "--ca", fleet.ca.toString(), "--json").ok().out());
    assertThat(rows.findValuesAsText("state")).containsExactlyInAnyOrder("valid", "revoked");
    for (JsonNode row : rows) {
      if (row.get("name").asText().equals("m1")) {
        assertThat(row.get("state").asText()).isEqualTo("revoked");
        assertThat(row.get("reason").asText()).isEqualTo("retired");
      }
    }
  }

  @Test
  void revokingTwiceOrWithABadReasonIsRefused() {
    Fleet.cli("ca", "revoke", "--ca", fleet.ca.toString(), "--device", "cam-1").ok();

    Fleet.Run again = Fleet.cli("ca", "revoke", "--ca", fleet.ca.toString(), "--device", "cam-1");
    Fleet.Run bad =
        Fleet.cli(
            "ca", "revoke", "--ca", fleet.ca.toString(), "--matcher", "m1", "--reason", "a\nb");

    assertThat(again.exit()).isNotZero();
    assertThat(again.err()).contains("no device 'cam-1' holds a certificate");
    assertThat(bad.exit()).isEqualTo(2);
    assertThat(bad.err()).contains("--reason");
  }

  private static X509Certificate cert(Path pem) {
    return PemTls.certificates(pem, pem.getFileName().toString()).get(0);
  }

  @Test
  void afterANewCaTheMatcherBundlesListVerifiesWithTheNewCa() throws Exception {
    Fleet.cli("ca", "revoke", "--ca", fleet.ca.toString(), "--device", "cam-1").ok();
    Fleet.cli("ca", "init", "--dir", fleet.ca.toString(), "--force").ok();
    fleet.provisionMatcher("m2", "ssl://broker:8883").ok();

    RevocationList list =
        RevocationList.read(
            fleet.bundle("m2").resolve("revoked.json"),
            cert(fleet.ca.resolve("ca.pem")).getPublicKey());
    assertThat(list.issued()).isNotNull();
  }
}
