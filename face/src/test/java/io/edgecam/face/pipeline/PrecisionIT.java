package io.edgecam.face.pipeline;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.edgecam.face.detect.BlazeFaceDetector;
import io.edgecam.face.detect.Detection;
import io.edgecam.face.image.Frame;
import io.edgecam.face.image.Images;
import io.edgecam.face.image.TestData;
import io.edgecam.face.inference.ModelLoadException;
import io.edgecam.face.inference.ModelStore;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PrecisionIT {
  private final ModelStore store = ModelStore.at(TestData.models());

  @Test
  void floatDetectorFindsTheGoldenFace() {
    try (BlazeFaceDetector d =
        new BlazeFaceDetector(
            store.open("blazeface-short-range", 1),
            store.anchors(store.manifest("blazeface-short-range")),
            0.5f)) {
      assertThat(d.detect(GoldenFace.draw())).hasSize(1);
    }
  }

  @Test
  void autoWithoutInt8ModelsFallsBackToFloatAndSaysWhy(@TempDir Path tmp) throws Exception {
    Files.createDirectories(tmp.resolve("cache"));
    for (String m : new String[] {"blazeface-short-range", "mobilefacenet"}) {
      Files.copy(store.dir().resolve(m + ".json"), tmp.resolve(m + ".json"));
      Files.copy(store.file(store.manifest(m)), tmp.resolve("cache").resolve(m + ".tflite"));
    }
    try (FacePipeline p = FacePipeline.open(PipelineConfig.defaults().withModelsDir(tmp))) {
      PrecisionReport r = p.precision();
      assertThat(r.chosen()).isEqualTo(Precision.FLOAT);
      assertThat(r.reason()).contains("int8 models not installed").contains("-int8 missing");
    }
    assertThatThrownBy(
            () ->
                FacePipeline.open(
                    PipelineConfig.defaults().withModelsDir(tmp).withPrecision(Precision.INT8)))
        .isInstanceOf(ModelLoadException.class)
        .hasMessageContaining(
            "precision int8 requested but model blazeface-short-range-int8 is not installed");
  }

  @Test
  void int8DetectorAgreesWithFloatOnRealFaces() {
    assumeTrue(store.has("blazeface-short-range-int8"), "int8 detector not installed; skipping");
    Path data = TestData.sharedData();
    try (BlazeFaceDetector f =
            new BlazeFaceDetector(
                store.open("blazeface-short-range", 1),
                store.anchors(store.manifest("blazeface-short-range")),
                0.5f);
        BlazeFaceDetector q =
            new BlazeFaceDetector(
                store.open("blazeface-short-range-int8", 1),
                store.anchors(store.manifest("blazeface-short-range-int8")),
                0.5f)) {
      for (String image :
          new String[] {
            "faces/angelina_jolie/deepface_img1.jpg",
            "faces/elon_musk/deepface_img18.jpg",
            "group/deepface_couple.jpg"
          }) {
        Frame frame = Images.read(data.resolve(image));
        var floats = f.detect(frame);
        var ints = q.detect(frame);
        assertThat(ints).as(image).hasSameSizeAs(floats);
        for (Detection d : floats) {
          double bestIou = ints.stream().mapToDouble(d::iou).max().orElse(0);
          assertThat(bestIou).as(image).isGreaterThan(0.8);
        }
      }
    }
  }

  @Test
  void autoMeasuresBothWhenInt8IsInstalled() {
    assumeTrue(
        store.has("blazeface-short-range-int8") && store.has("mobilefacenet-int8"),
        "int8 models not installed; skipping");
    PipelineConfig config = PipelineConfig.defaults().withModelsDir(store.dir()).withThreads(1);
    PrecisionReport first;
    try (FacePipeline p = FacePipeline.open(config)) {
      first = p.precision();
      assertThat(first.floatDetectorMs()).isPositive();
      assertThat(first.int8DetectorMs()).isPositive();
      assertThat(first.embedderCosine()).isGreaterThan(0.5);
      assertThat(first.reason()).isNotBlank();
      assertThat(first.detectorModel())
          .endsWith(first.chosen() == Precision.INT8 ? "-int8" : "range");
    }
    try (FacePipeline p = FacePipeline.open(config)) {
      assertThat(p.precision()).as("recorded choice reused").isEqualTo(first);
    }
  }
}
