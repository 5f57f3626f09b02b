package io.edgecam.agent.service;

import static org.assertj.core.api.Assertions.assertThat;

import io.edgecam.agent.config.AgentConfig;
import io.edgecam.agent.track.Face;
import io.edgecam.face.image.Images;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The adapter on the real TFLite pipeline and real photos (../shared/data). */
class FacePipelineAnalyzerIT {
  @TempDir Path dir;

  @Test
  void realPhotoGivesFacesWithBoxesQualityAndUnitEmbeddings() throws Exception {
    Path root = Path.of(System.getProperty("edgecam.root", ".."));
    Path faces = root.resolveSibling("shared").resolve("data").resolve("faces");
    Assumptions.assumeTrue(Files.isDirectory(faces), "no test images at " + faces);
    Path image;
    try (Stream<Path> s = Files.walk(faces)) {
      image = s.filter(p -> p.toString().endsWith(".jpg")).sorted().findFirst().orElseThrow();
    }
    AgentConfig config =
        AgentConfig.parse(
            "device: d\nsite: s\nsource: {path: x}\npipeline: {precision: float}\n",
            "agent.yaml",
            dir);

    try (FacePipelineAnalyzer analyzer = FacePipelineAnalyzer.open(config.pipeline())) {
      List<Face> found = analyzer.analyze(Images.read(image));

      assertThat(found).isNotEmpty();
      Face best = found.stream().filter(Face::hasEmbedding).findFirst().orElseThrow();
      assertThat(best.box().width()).isPositive();
      assertThat(best.quality()).isBetween(0.05f, 1f);
      double norm = 0;
      for (float v : best.embedding()) {
        norm += v * v;
      }
      assertThat(Math.sqrt(norm)).isCloseTo(1.0, org.assertj.core.data.Offset.offset(1e-3));
      assertThat(analyzer.versions()).containsKeys("detector", "embedder", "precision");
      // The short tag from the embedder manifest keeps candidates within 256 bytes.
      assertThat(analyzer.modelTag()).isEqualTo("mfn-1.0.24");
    }
  }
}
