package io.edgecam.agent.update;

import static io.edgecam.agent.update.ModelTargets.EMBEDDER;
import static org.assertj.core.api.Assertions.assertThat;

import io.edgecam.agent.track.Face;
import io.edgecam.face.image.Frame;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * kill -9 at 20 random points of a model update, not at the named stages of {@link
 * ModelUpdateCrashIT} but wherever the clock lands (JVM start, TUF refresh, download, verify,
 * self-test, swap, after it). After each kill the next start must run inference correctly: with the
 * built-in float model if the swap had not happened, with the new int8 one if it had, never with a
 * half-written or untested model. The seed is printed so a failure can be replayed.
 */
class ModelSwapKillLoopIT {
  private static final int KILLS = 20;

  @TempDir Path dir;

  @Test
  void twentyRandomKillsDuringAModelUpdateAlwaysLeaveAWorkingModel() throws Exception {
    long seed = System.nanoTime();
    System.out.println("ModelSwapKillLoopIT: seed " + seed);
    Random random = new Random(seed);
    Frame frame = Faces.frame(Faces.photo("angelina_jolie", "deepface_img2.jpg"));
    float[] floatEmbedding = Faces.embed(Faces.photo("angelina_jolie", "deepface_img2.jpg"));

    // Calibrate: how long an uninterrupted update takes here, child JVM start included.
    long fullMillis = runToEnd(fixture(dir.resolve("calibration")));
    TreeMap<String, Integer> outcomes = new TreeMap<>();
    List<String> log = new ArrayList<>();
    for (int i = 0; i < KILLS; i++) {
      Path run = dir.resolve("kill-" + i);
      UpdateFixture given = fixture(run);
      long killAfter = 200 + (long) (random.nextDouble() * fullMillis * 1.1);
      Process p = spawn(run);
      TimeUnit.MILLISECONDS.sleep(killAfter);
      boolean finished = !p.isAlive();
      p.destroyForcibly();
      assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();

      try (UpdateClient restarted = given.client()) {
        String version = restarted.versions().get("model." + EMBEDDER);
        double cosine = Faces.cosine(embedding(restarted, frame), floatEmbedding);
        log.add(
            String.format(
                "kill %d after %d ms%s: model v%s, cosine %.5f",
                i, killAfter, finished ? " (already done)" : "", version, cosine));
        if ("0".equals(version)) {
          assertThat(cosine).as("built-in float model after kill %d", i).isGreaterThan(0.9999);
        } else {
          assertThat(version)
              .as("only the tested v2 can be active after kill %d", i)
              .isEqualTo("2");
          assertThat(cosine).as("int8 v2 after kill %d", i).isBetween(0.90, 0.9995);
        }
        assertThat(run.resolve("state/updates/models/" + EMBEDDER + "/2.tmp"))
            .as("no half-written model directory is ever used")
            .satisfiesAnyOf(
                tmp -> assertThat(tmp).doesNotExist(), tmp -> assertThat(version).isEqualTo("0"));
        outcomes.merge("v" + version, 1, Integer::sum);
      }
    }
    log.forEach(System.out::println);
    System.out.println("ModelSwapKillLoopIT: update takes ~" + fullMillis + " ms; " + outcomes);
  }

  private static UpdateFixture fixture(Path run) throws Exception {
    Files.createDirectories(run);
    UpdateFixture given = new UpdateFixture(run);
    new ModelTargets(given).addInt8Embedder(2);
    given.publish();
    Files.writeString(run.resolve("agent.yaml"), given.yaml(10, ""));
    return given;
  }

  private static long runToEnd(UpdateFixture given) throws Exception {
    Path run = given.dir;
    long t0 = System.nanoTime();
    Process p = spawn(run);
    assertThat(p.waitFor(3, TimeUnit.MINUTES)).as("calibration run ends").isTrue();
    assertThat(p.exitValue())
        .as("calibration run; output:%n%s", Files.readString(run.resolve("child.log")))
        .isZero();
    return (System.nanoTime() - t0) / 1_000_000;
  }

  private static float[] embedding(UpdateClient c, Frame frame) {
    List<Face> faces = c.analyzer().analyze(frame);
    return faces.stream().filter(Face::hasEmbedding).findFirst().orElseThrow().embedding();
  }

  private static Process spawn(Path run) throws Exception {
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    String cp =
        System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
    ProcessBuilder pb =
        new ProcessBuilder(
                java,
                "-cp",
                cp,
                UpdateCrashMain.class.getName(),
                run.resolve("agent.yaml").toString())
            .redirectErrorStream(true)
            .redirectOutput(ProcessBuilder.Redirect.appendTo(run.resolve("child.log").toFile()));
    pb.environment().put("EDGECAM_MODELS", io.edgecam.face.image.TestData.models().toString());
    return pb.start();
  }
}
