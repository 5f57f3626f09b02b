package io.edgecam.ctl.doctor;

import static io.edgecam.ctl.doctor.DoctorRun.copyOfModels;
import static io.edgecam.ctl.doctor.DoctorRun.device;
import static io.edgecam.ctl.doctor.DoctorRun.doctor;
import static org.assertj.core.api.Assertions.assertThat;

import io.edgecam.testing.MosquittoProcess;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Doctor on a device directory with real models (TFLite) and a real Mosquitto. */
class DoctorCommandIT {
  @TempDir Path dir;

  @Test
  void goodDeviceAgainstRunningBrokerPassesEveryCheck() throws Exception {
    Path brokerDir = Files.createDirectories(dir.resolve("broker"));
    try (MosquittoProcess mosquitto = MosquittoProcess.start(brokerDir)) {
      Path config = device(dir, mosquitto.url(), "");

      DoctorRun run = doctor("--config", config.toString());

      assertThat(run.exitCode).as(run.out).isEqualTo(0);
      run.hasLine("config", "OK", "device cam-1, site lab");
      run.hasLine("models", "OK", "sha256 verified");
      run.hasLine("inference", "OK", "golden face found");
      run.hasLine("source", "OK", "1 images");
      run.hasLine("clock", "OK", "after the build date");
      run.hasLine("disk", "OK", "free for the spool");
      run.hasLine("broker", "OK", "127.0.0.1:" + mosquitto.port() + " accepts connections");
      run.hasLine("gpio", "OK", "not configured");
      assertThat(run.out).endsWith("all checks passed" + System.lineSeparator());
    }
  }

  @Test
  void corruptedModelFileFailsWithItsNameAndHash() throws Exception {
    Path models = copyOfModels(dir);
    Path embedder = models.resolve("cache").resolve("mobilefacenet.tflite");
    Files.write(embedder, new byte[] {0}, StandardOpenOption.APPEND);
    Path config = device(dir, "tcp://127.0.0.1:1", "", models);

    DoctorRun run = doctor("--config", config.toString());

    assertThat(run.exitCode).isEqualTo(1);
    run.hasLine("models", "FAIL", "sha256 mismatch for mobilefacenet");
    assertThat(run.line("models")).contains("-> run models/fetch");
    assertThat(run.out).doesNotContain("inference"); // not attempted on a bad model
  }

  @Test
  void missingModelFileFails() throws Exception {
    Path models = copyOfModels(dir);
    Files.delete(models.resolve("cache").resolve("blazeface-short-range.tflite"));
    Path config = device(dir, "tcp://127.0.0.1:1", "", models);

    DoctorRun run = doctor("--config", config.toString());

    assertThat(run.exitCode).isEqualTo(1);
    run.hasLine("models", "FAIL", "blazeface-short-range.tflite: model file missing");
  }

  @Test
  void unreachableBrokerFailsNamingHostAndPort() throws Exception {
    int port;
    try (ServerSocket s = new ServerSocket(0)) {
      port = s.getLocalPort(); // closed again: nothing listens there
    }
    Path config = device(dir, "tcp://127.0.0.1:" + port, "");

    DoctorRun run = doctor("--config", config.toString(), "--json");

    assertThat(run.exitCode).isEqualTo(1);
    assertThat(run.json().get("ok").asBoolean()).isFalse();
    assertThat(run.json().get("checks").findValues("detail").toString())
        .contains("cannot connect to 127.0.0.1:" + port);
  }

  @Test
  void missingSourceFolderFails() throws IOException {
    Path config = device(dir, "tcp://127.0.0.1:1", "");
    Files.writeString(config, Files.readString(config).replace("path: frames", "path: nowhere"));

    DoctorRun run = doctor("--config", config.toString());

    assertThat(run.exitCode).isEqualTo(1);
    run.hasLine(
        "source", "FAIL", "source.path: folder " + dir.resolve("nowhere") + " does not exist");
    run.hasLine("inference", "OK", "golden face found"); // the other checks still run
  }
}
