package io.edgecam.ctl.provision;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.edgecam.agent.config.MqttConfig;
import io.edgecam.agent.config.TlsConfig;
import io.edgecam.matcher.MatcherService;
import io.edgecam.protocol.Box;
import io.edgecam.protocol.Candidate;
import io.edgecam.protocol.CandidateCodec;
import io.edgecam.protocol.Int8Embedding;
import io.edgecam.protocol.RevocationList;
import io.edgecam.protocol.Topics;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.eclipse.paho.mqttv5.common.MqttException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code ca revoke} against the shipped Mosquitto configuration (crlfile, strict ACL): a revoked
 * device can neither connect again nor publish on the connection it still holds; a device
 * provisioned again with the same id and a new key can. The broker is brought in step by the
 * command itself (--crl, --acl, --reload-command = SIGHUP to this test's Mosquitto). Prints the
 * time from the start of the revoke to the first refused connection.
 */
class RevocationIT {
  private static final String SITE = "site-1";
  private static final Duration WAIT = Duration.ofSeconds(10);

  @TempDir Path tmp;
  private final List<AutoCloseable> closeables = new ArrayList<>();

  @AfterEach
  void closeAll() throws Exception {
    for (int i = closeables.size() - 1; i >= 0; i--) {
      closeables.get(i).close();
    }
  }

  @Test
  void revokedDeviceIsRefusedAndReprovisionedDeviceIsAccepted() throws Exception {
    int port = io.edgecam.testing.MosquittoProcess.freePort();
    String url = "ssl://127.0.0.1:" + port;
    Path etc = tmp.resolve("etc-mosquitto");
    Fleet fleet =
        new Fleet(tmp.resolve("fleet")).init("p256").broker(etc.resolve("edgecam"), "127.0.0.1");
    fleet.provisionDevice("cam-a", SITE, url).ok();
    fleet.provisionDevice("cam-b", SITE, url).ok();
    Path acl = SecureMosquitto.installAcl(etc, text -> text);
    Fleet.cli("ca", "acl", "--ca", fleet.ca.toString(), "--acl", acl.toString()).ok();
    assertThat(Files.readString(acl)).doesNotContain("pattern write"); // strict by default
    SecureMosquitto broker = later(SecureMosquitto.start(etc, port));
    Path crl = etc.resolve("edgecam/crl.pem");
    String[] sync = {
      "--crl", crl.toString(), "--acl", acl.toString(), "--reload-command", broker.reloadCommand()
    };
    TlsClient held = later(new TlsClient(fleet.agentConfig("cam-a").mqtt(), broker.url(), "a"));
    assertThat(held.publish(Topics.candidates(SITE, "cam-a"), "before")).isLessThan(0x80);
    // What the thief has: cam-a's key and certificate (provisioning cam-a again overwrites them).
    Path stolen = Files.createDirectories(tmp.resolve("stolen"));
    for (String f : List.of("ca.pem", "device.pem", "device.key")) {
      Files.copy(fleet.bundle("cam-a").resolve(f), stolen.resolve(f));
    }
    MqttConfig oldCamA =
        new MqttConfig(
            broker.url(),
            null,
            null,
            null,
            new TlsConfig(
                stolen.resolve("ca.pem"),
                stolen.resolve("device.pem"),
                stolen.resolve("device.key")),
            0,
            8,
            30,
            60);

    long t0 = System.nanoTime();
    Fleet.Run revoke =
        Fleet.cli(
                Fleet.concat(
                    new String[] {
                      "ca",
                      "revoke",
                      "--ca",
                      fleet.ca.toString(),
                      "--device",
                      "cam-a",
                      "--reason",
                      "stolen"
                    },
                    sync))
            .ok();
    long t1 = System.nanoTime();
    // Mosquitto handles the SIGHUP asynchronously: wait for its effect, not for a fixed time.
    // The connection cam-a still holds is the probe: the reloaded ACL has no block for cam-a.
    // (A second connection as cam-a would take this one's session over: same user name.)
    await()
        .atMost(WAIT)
        .pollInterval(Duration.ofMillis(5))
        .until(() -> held.publish(Topics.candidates(SITE, "cam-a"), "after") == 0x87);
    long t2 = System.nanoTime();
    // The same reload read the new CRL: the stolen certificate's handshake fails.
    assertThat(refused(oldCamA, broker.url())).isTrue();
    long t3 = System.nanoTime();
    System.out.printf(
        "RevocationIT: ca revoke (record, CRL, signed list, ACL, SIGHUP) %d ms; revoke start to"
            + " publish refused on the held connection %d ms; to new TLS connection refused %d"
            + " ms%n%s",
        (t1 - t0) / 1_000_000, (t2 - t0) / 1_000_000, (t3 - t0) / 1_000_000, revoke.out());

    // Others are unaffected.
    TlsClient b = later(new TlsClient(fleet.agentConfig("cam-b").mqtt(), broker.url(), "b"));
    assertThat(b.publish(Topics.candidates(SITE, "cam-b"), "x")).isLessThan(0x80);

    var caKey = fleet.ca.resolve("ca.pem");
    java.security.PublicKey pub =
        io.edgecam.agent.publish.PemTls.certificates(caKey, "ca.pem").get(0).getPublicKey();
    assertThat(RevocationList.read(fleet.ca.resolve("revoked.json"), pub).devices())
        .containsExactly("cam-a");
    assertThat(Fleet.cli("ca", "list", "--ca", fleet.ca.toString()).ok().out())
        .containsPattern("device +cam-a +site-1 +revoked .*\\(stolen\\)")
        .containsPattern("device +cam-b +site-1 +valid ");

    // The same id, provisioned again: a new key and certificate the broker accepts.
    fleet.provisionDevice("cam-a", SITE, url, Fleet.concat(new String[] {"--force"}, sync)).ok();
    await().atMost(WAIT).until(() -> !refused(fleet.agentConfig("cam-a").mqtt(), broker.url()));
    TlsClient again = later(new TlsClient(fleet.agentConfig("cam-a").mqtt(), broker.url(), "a2"));
    assertThat(again.publish(Topics.candidates(SITE, "cam-a"), "again")).isLessThan(0x80);
    assertThat(refused(oldCamA, broker.url())).isTrue(); // the stolen key stays out
    assertThat(RevocationList.read(fleet.ca.resolve("revoked.json"), pub).devices()).isEmpty();
  }

  @Test
  void matcherRefusesCandidatesOfARevokedIdEvenWhereTheBrokerIsNotInStep() throws Exception {
    int port = io.edgecam.testing.MosquittoProcess.freePort();
    String url = "ssl://127.0.0.1:" + port;
    Path etc = tmp.resolve("etc-mosquitto");
    Fleet fleet =
        new Fleet(tmp.resolve("fleet")).init("p256").broker(etc.resolve("edgecam"), "127.0.0.1");
    fleet.provisionDevice("cam-a", SITE, url).ok();
    fleet.provisionDevice("cam-b", SITE, url).ok();
    fleet.provisionMatcher("m1", url).ok();
    Path acl = SecureMosquitto.installAcl(etc, text -> text);
    Fleet.cli("ca", "acl", "--ca", fleet.ca.toString(), "--acl", acl.toString()).ok();
    SecureMosquitto broker = later(SecureMosquitto.start(etc, port));
    MatcherService matcher = later(MatcherService.start(fleet.matcherConfig("m1")));
    TlsClient a = later(new TlsClient(fleet.agentConfig("cam-a").mqtt(), broker.url(), "a"));
    TlsClient b = later(new TlsClient(fleet.agentConfig("cam-b").mqtt(), broker.url(), "b"));
    a.publish(Topics.candidates(SITE, "cam-a"), candidate("cam-a", 1));
    await().atMost(WAIT).until(() -> matcher.counters().discarded() == 1);

    // Revoked at the CA; the broker is not reloaded (cam-a's connection and ACL block remain),
    // but the matcher gets the new signed list, as an operator copies it to /etc/edgecam.
    Fleet.cli("ca", "revoke", "--ca", fleet.ca.toString(), "--device", "cam-a").ok();
    Files.copy(
        fleet.ca.resolve("revoked.json"),
        fleet.bundle("m1").resolve("revoked.json"),
        java.nio.file.StandardCopyOption.REPLACE_EXISTING);
    // The matcher looks at the file at most once a second: cam-a keeps sending until it did.
    long[] seq = {1};
    await()
        .atMost(WAIT)
        .until(
            () -> {
              a.publish(Topics.candidates(SITE, "cam-a"), candidate("cam-a", ++seq[0]));
              return revoked(matcher) > 0;
            });
    long refused = revoked(matcher);
    long discarded = matcher.counters().discarded();
    a.publish(Topics.candidates(SITE, "cam-a"), candidate("cam-a", ++seq[0]));
    b.publish(Topics.candidates(SITE, "cam-b"), candidate("cam-b", 1));
    // One connection per device, in order per device: wait for both to be counted.
    await()
        .atMost(WAIT)
        .until(
            () ->
                revoked(matcher) == refused + 1 && matcher.counters().discarded() == discarded + 1);
    assertThat(matcher.metrics().scrape())
        .containsPattern(
            "edgecam_matcher_rejected_total\\{reason=\"revoked\",?\\} " + (refused + 1));
  }

  private static long revoked(MatcherService m) {
    return m.counters().malformedByReason().getOrDefault("revoked", 0L);
  }

  private static byte[] candidate(String device, long seq) {
    float[] e = new float[192];
    for (int i = 0; i < e.length; i++) {
      e[i] = (float) Math.sin(i + seq);
    }
    return CandidateCodec.encode(
        new Candidate(
            device,
            seq,
            System.currentTimeMillis(),
            1,
            900,
            new Box(10, 20, 100, 120),
            "mfn-1.0.24",
            Int8Embedding.quantize(e)));
  }

  @Test
  void revokingAnUnknownIdNamesIt() throws Exception {
    Fleet fleet = new Fleet(tmp.resolve("fleet")).init("p256");
    Fleet.Run r = Fleet.cli("ca", "revoke", "--ca", fleet.ca.toString(), "--device", "cam-x");
    assertThat(r.exit()).isNotZero();
    assertThat(r.err()).contains("no device 'cam-x' holds a certificate");
  }

  /** True if a TLS connection with {@code mqtt}'s certificate is refused. */
  private static boolean refused(MqttConfig mqtt, String url) {
    TlsClient c;
    try {
      c = new TlsClient(mqtt, url, "probe");
    } catch (MqttException e) {
      return true;
    }
    try {
      c.close();
    } catch (MqttException e) {
      throw new AssertionError(e);
    }
    return false;
  }

  private <T extends AutoCloseable> T later(T c) {
    closeables.add(c);
    return c;
  }
}
