package io.edgecam.face.pipeline;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.edgecam.face.embed.FaceInput;
import io.edgecam.face.image.TestData;
import io.edgecam.face.inference.ModelLoadException;
import io.edgecam.face.inference.ModelManifest;
import io.edgecam.face.inference.ModelStore;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The face-api ResNet-34 embedder: its manifests agree with the code, and its files are pinned. */
class EmbedderKindTest {
  @TempDir Path dir;

  @Test
  void faceInputMatchesTheManifestsFaceInputBlock() throws IOException {
    for (String name : List.of("faceapi-resnet34", "faceapi-resnet34-int8")) {
      Path json = TestData.models().resolve(name + ".json");
      JsonNode m = new ObjectMapper().readTree(json.toFile());
      JsonNode in = m.get("faceInput");
      FaceInput code = EmbedderKind.FACEAPI_RESNET34.input();
      assertThat(in.get("size").asInt()).as(name).isEqualTo(code.size());
      double[] t = code.template();
      for (int i = 0; i < 4; i++) {
        assertThat(in.get("template").get(i).get(0).asDouble()).isCloseTo(t[2 * i], within(1e-9));
        assertThat(in.get("template").get(i).get(1).asDouble())
            .isCloseTo(t[2 * i + 1], within(1e-9));
      }
      for (int c = 0; c < 3; c++) {
        assertThat(in.get("mean").get(c).asDouble()).isCloseTo(code.mean()[c], within(1e-4));
        assertThat(in.get("scale").get(c).asDouble()).isCloseTo(code.scale()[c], within(1e-8));
      }
      ModelManifest manifest = ModelManifest.read(json);
      assertThat(manifest.inputs().get(0).shape()).containsExactly(2, 150, 150, 3);
      assertThat(manifest.outputs().get(0).shape()).containsExactly(2, 128);
      assertThat(manifest.wireTag()).isEqualTo("far34-1.7.15");
    }
  }

  @Test
  void modelTagDiffersFromMobileFaceNets() {
    ModelStore store = ModelStore.at(TestData.models());
    assertThat(store.manifest("faceapi-resnet34").wireTag())
        .isNotEqualTo(store.manifest("mobilefacenet").wireTag());
    assertThat(store.manifest("faceapi-resnet34-int8").wireTag())
        .isEqualTo(store.manifest("faceapi-resnet34").wireTag());
  }

  @Test
  void parsesModelNamesOnly() {
    assertThat(EmbedderKind.parse("FaceApi-ResNet34")).isEqualTo(EmbedderKind.FACEAPI_RESNET34);
    assertThat(EmbedderKind.parse("mobilefacenet")).isEqualTo(EmbedderKind.MOBILEFACENET);
    assertThatThrownBy(() -> EmbedderKind.parse("arcface"))
        .hasMessageContaining("mobilefacenet or faceapi-resnet34")
        .hasMessageContaining("'arcface'");
  }

  @Test
  void truncatedCommittedModelIsRefusedWithItsName() throws IOException {
    Path models = TestData.models();
    Files.copy(models.resolve("faceapi-resnet34.json"), dir.resolve("faceapi-resnet34.json"));
    Files.createDirectories(dir.resolve("faceapi"));
    byte[] model = Files.readAllBytes(models.resolve("faceapi/faceapi-resnet34.tflite"));
    Files.write(
        dir.resolve("faceapi/faceapi-resnet34.tflite"), Arrays.copyOf(model, model.length / 2));
    ModelStore store = ModelStore.at(dir);
    assertThatThrownBy(() -> store.open("faceapi-resnet34", 1))
        .isInstanceOf(ModelLoadException.class)
        .hasMessageContaining("faceapi-resnet34.tflite")
        .hasMessageContaining("sha256 mismatch");
  }
}
