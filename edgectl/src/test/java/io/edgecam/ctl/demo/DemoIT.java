package io.edgecam.ctl.demo;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.edgecam.ctl.EdgecamCli;
import io.edgecam.testing.MosquittoProcess;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
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

  /** A Mosquitto of the test's own on a free port, never the machine's on 1883. */
  @Test
  void demoThroughRealMosquittoGivesTheSameDecisions(@TempDir Path dir) throws Exception {
    try (MosquittoProcess mosquitto = MosquittoProcess.start(dir)) {
      assertDemoSummary(run("demo", "--json", "--broker", mosquitto.url()));
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
