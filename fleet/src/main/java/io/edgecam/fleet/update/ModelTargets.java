package io.edgecam.fleet.update;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.edgecam.face.image.Frame;
import io.edgecam.face.image.Images;
import io.edgecam.face.pipeline.DetectorKind;
import io.edgecam.face.pipeline.FacePipeline;
import io.edgecam.face.pipeline.FaceResult;
import io.edgecam.face.pipeline.PipelineConfig;
import io.edgecam.face.pipeline.Precision;
import io.edgecam.protocol.EdgecamException;
import io.edgecam.protocol.tuf.EdgecamTarget;
import io.edgecam.protocol.tuf.TargetFile;
import io.edgecam.protocol.tuf.TufRepository;
import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.stream.Stream;
import org.jspecify.annotations.Nullable;

/**
 * Model targets: the TFLite file, its manifest, and a self-test computed by running the real face
 * pipeline with the new model on a golden image, so that a device can check, before it swaps, that
 * the model it received behaves as the maintainer saw it behave.
 *
 * <p>A model replaces one <b>slot</b> of the pipeline, named like its manifest: {@code
 * blazeface-short-range}, {@code blazeface-full-range}, {@code mobilefacenet}, and their {@code
 * -int8} variants. The self-test pipeline is {@link PipelineConfig#defaults()} with the slot's
 * detector (short or full, never tiled) and precision (int8 for {@code -int8} slots, else float):
 * expected faces = {@code detect(image).size()}, expected embedding = {@code best(image)}'s.
 */
public final class ModelTargets {
  private static final ObjectMapper JSON = new ObjectMapper();

  /** Slots the pipeline has. */
  public static final List<String> SLOTS =
      List.of(
          "blazeface-short-range",
          "blazeface-short-range-int8",
          "blazeface-full-range",
          "blazeface-full-range-int8",
          "mobilefacenet",
          "mobilefacenet-int8");

  private ModelTargets() {}

  /** What {@link #add} listed. */
  public record Added(String modelPath, String goldenPath, EdgecamTarget target) {}

  /**
   * The manifest a device installs for {@code modelBytes} in {@code slot}: {@code base}'s fields,
   * with name = slot, file = {@code <slot>-v<version>.tflite} (beside the manifest), sha256 and
   * size of the bytes; an npm {@code source} becomes {@code derivedFrom} (the file no longer comes
   * from npm).
   */
  public static ObjectNode manifest(JsonNode base, String slot, long version, byte[] modelBytes) {
    ObjectNode m = base.deepCopy();
    m.put("name", slot);
    m.put("file", slot + "-v" + version + ".tflite");
    m.put("sha256", TargetFile.of(modelBytes, JSON.missingNode()).sha256());
    m.put("size", modelBytes.length);
    JsonNode source = m.remove("source");
    if (source != null && !source.isNull() && !m.has("derivedFrom")) {
      m.set("derivedFrom", source);
    }
    return m;
  }

  /**
   * Runs the pipeline with {@code modelBytes} in {@code slot} on {@code golden}.
   *
   * @param modelsDir the installed models (the other slots are taken from there)
   * @throws EdgecamException if the slot is unknown, the model does not load, or the golden image
   *     has no face that passes the quality gate
   */
  public static EdgecamTarget.SelfTest selfTest(
      Path modelsDir,
      String slot,
      ObjectNode manifest,
      byte[] modelBytes,
      Path golden,
      String goldenTargetPath,
      double minCosine) {
    if (!SLOTS.contains(slot)) {
      throw new EdgecamException("the pipeline has no model slot '" + slot + "'; slots: " + SLOTS);
    }
    Path tmp = null;
    try {
      tmp = Files.createTempDirectory("edgecam-selftest-");
      mirror(modelsDir, tmp);
      Files.write(tmp.resolve(manifest.get("file").asText()), modelBytes);
      Files.write(tmp.resolve(slot + ".json"), JSON.writeValueAsBytes(manifest));
      boolean int8 = slot.endsWith("-int8");
      DetectorKind kind =
          slot.startsWith("blazeface-full-range") ? DetectorKind.FULL : DetectorKind.SHORT;
      PipelineConfig config =
          PipelineConfig.defaults()
              .withModelsDir(tmp)
              .withDetector(kind)
              .withPrecision(int8 ? Precision.INT8 : Precision.FLOAT);
      Frame frame = Images.read(golden);
      try (FacePipeline pipeline = FacePipeline.open(config)) {
        int faces = pipeline.detect(frame).size();
        FaceResult best = pipeline.best(frame);
        if (best == null || best.embedding() == null) {
          throw new EdgecamException(
              golden
                  + ": the new model finds "
                  + (best == null ? "no face" : "no face passing the quality gate")
                  + " in the golden image; choose another --golden or check the model");
        }
        return new EdgecamTarget.SelfTest(goldenTargetPath, faces, best.embedding(), minCosine);
      }
    } catch (IOException e) {
      throw new EdgecamException("self-test of " + slot + " failed: " + e, e);
    } catch (RuntimeException e) {
      if (e instanceof EdgecamException) {
        throw e;
      }
      throw new EdgecamException("self-test of " + slot + " failed: " + e.getMessage(), e);
    } finally {
      if (tmp != null) {
        deleteTree(tmp);
      }
    }
  }

  /**
   * Lists model {@code modelBytes} (and the golden image) in the models role.
   *
   * @param rollout who gets it; null = every device
   */
  public static Added add(
      TufRepository repo,
      String slot,
      long version,
      ObjectNode manifest,
      byte[] modelBytes,
      byte[] goldenBytes,
      String goldenExtension,
      EdgecamTarget.SelfTest selfTest,
      String minAgentVersion,
      EdgecamTarget.@Nullable Rollout rollout) {
    String base = MaintainerRepository.MODELS + "/" + slot + "-v" + version;
    String modelPath = base + ".tflite";
    String goldenPath = base + ".golden." + goldenExtension;
    if (!goldenPath.equals(selfTest.image())) {
      throw new IllegalArgumentException(
          "self-test image " + selfTest.image() + " != " + goldenPath);
    }
    EdgecamTarget target =
        new EdgecamTarget(
            EdgecamTarget.Kind.MODEL,
            slot,
            version,
            rollout,
            EdgecamTarget.ModelInfo.of(manifest, minAgentVersion, selfTest));
    repo.addTarget(MaintainerRepository.MODELS, goldenPath, goldenBytes, JSON.missingNode());
    repo.addTarget(MaintainerRepository.MODELS, modelPath, modelBytes, target.toCustom());
    return new Added(modelPath, goldenPath, target);
  }

  /** The target path of a model's golden image for a file name's extension. */
  public static String goldenPath(String slot, long version, String extension) {
    return MaintainerRepository.MODELS + "/" + slot + "-v" + version + ".golden." + extension;
  }

  /** A file name's extension in lower case ({@code jpg} if none). */
  public static String extension(Path file) {
    String n = file.getFileName().toString();
    int dot = n.lastIndexOf('.');
    String ext = dot < 0 ? "jpg" : n.substring(dot + 1).toLowerCase(Locale.ROOT);
    return ext.matches("[a-z0-9]{1,5}") ? ext : "img";
  }

  /**
   * The golden image shipped with the models: the {@code golden} entry of {@code
   * models/samples.json}, fetched by {@code models/fetch-samples} into {@code
   * models/cache/samples/<identity>/<file>} (run it if missing).
   */
  public static Path defaultGolden(Path modelsDir) {
    Path manifest = modelsDir.resolve("samples.json");
    try {
      JsonNode root = JSON.readTree(manifest.toFile());
      for (JsonNode source : root.path("sources")) {
        for (JsonNode f : source.path("files")) {
          if ("golden".equals(f.path("role").asText())) {
            String name = Path.of(f.path("path").asText()).getFileName().toString();
            Path file =
                modelsDir
                    .resolve("cache/samples")
                    .resolve(f.path("identity").asText())
                    .resolve(name);
            if (!Files.isRegularFile(file)) {
              fetchSamples(modelsDir);
            }
            if (!Files.isRegularFile(file)) {
              throw new EdgecamException(
                  file + ": golden image missing after models/fetch-samples");
            }
            return file;
          }
        }
      }
    } catch (IOException e) {
      throw new EdgecamException(manifest + ": unreadable sample manifest: " + e, e);
    }
    throw new EdgecamException(manifest + ": no sample with role golden; give --golden IMAGE");
  }

  private static void fetchSamples(Path modelsDir) {
    Path script = modelsDir.resolve("fetch-samples");
    System.err.println("fetching the sample photos (" + script + ")...");
    try {
      Process p =
          new ProcessBuilder("bash", script.toString(), "--quiet")
              .redirectOutput(ProcessBuilder.Redirect.INHERIT)
              .redirectError(ProcessBuilder.Redirect.INHERIT)
              .start();
      if (!p.waitFor(5, java.util.concurrent.TimeUnit.MINUTES) || p.exitValue() != 0) {
        p.destroyForcibly();
        throw new EdgecamException(script + " failed; give --golden IMAGE instead");
      }
    } catch (IOException e) {
      throw new EdgecamException("cannot run " + script + ": " + e, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new EdgecamException("interrupted while fetching samples", e);
    }
  }

  /** Manifests copied, model files linked (never written through) into {@code to}. */
  private static void mirror(Path from, Path to) throws IOException {
    try (DirectoryStream<Path> ds = Files.newDirectoryStream(from, "*.json")) {
      for (Path p : ds) {
        Files.copy(p, to.resolve(p.getFileName()));
      }
    }
    for (String sub : List.of("cache", "int8")) {
      Path src = from.resolve(sub);
      if (!Files.isDirectory(src)) {
        continue;
      }
      Path dst = Files.createDirectories(to.resolve(sub));
      try (DirectoryStream<Path> ds = Files.newDirectoryStream(src, "*.tflite")) {
        for (Path p : ds) {
          Files.createSymbolicLink(dst.resolve(p.getFileName()), p.toAbsolutePath());
        }
      }
    }
  }

  private static void deleteTree(Path dir) {
    try (Stream<Path> s = Files.walk(dir)) {
      for (Path p : s.sorted(Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(p);
      }
    } catch (IOException e) {
      // a temp directory: leave it to the OS
    }
  }
}
