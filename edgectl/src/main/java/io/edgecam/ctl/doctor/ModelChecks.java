package io.edgecam.ctl.doctor;

import io.edgecam.agent.config.FacePipelineConfig;
import io.edgecam.agent.service.FacePipelineAnalyzer;
import io.edgecam.agent.track.Face;
import io.edgecam.face.image.Frame;
import io.edgecam.face.inference.ModelManifest;
import io.edgecam.face.inference.ModelStore;
import io.edgecam.face.pipeline.DetectorKind;
import io.edgecam.face.pipeline.GoldenFace;
import io.edgecam.protocol.EdgecamException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;

/** Model files against their manifests' sha256, then one inference on the golden face. */
final class ModelChecks {
  private static final String FETCH = "run models/fetch (or reinstall the edgecam package)";

  private ModelChecks() {}

  /** The {@code models} check; the caller runs {@link #inference} only if this is not FAIL. */
  static CheckResult files(FacePipelineConfig pipeline) {
    ModelStore store;
    try {
      store = pipeline.models() != null ? ModelStore.at(pipeline.models()) : ModelStore.locate();
    } catch (EdgecamException e) {
      return CheckResult.fail(
          "models", e.getMessage(), "set pipeline.models to the models directory");
    }
    String det =
        pipeline.detector() == FacePipelineConfig.Detector.FULL
            ? DetectorKind.FULL.modelName()
            : DetectorKind.SHORT.modelName();
    List<String> required = new ArrayList<>();
    List<String> optional = new ArrayList<>();
    String emb = FacePipelineAnalyzer.toPipelineConfig(pipeline).embedder().modelName();
    List<String> float32 = List.of(det, emb);
    List<String> int8 = List.of(det + "-int8", emb + "-int8");
    switch (pipeline.precision()) {
      case FLOAT -> required.addAll(float32);
      case INT8 -> required.addAll(int8);
      case AUTO -> {
        required.addAll(float32);
        optional.addAll(int8);
      }
    }
    for (String name : required) {
      String problem = problem(store, name);
      if (problem != null) {
        return CheckResult.fail("models", problem, FETCH);
      }
    }
    for (String name : optional) {
      String problem = problem(store, name);
      if (problem != null) {
        return CheckResult.warn(
            "models",
            problem + "; precision auto will use float",
            "reinstall the int8 models, or set pipeline.precision: float");
      }
    }
    List<String> all = new ArrayList<>(required);
    all.addAll(optional);
    return CheckResult.ok(
        "models", String.join(", ", all) + " present, sha256 verified in " + store.dir());
  }

  /** What is wrong with model {@code name}, or null if its file matches the manifest. */
  private static String problem(ModelStore store, String name) {
    ModelManifest manifest;
    try {
      manifest = store.manifest(name);
    } catch (EdgecamException e) {
      return e.getMessage();
    }
    Path file = store.file(manifest);
    if (!Files.isRegularFile(file)) {
      return file + ": model file missing (" + name + ")";
    }
    String actual;
    try {
      actual = sha256(file);
    } catch (IOException e) {
      return file + ": cannot read: " + e.getMessage();
    }
    if (!actual.equalsIgnoreCase(manifest.sha256())) {
      return file
          + ": sha256 mismatch for "
          + name
          + ": expected "
          + manifest.sha256()
          + ", got "
          + actual;
    }
    return null;
  }

  static String sha256(Path file) throws IOException {
    try (InputStream in = Files.newInputStream(file)) {
      MessageDigest digest = MessageDigest.getInstance("SHA-256");
      byte[] buf = new byte[1 << 16];
      for (int n; (n = in.read(buf)) > 0; ) {
        digest.update(buf, 0, n);
      }
      return HexFormat.of().formatHex(digest.digest());
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 missing from this JVM", e);
    }
  }

  /** Loads the pipeline as the agent does and looks for the golden face in a 640x480 frame. */
  static CheckResult inference(FacePipelineConfig pipeline) {
    Frame frame = GoldenFace.frame(640, 480);
    long start = System.nanoTime();
    try (FacePipelineAnalyzer analyzer = FacePipelineAnalyzer.open(pipeline)) {
      long loaded = System.nanoTime();
      List<Face> faces = analyzer.analyze(frame);
      long ms = (System.nanoTime() - loaded) / 1_000_000;
      if (faces.isEmpty()) {
        return CheckResult.fail(
            "inference",
            "no face found in the built-in golden frame (" + analyzer.versions() + ")",
            "the model files or native library are broken: " + FETCH);
      }
      return CheckResult.ok(
          "inference",
          "golden face found in "
              + ms
              + " ms (models loaded in "
              + (loaded - start) / 1_000_000
              + " ms; "
              + analyzer.versions()
              + ")");
    } catch (EdgecamException e) {
      return CheckResult.fail("inference", e.getMessage(), FETCH);
    } catch (UnsatisfiedLinkError e) {
      return CheckResult.fail(
          "inference",
          "TensorFlow Lite native library: " + e.getMessage(),
          "install the package built for this CPU (amd64 or arm64)");
    }
  }
}
