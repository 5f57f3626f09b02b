package io.edgecam.face.inference;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.edgecam.face.image.TestData;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TfliteInferenceEngineIT {
  private final ModelStore store = ModelStore.at(TestData.models());

  @Test
  void runsDetectorWithManifestShapes() {
    try (InferenceEngine engine = store.open("blazeface-short-range", 2)) {
      assertThat(engine.input(0)).hasSize(128 * 128 * 3);
      Arrays.fill(engine.input(0), -1f);
      engine.invoke();
      assertThat(engine.output(0)).hasSize(896 * 16);
      assertThat(engine.output(1)).hasSize(896);
      assertThat(engine.lastInvokeNanos()).isPositive();
      float maxLogit = Float.NEGATIVE_INFINITY;
      for (float logit : engine.output(1)) {
        maxLogit = Math.max(maxLogit, logit);
      }
      assertThat(maxLogit).as("no face in a uniform image").isLessThan(0f);
    }
  }

  @Test
  void truncatedModelFileIsAClearError(@TempDir Path tmp) throws Exception {
    ModelManifest manifest = store.manifest("blazeface-short-range");
    Path truncated = tmp.resolve("truncated.tflite");
    byte[] bytes = Files.readAllBytes(store.file(manifest));
    Files.write(truncated, Arrays.copyOf(bytes, bytes.length / 3));

    assertThatThrownBy(() -> TfliteInferenceEngine.open(truncated, manifest, 1))
        .isInstanceOf(ModelLoadException.class)
        .hasMessageContaining(truncated.toString())
        .hasMessageContaining("truncated or corrupt");
  }

  @Test
  void storeRejectsFileWhoseHashDiffersFromManifest(@TempDir Path tmp) throws Exception {
    Files.createDirectories(tmp.resolve("cache"));
    Files.copy(
        store.dir().resolve("blazeface-short-range.json"),
        tmp.resolve("blazeface-short-range.json"));
    byte[] bytes = Files.readAllBytes(store.file(store.manifest("blazeface-short-range")));
    Path model = tmp.resolve("cache").resolve("blazeface-short-range.tflite");
    Files.write(model, Arrays.copyOf(bytes, bytes.length - 100));

    assertThatThrownBy(() -> ModelStore.at(tmp).open("blazeface-short-range", 1))
        .isInstanceOf(ModelLoadException.class)
        .hasMessageContaining(model.toString())
        .hasMessageContaining("sha256 mismatch")
        .hasMessageContaining("3bc182eb9f33925d9e58b5c8d59308a760f4adea8f282370e428c51212c26633");
  }

  @Test
  void manifestShapeMismatchIsAClearError() {
    ModelManifest real = store.manifest("blazeface-short-range");
    ModelManifest wrong =
        new ModelManifest(
            real.name(),
            real.tag(),
            real.kind(),
            real.version(),
            real.precision(),
            real.file(),
            real.source(),
            null,
            real.sha256(),
            real.size(),
            real.license(),
            store.manifest("blazeface-full-range").inputs(),
            real.outputs(),
            real.preprocessing(),
            real.anchors());

    assertThatThrownBy(() -> TfliteInferenceEngine.open(store.file(real), wrong, 1))
        .isInstanceOf(ModelLoadException.class)
        .hasMessageContaining("shape [1, 128, 128, 3]")
        .hasMessageContaining("[1, 192, 192, 3]");
  }
}
