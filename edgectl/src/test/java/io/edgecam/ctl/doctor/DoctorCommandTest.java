package io.edgecam.ctl.doctor;

import static io.edgecam.ctl.doctor.DoctorRun.device;
import static io.edgecam.ctl.doctor.DoctorRun.doctor;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Doctor outcomes that need neither models nor a broker (config errors, usage). */
class DoctorCommandTest {
  @TempDir Path dir;

  @Test
  void unknownKeyIsAFailNamingKeyAndFile() throws IOException {
    Path config = device(dir, "tcp://127.0.0.1:1", "detectr: {}\n");

    DoctorRun run = doctor("--config", config.toString());

    assertThat(run.exitCode).isEqualTo(1);
    run.hasLine("config", "FAIL", "agent.yaml: unknown key 'detectr'");
    assertThat(run.line("config")).contains("-> fix " + config);
    assertThat(run.err).doesNotContain("Exception");
  }

  @Test
  void missingConfigFileIsAFail() {
    DoctorRun run = doctor("--config", dir.resolve("nope.yaml").toString());

    assertThat(run.exitCode).isEqualTo(1);
    run.hasLine("config", "FAIL", "nope.yaml: no such file");
  }

  @Test
  void jsonListsChecksAndOverallVerdict() throws IOException {
    Path config = device(dir, "tcp://127.0.0.1:1", "tracker: {iou: 3}\n");

    DoctorRun run = doctor("--config", config.toString(), "--json");

    JsonNode json = run.json();
    assertThat(json.get("ok").asBoolean()).isFalse();
    JsonNode check = json.get("checks").get(0);
    assertThat(check.get("name").asText()).isEqualTo("config");
    assertThat(check.get("status").asText()).isEqualTo("FAIL");
    assertThat(check.get("detail").asText()).contains("tracker.iou must be in (0,1]");
    assertThat(check.get("fix").asText()).isNotEmpty();
  }

  @Test
  void unknownOptionIsAUsageError() {
    assertThat(doctor("--colour").exitCode).isEqualTo(2);
  }

  @Test
  void brokerReachabilityIsATcpConnect() throws IOException {
    try (ServerSocket broker = new ServerSocket(0)) {
      String url = "tcp://127.0.0.1:" + broker.getLocalPort();
      assertThat(
              BrokerCheck.reachability(
                      new io.edgecam.agent.config.MqttConfig(
                          url, null, null, null, null, 60, 8, 30, 60))
                  .status())
          .isEqualTo(CheckResult.Status.OK);
    }
  }

  @Test
  void emptySourceFolderIsAFail() throws IOException {
    Path empty = Files.createDirectories(dir.resolve("empty"));
    CheckResult r =
        SourceCheck.run(
            new io.edgecam.agent.config.SourceConfig(
                io.edgecam.agent.config.SourceConfig.Type.FOLDER, empty, null, 10, false));

    assertThat(r.status()).isEqualTo(CheckResult.Status.FAIL);
    assertThat(r.detail()).contains("has no .jpg, .jpeg or .png files");
  }
}
