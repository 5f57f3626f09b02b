package io.edgecam.ctl.provision;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.edgecam.protocol.EdgecamException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code ca acl}: the generated per-identity part of the shipped ACL file. */
class BrokerAclTest {
  private static final String BROKER = "ssl://b:8883";

  @TempDir Path tmp;

  @Test
  void writesASiteBoundBlockPerDeviceAndTheMatcherRightsIntoTheShippedFile() throws Exception {
    Fleet fleet = new Fleet(tmp).init("p256");
    fleet.provisionDevice("cam-01", "site-1", BROKER).ok();
    fleet.provisionMatcher("m1", BROKER).ok();
    fleet.broker(tmp.resolve("btls"), "broker.example");
    Path acl = SecureMosquitto.installAcl(tmp.resolve("etc"), t -> t);
    String shipped = Files.readString(acl);

    Fleet.cli("ca", "acl", "--ca", fleet.ca.toString(), "--acl", acl.toString()).ok();

    String text = Files.readString(acl);
    assertThat(text)
        .startsWith(shipped.substring(0, shipped.indexOf(BrokerAcl.BEGIN)))
        .contains(
            "user cam-01\n"
                + "topic read edgecam/v1/site-1/updates/#\n"
                + "topic write edgecam/v1/site-1/cam-01/candidates\n"
                + "topic write edgecam/v1/site-1/cam-01/status\n"
                + "topic write edgecam/v1/site-1/cam-01/events\n")
        .contains(
            "user m1\n"
                + "topic read edgecam/v1/+/+/candidates\n"
                + "topic read edgecam/v1/+/+/status\n"
                + "topic read edgecam/v1/+/+/events\n"
                + "topic write edgecam/v1/alerts\n"
                + "topic write edgecam/v1/alerts/verified\n"
                + "topic write edgecam/v1/matchers/m1\n"
                + "topic write edgecam/v1/+/updates/#\n")
        .doesNotContain("user broker.example")
        .endsWith(BrokerAcl.END + "\n");
    // Idempotent: a second run replaces the section instead of adding one.
    Fleet.cli("ca", "acl", "--ca", fleet.ca.toString(), "--acl", acl.toString()).ok();
    String again = Files.readString(acl);
    assertThat(again.split(BrokerAcl.BEGIN, -1)).hasSize(2);
    assertThat(again.replaceAll("expires \\S+", "")).isEqualTo(text.replaceAll("expires \\S+", ""));
  }

  @Test
  void appendsTheSectionToAFileWithoutOneAndRefusesDamagedMarkers() {
    String section = BrokerAcl.BEGIN + "\nuser x\n" + BrokerAcl.END + "\n";

    assertThat(BrokerAcl.update("pattern write a/%u\n", section))
        .isEqualTo("pattern write a/%u\n\n" + section);
    assertThat(
            BrokerAcl.update(
                "a\n" + BrokerAcl.BEGIN + "\nold\n" + BrokerAcl.END + "\nb\n", section))
        .isEqualTo("a\n" + section + "b\n");
    assertThatThrownBy(() -> BrokerAcl.update("a\n" + BrokerAcl.BEGIN + "\nold\n", section))
        .isInstanceOf(EdgecamException.class)
        .hasMessageContaining("markers are damaged");
  }

  @Test
  void withoutAclFileTheSectionIsPrinted() {
    Fleet fleet = new Fleet(tmp).init("p256");
    fleet.provisionDevice("cam-01", "site-1", BROKER).ok();

    Fleet.Run r = Fleet.cli("ca", "acl", "--ca", fleet.ca.toString()).ok();

    assertThat(r.out()).startsWith(BrokerAcl.BEGIN).contains("user cam-01\n");
    assertThat(Fleet.cli("ca", "acl", "--ca", tmp.resolve("none").toString()).err())
        .contains("no fleet CA here");
  }
}
