package io.edgecam.agent.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

class AgentCommandTest {
  @TempDir Path dir;
  private final StringWriter err = new StringWriter();

  private int run(String... args) {
    CommandLine cl = new CommandLine(new AgentCommand());
    cl.setErr(new PrintWriter(err));
    cl.setOut(new PrintWriter(new StringWriter()));
    return cl.execute(args);
  }

  @Test
  void unknownKeyExitsWithTwoNamingKeyAndFile() throws Exception {
    Path file = dir.resolve("agent.yaml");
    Files.writeString(file, "device: d\nsite: s\nsourc:\n  path: x\n");

    assertThat(run("--config", file.toString())).isEqualTo(2);
    assertThat(err.toString()).contains("agent.yaml: unknown key 'sourc' (did you mean 'source'?)");
  }

  @Test
  void badValueExitsWithTwoNamingKeyAndFile() throws Exception {
    Path file = dir.resolve("agent.yaml");
    Files.writeString(file, "device: d\nsite: s\nsource: {path: x}\ntracker: {iou: 3}\n");

    assertThat(run("--config", file.toString(), "--once")).isEqualTo(2);
    assertThat(err.toString()).contains("agent.yaml: tracker.iou must be in (0,1], was 3.0");
  }

  @Test
  void missingConfigFileExitsWithTwo() {
    assertThat(run("--config", dir.resolve("nope.yaml").toString())).isEqualTo(2);
    assertThat(err.toString()).contains("nope.yaml: no such file");
  }

  @Test
  void configOptionIsRequired() {
    assertThat(run()).isEqualTo(2);
  }
}
