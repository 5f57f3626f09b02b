package io.edgecam.face.inference;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The models directory: manifests ({@code <name>.json}) with fetched files in {@code cache/} and
 * derived (quantized) files beside the manifests. Opens engines after checking each file's sha256
 * against its manifest. Thread-safe.
 */
public final class ModelStore {
  private static final Logger log = LoggerFactory.getLogger(ModelStore.class);

  private final Path dir;
  private final Map<String, Path> overrides;
  private final Map<Path, String> verified = new ConcurrentHashMap<>();

  private ModelStore(Path dir, Map<String, Path> overrides) {
    this.dir = dir.toAbsolutePath().normalize();
    this.overrides = Map.copyOf(overrides);
  }

  /** A store on the given directory. */
  public static ModelStore at(Path dir) {
    if (!Files.isDirectory(dir)) {
      throw new ModelLoadException(dir + ": models directory does not exist");
    }
    return new ModelStore(dir, Map.of());
  }

  /**
   * This store with model {@code name} read from {@code manifestJson} instead (a manifest whose
   * {@code file} lies beside it): how models installed by an update replace the built-in ones.
   */
  public ModelStore withOverride(String name, Path manifestJson) {
    Map<String, Path> m = new HashMap<>(overrides);
    m.put(name, manifestJson.toAbsolutePath().normalize());
    return new ModelStore(dir, m);
  }

  /** Model names read from an override manifest (see {@link #withOverride}). */
  public Set<String> overridden() {
    return overrides.keySet();
  }

  /**
   * Finds the models directory: system property {@code edgecam.models}, env {@code EDGECAM_MODELS},
   * {@code ${edgecam.home}/models} (or env {@code EDGECAM_HOME}), {@code ${edgecam.root}/models},
   * else the first parent of the working directory holding {@code models/fetch}.
   */
  public static ModelStore locate() {
    String explicit =
        firstSet(System.getProperty("edgecam.models"), System.getenv("EDGECAM_MODELS"));
    if (explicit != null) {
      return at(Path.of(explicit));
    }
    String home = firstSet(System.getProperty("edgecam.home"), System.getenv("EDGECAM_HOME"));
    if (home != null && Files.isDirectory(Path.of(home, "models"))) {
      return at(Path.of(home, "models"));
    }
    String root = System.getProperty("edgecam.root");
    if (root != null && Files.isDirectory(Path.of(root, "models"))) {
      return at(Path.of(root, "models"));
    }
    for (Path p = Path.of("").toAbsolutePath(); p != null; p = p.getParent()) {
      if (Files.exists(p.resolve("models").resolve("fetch"))) {
        return at(p.resolve("models"));
      }
    }
    throw new ModelLoadException(
        "models directory not found: set --models, EDGECAM_MODELS or EDGECAM_HOME, or run inside"
            + " an edgecam checkout (looked for models/fetch above "
            + Path.of("").toAbsolutePath()
            + ")");
  }

  /** The directory this store reads. */
  public Path dir() {
    return dir;
  }

  /** True if the manifest and its model file both exist. */
  public boolean has(String name) {
    Path json = manifestPath(name);
    return Files.isRegularFile(json) && Files.isRegularFile(file(ModelManifest.read(json)));
  }

  /** The manifest {@code <name>.json}. */
  public ModelManifest manifest(String name) {
    return ModelManifest.read(manifestPath(name));
  }

  private Path manifestPath(String name) {
    Path override = overrides.get(name);
    return override != null ? override : dir.resolve(name + ".json");
  }

  /**
   * The detector anchor layout of {@code manifest}, or of the model it was derived from when a
   * derived (quantized) manifest does not repeat it.
   */
  public ModelManifest.AnchorSpec anchors(ModelManifest manifest) {
    if (manifest.anchors() != null) {
      return manifest.anchors();
    }
    String parent = manifest.derivedFromModel();
    if (parent != null && !parent.equals(manifest.name())) {
      return anchors(manifest(parent));
    }
    throw new ModelLoadException(
        "model "
            + manifest.name()
            + ": manifest has no anchors"
            + " (and no derivedFrom.model to take them from)");
  }

  /** Where the manifest's model file lives. */
  public Path file(ModelManifest manifest) {
    Path override = overrides.get(manifest.name());
    if (override != null) {
      return override.resolveSibling(manifest.file());
    }
    return manifest.isDerived()
        ? dir.resolve(manifest.file())
        : dir.resolve("cache").resolve(manifest.file());
  }

  /** Opens the named model after verifying its sha256. The caller closes the engine. */
  public InferenceEngine open(String name, int threads) {
    ModelManifest manifest = manifest(name);
    Path file = file(manifest);
    verify(manifest, file);
    return TfliteInferenceEngine.open(file, manifest, threads);
  }

  /** Checks the file's sha256 (once per file per store). */
  void verify(ModelManifest manifest, Path file) {
    if (manifest.sha256().equalsIgnoreCase(verified.get(file))) {
      return;
    }
    if (!Files.isRegularFile(file)) {
      throw new ModelLoadException(
          file + ": model file missing (run models/fetch to download " + manifest.name() + ")");
    }
    String actual = sha256(file);
    if (!actual.equalsIgnoreCase(manifest.sha256())) {
      throw new ModelLoadException(
          file
              + ": sha256 mismatch for model "
              + manifest.name()
              + ": expected "
              + manifest.sha256()
              + ", got "
              + actual
              + " (truncated or replaced file? run models/fetch)");
    }
    log.debug("verified {} ({})", file, actual);
    verified.put(file, actual);
  }

  static String sha256(Path file) {
    try (InputStream in = Files.newInputStream(file)) {
      MessageDigest digest = MessageDigest.getInstance("SHA-256");
      byte[] buf = new byte[1 << 16];
      for (int n; (n = in.read(buf)) > 0; ) {
        digest.update(buf, 0, n);
      }
      return HexFormat.of().formatHex(digest.digest());
    } catch (IOException e) {
      throw new ModelLoadException(file + ": cannot read model file: " + e.getMessage(), e);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 missing from this JVM", e);
    }
  }

  private static String firstSet(String a, String b) {
    if (a != null && !a.isBlank()) {
      return a;
    }
    return b != null && !b.isBlank() ? b : null;
  }
}
