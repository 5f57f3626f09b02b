package io.edgecam.agent.update;

import com.fasterxml.jackson.databind.node.MissingNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.edgecam.agent.config.AgentConfig;
import io.edgecam.agent.service.FacePipelineAnalyzer;
import io.edgecam.face.image.Images;
import io.edgecam.face.image.TestData;
import io.edgecam.face.inference.ModelStore;
import io.edgecam.face.pipeline.FacePipeline;
import io.edgecam.face.pipeline.FaceResult;
import io.edgecam.protocol.tuf.EdgecamTarget;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.HexFormat;

/**
 * What a maintainer's {@code model publish} puts into the repository, built from the real model
 * files of models/: the new model (with its manifest renamed to the slot it replaces), the golden
 * image, and the self-test expectation computed by running the new model on it.
 */
final class ModelTargets {
  static final String EMBEDDER = "mobilefacenet";
  static final String DETECTOR = "blazeface-short-range";
  static final String GOLDEN = "models/golden.jpg";

  private final UpdateFixture given;
  private final Path golden;

  ModelTargets(UpdateFixture given) throws IOException {
    this.given = given;
    this.golden = Faces.photo("angelina_jolie", "deepface_img1.jpg");
    given.repo.addTarget(
        UpdateClient.MODELS_ROLE, GOLDEN, Files.readAllBytes(golden), MissingNode.getInstance());
  }

  Path golden() {
    return golden;
  }

  /** The committed int8 MobileFaceNet: the real second version of the embedder. */
  static byte[] int8Embedder() throws IOException {
    return Files.readAllBytes(TestData.models().resolve("int8/mobilefacenet-int8.tflite"));
  }

  static byte[] fullRangeDetector() throws IOException {
    return Files.readAllBytes(TestData.models().resolve("cache/blazeface-full-range.tflite"));
  }

  /**
   * Manifest {@code models/<from>.json} presented as version {@code version} of slot {@code name}.
   */
  static ObjectNode manifest(String from, String name, long version, byte[] file)
      throws IOException {
    ObjectNode m = UpdateFixture.readJson(TestData.models().resolve(from + ".json"));
    m.put("name", name);
    m.put("version", Long.toString(version));
    m.put("sha256", sha256(file));
    m.put("size", file.length);
    m.remove("source");
    return m;
  }

  /** What the new model gives on the golden image, with the agent's pipeline settings. */
  EdgecamTarget.SelfTest expectation(
      AgentConfig config, String name, ObjectNode manifest, byte[] file, double minCosine)
      throws IOException {
    Path tmp = Files.createTempDirectory(given.dir, "expect");
    Files.write(tmp.resolve("model.tflite"), file);
    ObjectNode m = manifest.deepCopy();
    m.put("file", "model.tflite");
    UpdateFixture.JSON.writeValue(tmp.resolve("manifest.json").toFile(), m);
    ModelStore store =
        ModelStore.at(TestData.models()).withOverride(name, tmp.resolve("manifest.json"));
    try (FacePipeline p =
        FacePipeline.open(FacePipelineAnalyzer.toPipelineConfig(config.pipeline()), store)) {
      int faces = p.detect(Images.read(golden)).size();
      FaceResult best = p.best(Images.read(golden));
      return new EdgecamTarget.SelfTest(GOLDEN, faces, best.embedding(), minCosine);
    }
  }

  /** Adds the model target (not yet published); returns its path. */
  String add(
      String name, long version, byte[] file, ObjectNode manifest, EdgecamTarget.SelfTest st) {
    String path = "models/" + name + "-v" + version + ".tflite";
    EdgecamTarget t =
        new EdgecamTarget(
            EdgecamTarget.Kind.MODEL,
            name,
            version,
            null,
            EdgecamTarget.ModelInfo.of(manifest, "0.1.0", st));
    given.repo.addTarget(UpdateClient.MODELS_ROLE, path, file, t.toCustom());
    return path;
  }

  private static EdgecamTarget.SelfTest int8Expectation; // same models, photo and settings

  /** The int8 embedder as {@code mobilefacenet} v{@code version} with a passing self-test. */
  String addInt8Embedder(long version) throws IOException {
    byte[] file = int8Embedder();
    ObjectNode m = manifest("mobilefacenet-int8", EMBEDDER, version, file);
    synchronized (ModelTargets.class) {
      if (int8Expectation == null) {
        int8Expectation = expectation(given.config(), EMBEDDER, m, file, 0.99);
      }
    }
    return add(EMBEDDER, version, file, m, int8Expectation);
  }

  static String sha256(byte[] data) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(data));
    } catch (java.security.NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
