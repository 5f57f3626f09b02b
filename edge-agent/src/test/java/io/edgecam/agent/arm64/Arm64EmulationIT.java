package io.edgecam.agent.arm64;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.edgecam.face.image.TestData;
import io.edgecam.testing.Services;
import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The agent on arm64 (the devices' architecture), proven under emulation: an arm64 Java 17 userland
 * (built and cached by {@code device-config/arm64/make-sysroot}) runs the real {@code detect
 * --json} / {@code embed --json} commands under {@code qemu-aarch64-static -cpu cortex-a72} (a
 * Raspberry Pi 4) with the build's own test classpath, which holds both the linux-x86_64 and the
 * linux-arm64 natives of JavaCPP and TensorFlow Lite. Faces and embeddings must match the host
 * (x86_64) run of the same classpath; and, as a negative control, the arm64 JVM without the
 * linux-arm64 jars must fail to link.
 *
 * <p>Skipped, with the reason, where qemu or the arm64 userland cannot be set up (no apt, not root,
 * no network); fails instead when {@code EDGECAM_REQUIRE_SERVICES=1}. See docs/arm64.md.
 */
class Arm64EmulationIT {
  private static final ObjectMapper JSON = new ObjectMapper();

  /** Covers the one-time download of the sysroot (~30-50 s measured) with a wide margin. */
  private static final Duration SETUP_TIMEOUT = Duration.ofMinutes(10);

  /** One emulated JVM run; Invoke() is ~270x slower under qemu than native. */
  private static final Duration RUN_TIMEOUT = Duration.ofMinutes(5);

  private static final String CPU = "cortex-a72";
  private static final String THREADS = "2";
  private static final String JAVA_REL = "usr/lib/jvm/java-17-openjdk-arm64/bin/java";
  private static final List<String> SAMPLES =
      List.of("franck/franck_02221.jpg", "bill_gates/face1.jpg");

  /** Box and keypoint coordinates, in source pixels. */
  private static final double PX_TOLERANCE = 1.0;

  private static final double SCORE_TOLERANCE = 1e-3;
  private static final double ELEMENT_TOLERANCE = 1e-4;
  private static final double MIN_COSINE = 0.9999;

  private static Path root;
  private static Path sysroot;
  private static Path models;
  private static List<String> images;
  private static String classpath;

  /** Why this machine cannot run the check, or null; set by {@link #setUp}. */
  private static String skipReason;

  @TempDir Path tmp;

  /** Result of one child process; stdout and stderr went to files so the child cannot block. */
  private record Run(int exit, boolean timedOut, String out, String err, Duration took) {
    String tail() {
      String all = (out + "\n" + err).strip();
      return all.length() <= 4000 ? all : "..." + all.substring(all.length() - 4000);
    }
  }

  @BeforeAll
  static void setUp(@TempDir Path logs) throws Exception {
    root = TestData.root();
    models = root.resolve("models");

    Run setup =
        exec(
            List.of(
                "bash",
                root.resolve("device-config/arm64/make-sysroot").toString(),
                "--quiet",
                "--print"),
            logs,
            "setup",
            SETUP_TIMEOUT);
    if (setup.exit() != 0 || setup.timedOut()) {
      unavailable(
          "qemu-aarch64-static or the arm64 Java userland cannot be set up here ("
              + (setup.timedOut() ? "timed out after " + SETUP_TIMEOUT : lastLine(setup.err()))
              + ")");
      return;
    }
    sysroot = Path.of(lastLine(setup.out()));
    System.out.printf(
        "Arm64EmulationIT: qemu + arm64 sysroot ready in %.1f s (%s)%n",
        seconds(setup.took()), sysroot);

    Path samples = models.resolve("cache").resolve("samples");
    if (!SAMPLES.stream().allMatch(s -> Files.isRegularFile(samples.resolve(s)))) {
      Run fetch =
          exec(
              List.of("bash", models.resolve("fetch-samples").toString(), "--quiet"),
              logs,
              "fetch-samples",
              SETUP_TIMEOUT);
      if (fetch.exit() != 0 || fetch.timedOut()) {
        unavailable("sample photos cannot be fetched (" + lastLine(fetch.err()) + ")");
        return;
      }
    }
    images = SAMPLES.stream().map(s -> samples.resolve(s).toString()).toList();

    classpath =
        System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
    for (String platform : new String[] {"linux-x86_64", "linux-arm64"}) {
      for (String artifact : new String[] {"javacpp-", "tensorflow-lite-"}) {
        assertThat(entries(classpath))
            .as("test classpath holds the %s natives of %s", platform, artifact)
            .anyMatch(
                e ->
                    fileName(e).startsWith(artifact)
                        && fileName(e).endsWith("-" + platform + ".jar"));
      }
    }
  }

  /** Each test is reported as skipped, with the reason, where the check cannot run. */
  @BeforeEach
  void requireEmulation() {
    Assumptions.assumeTrue(skipReason == null, () -> skipReason);
  }

  @Test
  void arm64RunOfDetectAndEmbedMatchesTheX86Run() throws Exception {
    Path x86Json = tmp.resolve("x86_64.json");
    Run x86 = exec(probe(List.of(hostJava()), classpath, x86Json), tmp, "x86", RUN_TIMEOUT);
    assertThat(x86.exit()).as("x86 run:%n%s", x86.tail()).isZero();

    Path armJson = tmp.resolve("arm64.json");
    Run arm = exec(probe(armJava(), classpath, armJson), tmp, "arm64", RUN_TIMEOUT);
    assertThat(arm.timedOut()).as("arm64 run exceeded %s:%n%s", RUN_TIMEOUT, arm.tail()).isFalse();
    assertThat(arm.exit()).as("arm64 run:%n%s", arm.tail()).isZero();

    JsonNode a = JSON.readTree(x86Json.toFile());
    JsonNode b = JSON.readTree(armJson.toFile());
    assertThat(a.get("javacpp_platform").asText()).isEqualTo("linux-x86_64");
    assertThat(b.get("os_arch").asText()).isEqualTo("aarch64");
    assertThat(b.get("javacpp_platform").asText()).isEqualTo("linux-arm64");

    Deltas d = new Deltas();
    JsonNode detA = a.get("detect").get("images");
    JsonNode detB = b.get("detect").get("images");
    assertThat(detB).hasSameSizeAs(detA).hasSize(images.size());
    int faces = 0;
    for (int i = 0; i < detA.size(); i++) {
      String image = detA.get(i).get("file").asText();
      JsonNode fa = detA.get(i).get("faces");
      JsonNode fb = detB.get(i).get("faces");
      assertThat(fa).as("x86 faces in %s", image).isNotEmpty();
      assertThat(fb).as("arm64 face count in %s", image).hasSameSizeAs(fa);
      for (JsonNode face : fa) {
        d.face(image, face, nearest(face, fb));
        faces++;
      }
    }
    JsonNode embA = a.get("embed");
    JsonNode embB = b.get("embed");
    assertThat(embB).hasSameSizeAs(embA).hasSize(images.size());
    for (int i = 0; i < embA.size(); i++) {
      String image = embA.get(i).get("file").asText();
      d.face(image + " (embed)", embA.get(i).get("face"), embB.get(i).get("face"));
      d.embedding(image, embA.get(i).get("embedding"), embB.get(i).get("embedding"), 192);
    }
    JsonNode resA = a.get("embed_resnet34");
    JsonNode resB = b.get("embed_resnet34");
    assertThat(resB).hasSameSizeAs(resA).hasSize(images.size());
    for (int i = 0; i < resA.size(); i++) {
      String image = resA.get(i).get("file").asText() + " (faceapi-resnet34)";
      d.embedding(image, resA.get(i).get("embedding"), resB.get(i).get("embedding"), 128);
    }

    System.out.printf(
        Locale.ROOT,
        "Arm64EmulationIT: %d images, %d faces; arm64 (qemu %s) vs x86_64: max box/keypoint delta "
            + "%.2g px, max score delta %.2g, min embedding cosine %.9f, max embedding element "
            + "delta %.2g%n",
        images.size(),
        faces,
        CPU,
        d.px,
        d.score,
        d.cosine,
        d.element);
    System.out.printf(
        Locale.ROOT,
        "Arm64EmulationIT: x86_64 JVM %.1f s (detect %d ms, embed %d ms, ResNet-34 embed %d ms);"
            + " arm64 JVM under qemu %.1f s (detect %d ms, embed %d ms, ResNet-34 embed %d ms)%n",
        seconds(x86.took()),
        a.get("detect_ms").asLong(),
        a.get("embed_ms").asLong(),
        a.get("embed_resnet34_ms").asLong(),
        seconds(arm.took()),
        b.get("detect_ms").asLong(),
        b.get("embed_ms").asLong(),
        b.get("embed_resnet34_ms").asLong());
  }

  @Test
  void arm64JvmWithOnlyTheX86NativesFailsToLink() throws Exception {
    String x86Only =
        entries(classpath).stream()
            .filter(e -> !fileName(e).endsWith("-linux-arm64.jar"))
            .collect(Collectors.joining(File.pathSeparator));
    assertThat(x86Only).isNotEqualTo(classpath).contains("-linux-x86_64.jar");
    Path out = tmp.resolve("never.json");
    Run run = exec(probe(armJava(), x86Only, out), tmp, "arm64-x86-natives", RUN_TIMEOUT);
    assertThat(run.timedOut()).as("negative control exceeded %s", RUN_TIMEOUT).isFalse();
    assertThat(run.exit())
        .as("arm64 JVM with x86 natives only must fail:%n%s", run.tail())
        .isNotZero();
    assertThat(run.err()).as(run.tail()).contains("UnsatisfiedLinkError");
    assertThat(out).doesNotExist();
    System.out.printf(
        Locale.ROOT,
        "Arm64EmulationIT: negative control (arm64 JVM, x86_64 natives only) failed as it must "
            + "in %.1f s: %s%n",
        seconds(run.took()),
        firstLineWith(run.err(), "UnsatisfiedLinkError"));
  }

  /** Largest differences seen; every one is asserted as it is recorded. */
  private static final class Deltas {
    double px;
    double score;
    double cosine = 1;
    double element;

    void face(String image, JsonNode a, JsonNode b) {
      for (String k : new String[] {"x", "y", "width", "height"}) {
        px(image + " box." + k, a.get("box").get(k).asDouble(), b.get("box").get(k).asDouble());
      }
      JsonNode ka = a.get("keypoints");
      JsonNode kb = b.get("keypoints");
      assertThat(kb).hasSameSizeAs(ka);
      for (int k = 0; k < ka.size(); k++) {
        for (int c = 0; c < 2; c++) {
          px(image + " keypoint " + k, ka.get(k).get(c).asDouble(), kb.get(k).get(c).asDouble());
        }
      }
      double ds = Math.abs(a.get("score").asDouble() - b.get("score").asDouble());
      assertThat(ds).as("%s score delta", image).isLessThanOrEqualTo(SCORE_TOLERANCE);
      score = Math.max(score, ds);
    }

    private void px(String what, double a, double b) {
      double delta = Math.abs(a - b);
      assertThat(delta).as("%s: x86 %s, arm64 %s", what, a, b).isLessThanOrEqualTo(PX_TOLERANCE);
      px = Math.max(px, delta);
    }

    void embedding(String image, JsonNode a, JsonNode b, int dimension) {
      assertThat(a).as("%s embedding", image).hasSize(dimension);
      assertThat(b).as("%s embedding dimension", image).hasSameSizeAs(a);
      double dot = 0;
      double na = 0;
      double nb = 0;
      for (int i = 0; i < a.size(); i++) {
        double x = a.get(i).asDouble();
        double y = b.get(i).asDouble();
        dot += x * y;
        na += x * x;
        nb += y * y;
        double delta = Math.abs(x - y);
        assertThat(delta)
            .as("%s embedding[%d]: x86 %s, arm64 %s", image, i, x, y)
            .isLessThanOrEqualTo(ELEMENT_TOLERANCE);
        element = Math.max(element, delta);
      }
      double cos = dot / Math.sqrt(na * nb);
      assertThat(cos).as("%s embedding cosine", image).isGreaterThan(MIN_COSINE);
      cosine = Math.min(cosine, cos);
    }
  }

  /** The face of {@code candidates} whose box centre is nearest that of {@code face}. */
  private static JsonNode nearest(JsonNode face, JsonNode candidates) {
    JsonNode best = null;
    double bestDist = Double.MAX_VALUE;
    for (JsonNode c : candidates) {
      double dist = Math.hypot(cx(c) - cx(face), cy(c) - cy(face));
      if (dist < bestDist) {
        bestDist = dist;
        best = c;
      }
    }
    return best;
  }

  private static double cx(JsonNode face) {
    return face.get("box").get("x").asDouble() + face.get("box").get("width").asDouble() / 2;
  }

  private static double cy(JsonNode face) {
    return face.get("box").get("y").asDouble() + face.get("box").get("height").asDouble() / 2;
  }

  private static String hostJava() {
    return Path.of(System.getProperty("java.home"), "bin", "java").toString();
  }

  /** The emulated arm64 JVM: qemu with the sysroot as its library root, pinned to a Pi 4 CPU. */
  private static List<String> armJava() {
    return List.of(
        "qemu-aarch64-static",
        "-cpu",
        CPU,
        "-L",
        sysroot.toString(),
        sysroot.resolve(JAVA_REL).toString(),
        // C1 only and the serial GC: the JIT's own work is emulated too; results are unaffected.
        "-XX:TieredStopAtLevel=1",
        "-XX:+UseSerialGC");
  }

  private static List<String> probe(List<String> java, String cp, Path out) {
    List<String> cmd = new ArrayList<>(java);
    cmd.addAll(
        List.of(
            "-Djava.awt.headless=true",
            "-cp",
            cp,
            FaceProbe.class.getName(),
            out.toString(),
            models.toString(),
            THREADS));
    cmd.addAll(images);
    return cmd;
  }

  private static Run exec(List<String> cmd, Path dir, String name, Duration timeout)
      throws IOException, InterruptedException {
    Path out = dir.resolve(name + ".out");
    Path err = dir.resolve(name + ".err");
    long start = System.nanoTime();
    Process p =
        new ProcessBuilder(cmd)
            .directory(root.toFile())
            .redirectOutput(out.toFile())
            .redirectError(err.toFile())
            .start();
    boolean done = p.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS);
    if (!done) {
      p.descendants().forEach(ProcessHandle::destroyForcibly);
      p.destroyForcibly();
      p.waitFor();
    }
    Duration took = Duration.ofNanos(System.nanoTime() - start);
    return new Run(
        done ? p.exitValue() : -1, !done, Files.readString(out), Files.readString(err), took);
  }

  private static void unavailable(String reason) {
    if (Services.required()) {
      fail(reason + ", and EDGECAM_REQUIRE_SERVICES=1");
    }
    skipReason = reason + "; skipping";
    System.err.println("Arm64EmulationIT SKIPPED: " + skipReason);
  }

  private static List<String> entries(String cp) {
    return Arrays.stream(cp.split(File.pathSeparator)).filter(e -> !e.isBlank()).toList();
  }

  private static String fileName(String entry) {
    Path name = Path.of(entry).getFileName();
    return name == null ? entry : name.toString();
  }

  private static String lastLine(String text) {
    String[] lines = text.strip().split("\n");
    return lines.length == 0 || lines[lines.length - 1].isBlank()
        ? "no message"
        : lines[lines.length - 1].strip();
  }

  private static String firstLineWith(String text, String needle) {
    return text.lines().filter(l -> l.contains(needle)).findFirst().orElse("").strip();
  }

  private static double seconds(Duration d) {
    return d.toMillis() / 1000.0;
  }
}
