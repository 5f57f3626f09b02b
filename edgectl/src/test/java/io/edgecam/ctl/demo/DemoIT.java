package io.edgecam.ctl.demo;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.edgecam.agent.publish.MosquittoProcess;
import io.edgecam.ctl.EdgecamCli;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.awaitility.Awaitility;
import org.awaitility.core.ConditionTimeoutException;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * The README's first command, end to end: real agent (folder camera, TFLite) -> MQTT 5 broker ->
 * matcher -> alerts, on the sample photos the project fetches. Enrolled people alert, the unknown
 * person does not, and nothing bigger than a candidate leaves the agent.
 */
class DemoIT {
  private static final ObjectMapper JSON = new ObjectMapper();

  @Test
  void demoOnEmbeddedBrokerAlertsForEveryEnrolledPersonAndDiscardsTheUnknown() throws Exception {
    assertDemoSummary(run("demo", "--json"));
  }

  @Test
  void demoThroughRealMosquittoGivesTheSameDecisions(@TempDir Path dir) throws Exception {
    try (MosquittoProcess mosquitto = MosquittoProcess.start(dir)) {
      assertDemoSummary(run("demo", "--json", "--broker", mosquitto.url()));
    }
  }

  /**
   * The machine's own Mosquitto (the production reference), started if it is installed but down.
   * The demo leaves nothing on it: no persistent session, a plain subscription to its own site.
   */
  @Test
  void demoThroughTheMachinesMosquittoOn1883() throws Exception {
    String url = systemMosquitto();
    assertDemoSummary(run("demo", "--json", "--broker", url));
  }

  private static String systemMosquitto() throws Exception {
    if (!listening(1883)) {
      try {
        new ProcessBuilder("mosquitto", "-d", "-c", "/etc/mosquitto/mosquitto.conf")
            .inheritIO()
            .start()
            .waitFor(10, TimeUnit.SECONDS);
        Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> listening(1883));
      } catch (IOException | ConditionTimeoutException e) {
        String reason = "Mosquitto is not running on 127.0.0.1:1883 and could not be started: " + e;
        if ("1".equals(System.getenv("EDGECAM_REQUIRE_SERVICES"))) {
          throw new AssertionError("EDGECAM_REQUIRE_SERVICES=1 but " + reason, e);
        }
        Assumptions.abort(reason);
      }
    }
    return "tcp://127.0.0.1:1883";
  }

  private static boolean listening(int port) {
    try (Socket s = new Socket()) {
      s.connect(new InetSocketAddress("127.0.0.1", port), 500);
      return true;
    } catch (IOException e) {
      return false;
    }
  }

  private static void assertDemoSummary(JsonNode s) {
    // Sample set (models/samples.json): 3 probe photos of 2 enrolled people, 1 unknown person.
    assertThat(s.get("expected_alerts").asInt()).isEqualTo(3);
    assertThat(s.get("frames").asLong()).isEqualTo(4);
    assertThat(s.get("faces").asLong()).isEqualTo(4);
    assertThat(s.get("candidates").asLong()).isEqualTo(4);
    assertThat(s.get("alerts").asLong()).isEqualTo(3);
    assertThat(s.get("discarded").asLong()).isEqualTo(1);
    assertThat(s.get("enrolled").asInt()).isEqualTo(2);
    // Only candidates travel: at most 256 payload bytes each, no image.
    assertThat(s.get("bytes_sent").asLong())
        .isPositive()
        .isLessThanOrEqualTo(256L * s.get("candidates").asLong());
  }

  private static JsonNode run(String... args) throws Exception {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    CommandLine cl = EdgecamCli.commandLine();
    cl.setOut(new PrintWriter(out, true));
    cl.setErr(new PrintWriter(err, true));
    int code = cl.execute(args);
    assertThat(code).as("exit code; stderr:%n%s", err).isZero();
    return JSON.readTree(out.toString());
  }
}
