package io.edgecam.ctl.provision;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.edgecam.agent.config.AgentConfig;
import io.edgecam.agent.config.MqttConfig;
import io.edgecam.agent.config.TlsConfig;
import io.edgecam.agent.publish.PahoBrokerLink;
import io.edgecam.matcher.config.ExternalBrokerConfig;
import io.edgecam.matcher.config.MatcherConfig;
import io.edgecam.matcher.ingest.MqttCandidateIngest;
import io.edgecam.protocol.Box;
import io.edgecam.protocol.Candidate;
import io.edgecam.protocol.CandidateCodec;
import io.edgecam.protocol.Int8Embedding;
import io.edgecam.protocol.JsonMessages;
import io.edgecam.protocol.Status;
import io.edgecam.protocol.Topics;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.eclipse.paho.mqttv5.common.MqttException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The shipped Mosquitto configuration (device-config/mosquitto) enforcing identities made by the
 * real {@code ca init}, {@code ca broker}, {@code provision} and {@code ca acl} commands, with the
 * agent's own broker link, the matcher's own ingest and the doctor's TLS check on the bundles'
 * configurations. Devices cam-a and cam-b at site-1, cam-c at site-2, matcher m1.
 */
class BrokerAccessIT {
  private static final String SITE_1 = "site-1";
  private static final String SITE_2 = "site-2";
  private static final Duration WAIT = Duration.ofSeconds(10);

  @TempDir static Path tmp;
  private static Fleet fleet;
  private static SecureMosquitto broker;

  private final List<AutoCloseable> closeables = new ArrayList<>();
  private final List<String> matcherReceived = new CopyOnWriteArrayList<>();
  private MqttCandidateIngest matcher;

  @BeforeAll
  static void fleetAndBroker() throws Exception {
    int port = io.edgecam.testing.MosquittoProcess.freePort();
    String url = "ssl://127.0.0.1:" + port;
    Path etc = tmp.resolve("etc-mosquitto");
    fleet =
        new Fleet(tmp.resolve("fleet"))
            .init("p256")
            .broker(etc.resolve("edgecam"), "127.0.0.1,localhost");
    fleet.provisionDevice("cam-a", SITE_1, url).ok();
    fleet.provisionDevice("cam-b", SITE_1, url).ok();
    fleet.provisionDevice("cam-c", SITE_2, url).ok();
    fleet.provisionMatcher("m1", url).ok();
    Path acl = SecureMosquitto.installAcl(etc, text -> text);
    Fleet.cli("ca", "acl", "--ca", fleet.ca.toString(), "--acl", acl.toString()).ok();
    broker = SecureMosquitto.start(etc, port);
  }

  @AfterAll
  static void stopBroker() {
    if (broker != null) {
      broker.close();
    }
  }

  @BeforeEach
  void startMatcher() throws Exception {
    MatcherConfig m = fleet.matcherConfig("m1");
    ExternalBrokerConfig x = m.broker().external();
    assertThat(m.candidatesFilter()).startsWith("$share/"); // external broker: shared subscription
    matcher =
        MqttCandidateIngest.start(
            x.url(),
            x.tls(),
            m.clientId(),
            m.candidatesFilter(),
            0,
            (topic, payload) ->
                matcherReceived.add(topic + " " + CandidateCodec.decode(payload).sequence()));
    closeables.add(matcher);
  }

  @AfterEach
  void closeAll() throws Exception {
    for (int i = closeables.size() - 1; i >= 0; i--) {
      closeables.get(i).close();
    }
  }

  @Test
  void matcherReceivesCandidatesTheAgentPublishesUnderItsOwnId() throws Exception {
    PahoBrokerLink a = agentLink("cam-a");

    a.publish(Topics.candidates(SITE_1, "cam-a"), candidate("cam-a", 1), false, WAIT)
        .get(10, TimeUnit.SECONDS);

    await().atMost(WAIT).until(() -> matcherReceived.contains(candidatesOf("cam-a") + " 1"));
  }

  @Test
  void deviceCannotPublishAsAnotherDevice() throws Exception {
    PahoBrokerLink a = agentLink("cam-a");

    assertThatThrownBy(
            () ->
                a.publish(Topics.candidates(SITE_1, "cam-b"), candidate("cam-b", 7), false, WAIT)
                    .get(10, TimeUnit.SECONDS))
        .isInstanceOf(ExecutionException.class)
        .hasMessageContaining("broker refused publish to " + Topics.candidates(SITE_1, "cam-b"))
        .hasMessageContaining("reason code 0x87"); // MQTT 5: not authorized
    // The broker handles one connection's publishes in order: once a later, allowed publish
    // reached the matcher, the refused one would have been there before it.
    a.publish(Topics.candidates(SITE_1, "cam-a"), candidate("cam-a", 8), false, WAIT)
        .get(10, TimeUnit.SECONDS);
    await().atMost(WAIT).until(() -> matcherReceived.contains(candidatesOf("cam-a") + " 8"));
    assertThat(matcherReceived).noneMatch(m -> m.contains("/cam-b/"));
  }

  @Test
  void deviceCannotTakeOverAnotherDevicesSessionByClientId() throws Exception {
    PahoBrokerLink b = agentLink("cam-b");
    AgentConfig a = fleet.agentConfig("cam-a");

    // cam-a asks for cam-b's client id; the broker replaces it by cam-a's certificate name.
    TlsClient intruder = closeLater(new TlsClient(a.mqtt(), broker.url(), "edgecam-agent-cam-b"));

    assertThat(intruder.isConnected()).isTrue();
    // cam-b still has its connection: its next publish is acknowledged.
    b.publish(Topics.candidates(SITE_1, "cam-b"), candidate("cam-b", 2), false, WAIT)
        .get(10, TimeUnit.SECONDS);
    assertThat(b.isConnected()).isTrue();
  }

  @Test
  void clientWithoutCertificateCannotConnect() throws Exception {
    Path ca = fleet.bundle("cam-a").resolve("ca.pem");
    MqttConfig noCert =
        new MqttConfig(broker.url(), null, null, null, new TlsConfig(ca, null, null), 0, 8, 30, 60);

    assertThatThrownBy(() -> new TlsClient(noCert, broker.url(), "anonymous").close())
        .isInstanceOf(MqttException.class);
  }

  @Test
  void clientWithCertificateOfAnotherCaCannotConnect() throws Exception {
    Fleet other = new Fleet(tmp.resolve("other-fleet")).init("p256");
    other.provisionDevice("cam-a", SITE_1, broker.url()).ok();
    // Trusts our broker (our CA) but presents a certificate of the other CA, with the same name.
    Path mixed = Files.createDirectories(tmp.resolve("mixed"));
    Files.copy(fleet.bundle("cam-a").resolve("ca.pem"), mixed.resolve("ca.pem"));
    MqttConfig forged =
        new MqttConfig(
            broker.url(),
            null,
            null,
            null,
            new TlsConfig(
                mixed.resolve("ca.pem"),
                other.bundle("cam-a").resolve("device.pem"),
                other.bundle("cam-a").resolve("device.key")),
            0,
            8,
            30,
            60);

    assertThatThrownBy(() -> new TlsClient(forged, broker.url(), "forged").close())
        .isInstanceOf(MqttException.class);
  }

  @Test
  void deviceCannotReadAlertsAndReadsOnlyItsOwnSitesUpdates() throws Exception {
    TlsClient a = closeLater(new TlsClient(fleet.agentConfig("cam-a").mqtt(), broker.url(), "a"));
    TlsClient c = closeLater(new TlsClient(fleet.agentConfig("cam-c").mqtt(), broker.url(), "c"));
    a.subscribe(Topics.ALERTS);
    a.subscribe("edgecam/v1/+/updates/#");
    c.subscribe("edgecam/v1/+/updates/#");
    a.subscribe(Topics.ALL_CANDIDATES);

    // In order on the matcher's one connection: an alert, then one update per site.
    matcher.publish(Topics.ALERTS, bytes("{\"alert\":1}"));
    matcher.publish(update(SITE_1), bytes("1"));
    matcher.publish(update(SITE_2), bytes("2"));
    agentLink("cam-b")
        .publish(Topics.candidates(SITE_1, "cam-b"), candidate("cam-b", 3), false, WAIT)
        .get(10, TimeUnit.SECONDS);
    await().atMost(WAIT).until(() -> matcherReceived.contains(candidatesOf("cam-b") + " 3"));
    // Mosquitto queues a message for every subscriber when it handles the PUBLISH: anything
    // the devices were going to get arrives before these last updates.
    matcher.publish(update(SITE_1), bytes("last"));
    matcher.publish(update(SITE_2), bytes("last"));

    await().atMost(WAIT).until(() -> a.received.contains(update(SITE_1) + " last"));
    await().atMost(WAIT).until(() -> c.received.contains(update(SITE_2) + " last"));
    assertThat(a.received).containsExactly(update(SITE_1) + " 1", update(SITE_1) + " last");
    assertThat(c.received).containsExactly(update(SITE_2) + " 2", update(SITE_2) + " last");
  }

  private static String update(String site) {
    return "edgecam/v1/" + site + "/updates/tuf/timestamp.json";
  }

  private static byte[] bytes(String s) {
    return s.getBytes(java.nio.charset.StandardCharsets.UTF_8);
  }

  @Test
  void deviceCannotPublishUpdatesOrAlerts() throws Exception {
    TlsClient a = closeLater(new TlsClient(fleet.agentConfig("cam-a").mqtt(), broker.url(), "a"));

    assertThat(a.publish("edgecam/v1/site-1/updates/tuf/timestamp.json", "x")).isEqualTo(0x87);
    assertThat(a.publish(Topics.ALERTS, "x")).isEqualTo(0x87);
    assertThat(a.publish(Topics.status(SITE_1, "cam-b"), "x")).isEqualTo(0x87);
  }

  @Test
  void deviceCanPublishOnlyAtTheSiteInItsCertificate() throws Exception {
    // The shipped ACL is strict: no pattern lines, each device bound to its site by its block.
    assertThat(Files.readString(SecureMosquitto.shipped("edgecam.acl")))
        .doesNotContainPattern("(?m)^pattern ");
    TlsClient a = closeLater(new TlsClient(fleet.agentConfig("cam-a").mqtt(), broker.url(), "a"));

    assertThat(a.publish(Topics.candidates(SITE_2, "cam-a"), "x")).isEqualTo(0x87);
    assertThat(a.publish(Topics.status(SITE_2, "cam-a"), "x")).isEqualTo(0x87);
    assertThat(a.publish(Topics.candidates(SITE_1, "cam-a"), "x")).isLessThan(0x80);
    assertThat(a.publish(Topics.status(SITE_1, "cam-a"), "x")).isLessThan(0x80);
  }

  @Test
  void ed25519FleetWorksWithMosquittoAndTheAgent() throws Exception {
    int port = io.edgecam.testing.MosquittoProcess.freePort();
    Path etc = tmp.resolve("etc-ed25519");
    Fleet ed =
        new Fleet(tmp.resolve("ed-fleet"))
            .init("ed25519")
            .broker(etc.resolve("edgecam"), "127.0.0.1");
    ed.provisionDevice("cam-ed", SITE_1, "ssl://127.0.0.1:" + port).ok();
    Path acl = SecureMosquitto.installAcl(etc, text -> text);
    Fleet.cli("ca", "acl", "--ca", ed.ca.toString(), "--acl", acl.toString()).ok();
    assertThat(Files.readString(ed.bundle("cam-ed").resolve("device.key")))
        .contains("BEGIN PRIVATE KEY");

    try (SecureMosquitto edBroker = SecureMosquitto.start(etc, port)) {
      TlsClient c = closeLater(new TlsClient(ed.agentConfig("cam-ed").mqtt(), edBroker.url(), "x"));
      assertThat(c.publish(Topics.candidates(SITE_1, "cam-ed"), "x")).isLessThan(0x80);
      assertThat(c.publish(Topics.candidates(SITE_1, "cam-a"), "x")).isEqualTo(0x87);
      c.close();
    }
  }

  @Test
  void doctorTlsAndBrokerChecksPassWithTheBundle() throws Exception {
    Path config = fleet.deviceConfig("cam-a");
    // Float only: precision auto would time both variants (DoctorCommandIT covers inference).
    Files.writeString(
        config, "pipeline:\n  precision: float\n", java.nio.file.StandardOpenOption.APPEND);
    long start = System.nanoTime();
    Fleet.Run run = Fleet.cli("doctor", "--config", config.toString(), "--json");
    System.out.printf(
        "BrokerAccessIT: doctor took %d ms:%n%s%n",
        (System.nanoTime() - start) / 1_000_000, run.out());

    JsonNode checks = new ObjectMapper().readTree(run.out()).get("checks");
    assertThat(status(checks, "config")).isEqualTo("OK");
    assertThat(status(checks, "broker")).isEqualTo("OK");
    assertThat(status(checks, "clock")).isEqualTo("OK");
    JsonNode tls = check(checks, "tls");
    assertThat(tls.get("status").asText()).as(tls.toString()).isEqualTo("OK");
    assertThat(tls.get("detail").asText())
        .contains("handshake with 127.0.0.1:" + broker.port + " ok");
  }

  private static String status(JsonNode checks, String name) {
    return check(checks, name).get("status").asText();
  }

  private static JsonNode check(JsonNode checks, String name) {
    for (JsonNode c : checks) {
      if (c.get("name").asText().equals(name)) {
        return c;
      }
    }
    throw new AssertionError("no check " + name + " in " + checks);
  }

  private PahoBrokerLink agentLink(String device) throws Exception {
    AgentConfig c = fleet.agentConfig(device);
    byte[] will = JsonMessages.encode(Status.offline(c.site(), device, System.currentTimeMillis()));
    PahoBrokerLink link =
        closeLater(
            new PahoBrokerLink(
                c.mqtt(),
                c.clientId(),
                new PahoBrokerLink.Will(Topics.status(c.site(), device), will)));
    link.start();
    assertThat(link.awaitConnected(WAIT)).as(link.health().toString()).isTrue();
    return link;
  }

  private static String candidatesOf(String device) {
    return Topics.candidates(SITE_1, device);
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

  private <T extends AutoCloseable> T closeLater(T c) {
    closeables.add(c);
    return c;
  }
}
