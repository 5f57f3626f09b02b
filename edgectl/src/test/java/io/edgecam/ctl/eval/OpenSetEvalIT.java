package io.edgecam.ctl.eval;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.edgecam.face.image.TestData;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Open-set figures of the shipped embedder (MobileFaceNet, float) on ../shared/data/faces must not
 * regress. Measured when this test was written (docs/accuracy.md): 148 genuine and 1,932 impostor
 * pairs; FNMR at FMR 1e-3 0.0405 (6 of 148); 23 impostor pairs at or above 0.45; highest impostor
 * 0.6016.
 */
class OpenSetEvalIT {
  @Test
  void floatEmbedderDoesNotRegressOnTheSharedFaces(@TempDir Path tmp) throws Exception {
    Path faces = TestData.sharedData().resolve("faces");
    Path scores = tmp.resolve("scores.csv");
    Path plot = tmp.resolve("plot.png");
    CliRun r =
        CliRun.run(
            new EvalCommand(),
            "--models",
            TestData.models().toString(),
            "--precision",
            "float",
            "--open-set",
            "--json",
            "--scores",
            scores.toString(),
            "--plot",
            plot.toString(),
            faces.toString());
    assertThat(r.exit()).as(r.err()).isZero();
    assertThat(r.err()).contains("scored 2,080 pairs");
    JsonNode json = new ObjectMapper().readTree(r.out());

    // every pair: 16 identities, 65 images, none missed
    assertThat(json.get("faces_missed").asInt()).isZero();
    assertThat(json.get("genuine_pairs").asInt()).isEqualTo(148);
    assertThat(json.get("impostor_pairs").asInt()).isEqualTo(1932);

    JsonNode at1e3 = json.get("fnmr_at_fmr").get("1e-3");
    assertThat(at1e3.get("supported").asBoolean()).isTrue();
    assertThat(at1e3.get("fnmr").asDouble()).isLessThanOrEqualTo(8.0 / 148); // today 6 of 148
    assertThat(at1e3.get("fmr_upper95").asDouble()).isGreaterThan(at1e3.get("fmr").asDouble());
    assertThat(json.get("fnmr_at_fmr").get("1e-4").get("note").asText())
        .isEqualTo("not supported: 1932 impostor pairs (needs 10000)");

    JsonNode at045 = json.get("fmr_at_threshold").get("0.45");
    assertThat(at045.get("impostors_at_or_above").asInt()).isLessThanOrEqualTo(29); // today 23
    assertThat(at045.get("fnmr").asDouble()).isLessThanOrEqualTo(2.0 / 148); // today 0

    for (String n : List.of("1000", "10000", "100000")) {
      assertThat(json.get("fpir").get(n).get("0.6").get("simulated").asDouble())
          .isBetween(0.0, 1.0);
      JsonNode point = json.get("fnir_at_fpir").get(n).get("0.01");
      assertThat(point.get("supported").asBoolean())
          .as("1,932 pairs cannot support N=" + n)
          .isFalse();
      assertThat(json.get("threshold_for").get(n).asDouble()).isBetween(0.5, 0.7);
    }

    assertThat(Files.readAllLines(scores))
        .hasSize(2081)
        .first()
        .isEqualTo("image_a,image_b,same,score");
    assertThat(ImageIO.read(plot.toFile())).isNotNull();
  }
}
