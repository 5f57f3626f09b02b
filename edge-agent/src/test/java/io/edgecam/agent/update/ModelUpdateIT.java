package io.edgecam.agent.update;

import static io.edgecam.agent.update.ModelTargets.DETECTOR;
import static io.edgecam.agent.update.ModelTargets.EMBEDDER;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.edgecam.agent.service.FaceAnalyzer;
import io.edgecam.agent.track.Face;
import io.edgecam.face.image.Frame;
import io.edgecam.face.image.TestData;
import io.edgecam.face.inference.InferenceException;
import io.edgecam.protocol.Health;
import io.edgecam.protocol.tuf.DirectoryFetcher;
import io.edgecam.protocol.tuf.EdgecamTarget;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Model OTA end to end on real models and photos: the committed int8 MobileFaceNet is version 2 of
 * the float {@code mobilefacenet} slot; BlazeFace full-range offered for the short-range slot is
 * the tensor mismatch.
 */
class ModelUpdateIT {
  @TempDir Path dir;
  private UpdateFixture given;
  private ModelTargets models;
  private Path jolie2;

  @BeforeEach
  void repository() throws Exception {
    given = new UpdateFixture(dir);
    models = new ModelTargets(given);
    jolie2 = Faces.photo("angelina_jolie", "deepface_img2.jpg");
  }

  private Map<String, String> last() {
    List<Map<String, String>> r = given.results("model");
    assertThat(r).isNotEmpty();
    return r.get(r.size() - 1);
  }

  private static float[] embedding(FaceAnalyzer a, Frame frame) {
    return a.analyze(frame).stream()
        .filter(Face::hasEmbedding)
        .max((x, y) -> Float.compare(x.score(), y.score()))
        .orElseThrow()
        .embedding();
  }

  @Test
  void modelUpdatePassesSelfTestSwapsAndInferenceStaysCorrectAfterRestart() throws Exception {
    String path = models.addInt8Embedder(2);
    given.publish();
    Frame frame = Faces.frame(jolie2);
    float[] floatEmbedding = Faces.embed(jolie2);

    try (UpdateClient c = given.client()) {
      assertThat(c.versions()).containsEntry("model." + EMBEDDER, "0");
      given.refresh(c, true);

      assertThat(given.results("model"))
          .extracting(m -> m.get("result"))
          .containsExactly("staged", "applied");
      assertThat(last())
          .containsEntry("name", EMBEDDER)
          .containsEntry("target", path)
          .containsEntry("version", "2");
      assertThat(c.versions()).containsEntry("model." + EMBEDDER, "2");
      float[] int8 = embedding(c.analyzer(), frame);
      // The int8 model runs now: close to float (same space) but not the float output.
      assertThat(Faces.cosine(int8, floatEmbedding)).isBetween(0.90, 0.9995);
      // and still recognizes the person of the golden image.
      assertThat(Faces.cosine(int8, Faces.embed(models.golden()))).isGreaterThan(0.45);
      assertThat(c.analyzer().modelTag()).isEqualTo(Faces.TAG);
    }

    try (UpdateClient restarted = given.client()) {
      assertThat(restarted.versions()).containsEntry("model." + EMBEDDER, "2");
      float[] again = embedding(restarted.analyzer(), frame);
      assertThat(Faces.cosine(again, floatEmbedding)).isBetween(0.90, 0.9995);
    }
  }

  /** The status LED's "updating" signal: on while a model is staged and swapped, off after. */
  @Test
  void updatingIsTrueWhileAModelIsAppliedAndFalseAfter() throws Exception {
    models.addInt8Embedder(2);
    given.publish();
    try (UpdateClient c = given.client()) {
      java.util.List<Boolean> seen = new java.util.concurrent.CopyOnWriteArrayList<>();
      assertThat(c.updating()).isFalse();
      c.start(
          new io.edgecam.protocol.tuf.DirectoryFetcher(given.repoDir), e -> seen.add(c.updating()));
      c.refreshNow().get(120, java.util.concurrent.TimeUnit.SECONDS);
      assertThat(seen)
          .as("updating() as each update event was sent")
          .isNotEmpty()
          .containsOnly(true);
      assertThat(c.updating()).isFalse();
      assertThat(c.versions()).containsEntry("model." + EMBEDDER, "2");
    }
  }

  @Test
  void selfTestFailureRejectsAndKeepsTheOldModel() throws Exception {
    byte[] file = ModelTargets.int8Embedder();
    ObjectNode m = ModelTargets.manifest("mobilefacenet-int8", EMBEDDER, 2, file);
    // The maintainer's expectation is the float model's output, with a tolerance int8 cannot meet.
    byte[] floatFile = Files.readAllBytes(TestData.models().resolve("cache/mobilefacenet.tflite"));
    EdgecamTarget.SelfTest floatExpected =
        models.expectation(
            given.config(),
            EMBEDDER,
            ModelTargets.manifest("mobilefacenet", EMBEDDER, 1, floatFile),
            floatFile,
            0.999);
    String path = models.add(EMBEDDER, 2, file, m, floatExpected);
    given.publish();

    try (UpdateClient c = given.client()) {
      given.refresh(c, true);

      assertThat(last())
          .containsEntry("result", "rejected")
          .containsEntry("target", path)
          .containsEntry("version", "2");
      assertThat(last().get("reason"))
          .matches("selftest: embedding cosine 0\\.9\\d+ .*below 0.999");
      assertThat(c.versions()).containsEntry("model." + EMBEDDER, "0");
      float[] e = embedding(c.analyzer(), Faces.frame(jolie2));
      assertThat(Faces.cosine(e, Faces.embed(jolie2))).isGreaterThan(0.9999);
      assertThat(dir.resolve("state/updates/models/" + EMBEDDER + "/2")).doesNotExist();
      int before = given.events.size();

      given.refresh(c, false); // not downloaded and tested again

      assertThat(given.events).hasSize(before);
    }
  }

  @Test
  void tensorMismatchIsRejectedBeforeTheSwap() throws Exception {
    byte[] file = ModelTargets.fullRangeDetector();
    ObjectNode m = ModelTargets.manifest("blazeface-full-range", DETECTOR, 2, file);
    String path =
        models.add(
            DETECTOR,
            2,
            file,
            m,
            new EdgecamTarget.SelfTest(ModelTargets.GOLDEN, 0, new float[0], 0.9));
    given.publish();

    try (UpdateClient c = given.client()) {
      given.refresh(c, true);

      assertThat(last())
          .containsEntry("result", "rejected")
          .containsEntry("target", path)
          .containsEntry(
              "reason",
              "tensors: input 0 is [1, 192, 192, 3] float32, the pipeline expects [1, 128, 128, 3]"
                  + " float32");
      assertThat(c.versions()).containsEntry("model." + DETECTOR, "0");
      assertThat(dir.resolve("state/updates/models/" + DETECTOR + "/2")).doesNotExist();
    }
  }

  @Test
  void modelFileContradictingItsManifestIsRejectedBeforeTheSwap() throws Exception {
    byte[] file = ModelTargets.fullRangeDetector(); // a 192x192 model...
    ObjectNode m = ModelTargets.manifest(DETECTOR, DETECTOR, 2, file); // ...declared as 128x128
    String path =
        models.add(
            DETECTOR,
            2,
            file,
            m,
            new EdgecamTarget.SelfTest(ModelTargets.GOLDEN, 1, new float[] {1}, 0.9));
    given.publish();

    try (UpdateClient c = given.client()) {
      given.refresh(c, true);

      assertThat(last()).containsEntry("result", "rejected").containsEntry("target", path);
      assertThat(last().get("reason"))
          .startsWith("load: ")
          .contains(
              "input 0 has shape [1, 192, 192, 3], manifest "
                  + DETECTOR
                  + " says [1, 128, 128, 3]");
      assertThat(c.versions()).containsEntry("model." + DETECTOR, "0");
    }
  }

  @Test
  void inferenceFailureDuringProbationRollsBackToThePreviousModel() throws Exception {
    models.addInt8Embedder(2);
    given.publish();
    AtomicInteger created = new AtomicInteger();
    AnalyzerFactory failingSecond =
        pipeline -> {
          FaceAnalyzer real = AnalyzerFactory.DEFAULT.create(pipeline);
          return created.incrementAndGet() == 1 ? real : new FailsOnSecondFrame(real);
        };
    Frame frame = Faces.frame(jolie2);

    try (UpdateClient c = given.client(StageHook.NONE, failingSecond)) {
      given.refresh(c, true);
      assertThat(c.versions()).containsEntry("model." + EMBEDDER, "2");
      assertThat(embedding(c.analyzer(), frame)).isNotNull(); // frame 1 on v2: fine

      float[] afterFailure = embedding(c.analyzer(), frame); // frame 2 fails, v1 analyzes it

      assertThat(Faces.cosine(afterFailure, Faces.embed(jolie2))).isGreaterThan(0.9999);
      c.refreshNow().get(); // the rollback was queued on the update thread before this
      assertThat(last())
          .containsEntry("result", "rolled_back")
          .containsEntry("version", "2")
          .containsEntry("reason", "probation: inference failed: injected: Invoke() failed");
      assertThat(c.versions()).containsEntry("model." + EMBEDDER, "0");
      assertThat(c.analyzer().health()).isEqualTo(Health.ok());
      int before = given.events.size();
      c.refreshNow().get();
      assertThat(given.events).hasSize(before); // the rolled-back model is not applied again
    }
    try (UpdateClient restarted = given.client()) {
      assertThat(restarted.versions()).containsEntry("model." + EMBEDDER, "0");
    }
  }

  @Test
  void damagedActiveModelFallsBackToTheBuiltInOneAtStart() throws Exception {
    models.addInt8Embedder(2);
    given.publish();
    try (UpdateClient c = given.client()) {
      given.refresh(c, true);
      assertThat(c.versions()).containsEntry("model." + EMBEDDER, "2");
    }
    Path file = dir.resolve("state/updates/models/" + EMBEDDER + "/2/model.tflite");
    byte[] bytes = Files.readAllBytes(file);
    Files.write(file, java.util.Arrays.copyOf(bytes, bytes.length / 2)); // torn by a disk fault

    try (UpdateClient restarted = given.client()) {
      assertThat(restarted.versions()).containsEntry("model." + EMBEDDER, "0");
      float[] e = embedding(restarted.analyzer(), Faces.frame(jolie2));
      assertThat(Faces.cosine(e, Faces.embed(jolie2))).isGreaterThan(0.9999);
      restarted.start(new DirectoryFetcher(dir.resolve("nowhere")), given.events::add);
      Map<String, String> fallback =
          given.results("model").stream()
              .filter(r -> r.get("result").equals("rolled_back"))
              .findFirst()
              .orElseThrow();
      assertThat(fallback).containsEntry("version", "2").containsEntry("target", "");
      assertThat(fallback.get("reason")).startsWith("start: model file has");
    }
  }

  /** The new model's inference fails from its second frame on (a fault the self-test missed). */
  private static final class FailsOnSecondFrame implements FaceAnalyzer {
    private final FaceAnalyzer real;
    private int frames;

    FailsOnSecondFrame(FaceAnalyzer real) {
      this.real = real;
    }

    @Override
    public List<Face> analyze(Frame frame) {
      if (++frames >= 2) {
        throw new InferenceException("injected: Invoke() failed");
      }
      return real.analyze(frame);
    }

    @Override
    public String modelTag() {
      return real.modelTag();
    }

    @Override
    public Map<String, String> versions() {
      return real.versions();
    }

    @Override
    public Health health() {
      return real.health();
    }

    @Override
    public void close() {
      real.close();
    }
  }
}
