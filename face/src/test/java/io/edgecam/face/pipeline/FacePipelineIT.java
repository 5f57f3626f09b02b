package io.edgecam.face.pipeline;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.edgecam.face.align.AlignedFace;
import io.edgecam.face.align.FaceAligner;
import io.edgecam.face.detect.Detection;
import io.edgecam.face.embed.Vectors;
import io.edgecam.face.image.Frame;
import io.edgecam.face.image.Images;
import io.edgecam.face.image.TestData;
import io.edgecam.face.quality.QualityThresholds;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The float pipeline on real images against the shared data and an independent reference. */
class FacePipelineIT {
  private static FacePipeline pipeline;
  private static Path data;

  @BeforeAll
  static void open() {
    data = TestData.sharedData();
    pipeline =
        FacePipeline.open(
            PipelineConfig.defaults()
                .withModelsDir(TestData.models())
                .withPrecision(Precision.FLOAT)
                .withQuality(QualityThresholds.OFF));
  }

  @AfterAll
  static void close() {
    if (pipeline != null) {
      pipeline.close();
    }
  }

  @Test
  void matchesReferenceKeypointsAndEmbedding() throws Exception {
    JsonNode ref = new ObjectMapper().readTree(data.resolve("reference-pipeline.json").toFile());
    for (JsonNode image : ref.get("images")) {
      var frame = Images.read(data.resolve(image.get("image").asText()));
      FaceResult result = pipeline.best(frame);
      assertThat(result).as(image.get("image").asText()).isNotNull();
      Detection d = result.detection();
      assertThat(d.score()).isCloseTo((float) image.get("score").asDouble(), within(0.05f));
      for (int k = 0; k < 6; k++) {
        JsonNode kp = image.get("kps").get(k);
        // "A few pixels": resampling differs (ours antialiases); 6 px is < 1 model-input pixel
        // here.
        assertThat(d.keypointX(k))
            .as("kp %d x", k)
            .isCloseTo((float) kp.get(0).asDouble(), within(6f));
        assertThat(d.keypointY(k))
            .as("kp %d y", k)
            .isCloseTo((float) kp.get(1).asDouble(), within(6f));
      }
      AlignedFace aligned = new AlignedFace();
      new FaceAligner().align(frame, d, aligned);
      double[] mean = aligned.meanRgb();
      for (int c = 0; c < 3; c++) {
        assertThat(mean[c]).isCloseTo(image.get("aligned_mean_rgb").get(c).asDouble(), within(3.0));
      }
      float[] prefix = new float[8];
      float[] refPrefix = new float[8];
      for (int i = 0; i < 8; i++) {
        prefix[i] = result.embedding()[i];
        refPrefix[i] = (float) image.get("emb_l2n_first8").get(i).asDouble();
      }
      assertThat(Vectors.cosine(prefix, refPrefix))
          .as("embedding prefix cosine")
          .isGreaterThan(0.95);
    }
  }

  @Test
  void coupleHasTwoFaces() {
    assertThat(pipeline.detect(Images.read(data.resolve("group/deepface_couple.jpg")))).hasSize(2);
  }

  /**
   * The counts a person sees ({@code group-counts.csv}), with the still-photo detector: the
   * whole-frame pass alone finds 1 of 6 in the multi-face photo (faces ~11 px at 128 px input) and
   * 4 of 7 in the selfie (two faces cut by the border, one filling a corner).
   */
  @Test
  void groupPhotoCountsMatchTheCsvWithTiles() throws Exception {
    List<String> lines = Files.readAllLines(data.resolve("group-counts.csv"));
    try (FacePipeline tiles =
        FacePipeline.open(pipeline.config().withDetector(DetectorKind.SHORT_TILES))) {
      for (String line : lines.subList(1, lines.size())) {
        String[] cols = line.split(",", 3);
        Frame frame = Images.read(data.resolve(cols[0]));
        assertThat(tiles.detect(frame)).as(cols[0]).hasSize(Integer.parseInt(cols[1]));
        assertThat(tiles.process(frame)).as(cols[0]).hasSize(Integer.parseInt(cols[1]));
      }
      try (var files = Files.list(data.resolve("noface"))) {
        for (Path file : files.toList()) {
          assertThat(tiles.detect(Images.read(file))).as(file.toString()).isEmpty();
        }
      }
    }
  }

  /**
   * Measured, not wished: the whole-frame modes stay as they were (the camera loop uses them).
   * Full-range finds the multi-face photo's 6 plus a box on the stair railing (score 0.57, the
   * weakest real face 0.68, so no threshold separates them cleanly) and 4 of the selfie's 7;
   * short-range finds 1 and 4. These bounds pin today's figures so that a regression fails.
   */
  @Test
  void groupPhotoCountsOfTheWholeFrameModes() throws Exception {
    try (FacePipeline full = FacePipeline.open(pipeline.config().withDetector(DetectorKind.FULL))) {
      assertThat(full.detect(Images.read(data.resolve("group/deepface_couple.jpg")))).hasSize(2);
      assertThat(full.detect(Images.read(data.resolve("group/facenetpytorch_multiface.jpg"))))
          .hasSizeBetween(6, 7);
      assertThat(full.detect(Images.read(data.resolve("group/deepface_selfie-many-people.jpg"))))
          .hasSizeBetween(4, 7);
    }
    assertThat(pipeline.detect(Images.read(data.resolve("group/deepface_selfie-many-people.jpg"))))
        .hasSizeBetween(4, 7);
  }

  @Test
  void samePersonScoresAboveDifferentPerson() {
    float[] jolie1 = embed("faces/angelina_jolie/deepface_img1.jpg");
    float[] jolie2 = embed("faces/angelina_jolie/deepface_img2.jpg");
    float[] musk = embed("faces/elon_musk/deepface_img18.jpg");
    double same = Vectors.cosine(jolie1, jolie2);
    assertThat(same).isGreaterThan(0.45);
    assertThat(Vectors.cosine(jolie1, musk)).isLessThan(0.3).isLessThan(same);
  }

  private float[] embed(String file) {
    return pipeline.best(Images.read(data.resolve(file))).embedding();
  }
}
