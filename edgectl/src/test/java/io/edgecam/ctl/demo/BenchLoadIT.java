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
 * {@code edgecam bench load} at a small scale: many devices, each its own connection, through a
 * real broker to the real matcher; nothing lost, nothing twice, every near candidate alerts once.
 * Throughput figures are printed, not asserted (docs: benchmarks, not timed tests).
 */
class BenchLoadIT {
  private static final ObjectMapper JSON = new ObjectMapper();

  @Test
  void fiftyDevicesThroughTheEmbeddedBrokerLoseNothing() throws Exception {
    assertNothingLost(run(0, "--devices", "50", "--rate", "4", "--seconds", "3", "--json"));
  }

  @Test
  void fiftyDevicesThroughMosquittoLoseNothing(@TempDir Path dir) throws Exception {
    try (MosquittoProcess mosquitto = MosquittoProcess.start(dir)) {
      assertNothingLost(
          run(
              0,
              "--devices",
              "50",
              "--rate",
              "4",
              "--seconds",
              "3",
              "--broker",
              mosquitto.url(),
              "--json"));
    }
  }

  @Test
  void badOptionsAreUsageErrorsNamingTheOption() {
    StringWriter err = new StringWriter();
    CommandLine cl = EdgecamCli.commandLine();
    cl.setErr(new PrintWriter(err, true));
    cl.setOut(new PrintWriter(new StringWriter(), true));
    assertThat(cl.execute("bench", "load", "--devices", "0")).isEqualTo(2);
    assertThat(err.toString()).contains("--devices must be in 1..5000, was 0");
    assertThat(cl.execute("bench", "load", "--broker", "localhost:1883")).isEqualTo(2);
    assertThat(err.toString()).contains("--broker must be tcp://host:port");
  }

  private static void assertNothingLost(JsonNode r) {
    JsonNode m = r.get("matcher");
    long published = 50L * 4 * 3;
    assertThat(m.get("published").asLong()).isEqualTo(published);
    assertThat(m.get("acked").asLong()).isEqualTo(published);
    assertThat(m.get("delivered").asLong()).isEqualTo(published);
    assertThat(r.get("baseline").get("delivered").asLong()).isEqualTo(published);
    assertThat(r.get("lost").asLong()).isZero();
    assertThat(r.get("duplicates").asLong()).isZero();
    // ~10% of 600 candidates are near an entry; each must alert exactly once.
    assertThat(m.get("expected_alerts").asLong()).isBetween(20L, 120L);
    assertThat(m.get("alerts").asLong()).isEqualTo(m.get("expected_alerts").asLong());
    assertThat(m.get("matcher_threads").asInt()).isPositive();
    assertThat(r.get("ok").asBoolean()).isTrue();
  }

  private static JsonNode run(int expectedExit, String... args) throws Exception {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    CommandLine cl = EdgecamCli.commandLine();
    cl.setOut(new PrintWriter(out, true));
    cl.setErr(new PrintWriter(err, true));
    String[] full = new String[args.length + 2];
    full[0] = "bench";
    full[1] = "load";
    System.arraycopy(args, 0, full, 2, args.length);
    assertThat(cl.execute(full)).as("exit code; stderr:%n%s", err).isEqualTo(expectedExit);
    return JSON.readTree(out.toString());
  }
}
