package io.edgecam.fleet.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.edgecam.matcher.calibration.Calibration;
import io.edgecam.matcher.calibration.PairScores;
import io.edgecam.protocol.Int8Embedding;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

class CalibrateCommandTest {
  @TempDir Path dir;

  private static Calibration calibration(String images) {
    Int8Embedding a = Int8Embedding.quantize(new float[] {1, 0});
    Int8Embedding b = Int8Embedding.quantize(new float[] {0.6f, 0.8f});
    Int8Embedding c = Int8Embedding.quantize(new float[] {0, 1});
    return PairScores.calibrate(
        Map.of("x", List.of(a, b), "y", List.of(c)), "m.json", "t", images, "test");
  }

  @Test
  void writesTheCalibrationAsTheManifestsLastKeyAndReplacesItLater() throws Exception {
    Path manifest = dir.resolve("m.json");
    String original = "{\n  \"name\": \"m\",\n  \"tag\": \"t\",\n  \"inputs\": [{ \"a\": 1 }]\n}\n";
    Files.writeString(manifest, original);

    CalibrateCommand.write(manifest, calibration("first"));
    String once = Files.readString(manifest);
    assertThat(once)
        .startsWith(original.substring(0, original.lastIndexOf('\n', original.length() - 3)));
    assertThat(Calibration.read(manifest).images()).isEqualTo("first");

    CalibrateCommand.write(manifest, calibration("second"));
    JsonNode json = new ObjectMapper().readTree(manifest.toFile());
    assertThat(json.get("calibration").get("images").asText()).isEqualTo("second");
    assertThat(json.get("inputs").get(0).get("a").asInt()).isEqualTo(1);
    assertThat(Calibration.read(manifest).impostors().pairs()).isEqualTo(2);
  }

  @Test
  void refusesAMissingFolderAndANonEmbedderManifest() throws Exception {
    StringWriter err = new StringWriter();
    CommandLine cl = new CommandLine(new CalibrateCommand()).setErr(new PrintWriter(err));
    assertThat(cl.execute(dir.resolve("none").toString(), "--manifest", "x.json")).isEqualTo(2);
    assertThat(err.toString()).contains("DIR").contains("not a directory");

    Path models = Path.of(System.getProperty("edgecam.root", "..")).resolve("models");
    err.getBuffer().setLength(0);
    assertThat(
            cl.execute(
                dir.toString(),
                "--manifest",
                models.resolve("blazeface-short-range.json").toString()))
        .isEqualTo(2);
    assertThat(err.toString()).contains("kind is detector, not embedder");
  }
}
