package io.edgecam.agent.update;

import static io.edgecam.agent.update.ModelTargets.EMBEDDER;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.edgecam.agent.track.Face;
import io.edgecam.face.image.Frame;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * kill -9 at each stage of a model update: the update client runs in its own JVM ({@link
 * UpdateCrashMain}), pauses at the named stage ({@code EDGECAM_UPDATE_PAUSE_AT}) and is killed with
 * SIGKILL there; the next start must run inference correctly with a valid model, and the update
 * must then complete.
 */
class ModelUpdateCrashIT {
  @TempDir Path dir;

  @ParameterizedTest(name = "kill -9 at {0}")
  @EnumSource(UpdateStage.class)
  void killAtStageLeavesAWorkingModelAndTheUpdateCompletesAfterRestart(UpdateStage stage)
      throws Exception {
    UpdateFixture given = new UpdateFixture(dir);
    new ModelTargets(given).addInt8Embedder(2);
    given.publish();
    Path config = dir.resolve("agent.yaml");
    Files.writeString(config, given.yaml(10, ""));
    Path marker = dir.resolve("state/updates/paused-at-" + stage.label());
    Path output = dir.resolve("crash-main.log");

    Process p = spawn(config, stage, output);
    try {
      await().atMost(Duration.ofMinutes(2)).until(() -> Files.exists(marker) || !p.isAlive());
      assertThat(p.isAlive()).as("paused at %s; output:%n%s", stage, log(output)).isTrue();
    } finally {
      p.destroyForcibly(); // SIGKILL: no shutdown hook, no finally blocks in the child
      assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
    }
    assertThat(p.exitValue()).isEqualTo(137); // 128 + SIGKILL

    Frame frame = Faces.frame(Faces.photo("angelina_jolie", "deepface_img2.jpg"));
    float[] floatEmbedding = Faces.embed(Faces.photo("angelina_jolie", "deepface_img2.jpg"));
    try (UpdateClient restarted = given.client()) {
      // The next start runs the built-in model, which works...
      assertThat(restarted.versions()).containsEntry("model." + EMBEDDER, "0");
      assertThat(dir.resolve("state/updates/models/" + EMBEDDER + "/2")).doesNotExist();
      assertThat(dir.resolve("state/updates/models/" + EMBEDDER + "/2.tmp")).doesNotExist();
      assertThat(Faces.cosine(embedding(restarted, frame), floatEmbedding)).isGreaterThan(0.9999);

      // ...and the interrupted update completes.
      given.refresh(restarted, true);

      assertThat(restarted.versions()).containsEntry("model." + EMBEDDER, "2");
      assertThat(Faces.cosine(embedding(restarted, frame), floatEmbedding)).isBetween(0.90, 0.9995);
    }
  }

  private static float[] embedding(UpdateClient c, Frame frame) {
    List<Face> faces = c.analyzer().analyze(frame);
    return faces.stream().filter(Face::hasEmbedding).findFirst().orElseThrow().embedding();
  }

  private static Process spawn(Path config, UpdateStage stage, Path output) throws Exception {
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    String cp =
        System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
    ProcessBuilder pb =
        new ProcessBuilder(java, "-cp", cp, UpdateCrashMain.class.getName(), config.toString())
            .redirectErrorStream(true)
            .redirectOutput(output.toFile());
    pb.environment().put(StageHook.ENV, stage.label());
    pb.environment().put("EDGECAM_MODELS", io.edgecam.face.image.TestData.models().toString());
    return pb.start();
  }

  private static String log(Path output) {
    try {
      return Files.readString(output);
    } catch (java.io.IOException e) {
      return "(no output: " + e + ")";
    }
  }
}
