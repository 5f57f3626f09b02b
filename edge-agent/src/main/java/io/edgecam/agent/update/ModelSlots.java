package io.edgecam.agent.update;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.edgecam.face.inference.ModelManifest;
import io.edgecam.face.inference.ModelStore;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * Models installed by updates, on disk under {@code <updates>/models/}:
 *
 * <pre>
 * &lt;name&gt;/&lt;version&gt;/manifest.json   the model's manifest, {@code file} = model.tflite
 * &lt;name&gt;/&lt;version&gt;/model.tflite
 * &lt;name&gt;/&lt;version&gt;/PASSED          written (fsync) after the self-test passed: its sha256
 * &lt;name&gt;/state.json               {@link State}: active and previous version (0 = built-in)
 * </pre>
 *
 * A version directory is written as {@code <version>.tmp} and renamed; {@code state.json} is
 * replaced atomically. So after a kill -9 at any point, {@link #resolve} finds the old state or the
 * new one, and only ever picks a version that passed its self-test and whose file still has its
 * sha256; otherwise the previous version, otherwise the built-in model. Not thread-safe: owned by
 * the update thread.
 */
final class ModelSlots {
  static final String MANIFEST = "manifest.json";
  static final String FILE = "model.tflite";
  static final String PASSED = "PASSED";
  private static final ObjectMapper JSON = new ObjectMapper();

  /**
   * The persisted state of one model slot.
   *
   * @param active version in use, 0 for the built-in model
   * @param previous version to fall back to, 0 for the built-in model
   * @param activatedMillis when {@code active} was switched to, epoch ms
   * @param confirmed whether {@code active} passed its probation
   * @param probationStarts agent starts while {@code active} was in probation
   */
  record State(
      long active, long previous, long activatedMillis, boolean confirmed, int probationStarts) {
    static final State BUILT_IN = new State(0, 0, 0, true, 0);
  }

  /**
   * A slot that could not use its active version at start.
   *
   * @param name model name
   * @param from the version that was active
   * @param to the version used instead (0 = built-in)
   * @param reason why
   * @param crashed whether the model itself is to blame (it kept the agent from running through its
   *     probation), as opposed to damaged files
   * @param sha256 the given-up version's sha256, null if unknown
   */
  record Fallback(
      String name, long from, long to, String reason, boolean crashed, @Nullable String sha256) {}

  /**
   * What {@link #resolve} found.
   *
   * @param active version to run by model name (only slots with a state; 0 = built-in)
   * @param fallbacks slots that fell back
   */
  record Resolution(Map<String, Long> active, List<Fallback> fallbacks) {}

  private static final String CRASHED = "the agent restarted ";

  /** Starts during one probation after which the model counts as crashing the agent. */
  static final int MAX_PROBATION_STARTS = 3;

  private final Path dir;

  ModelSlots(Path updatesDir) {
    this.dir = updatesDir.resolve("models");
  }

  State state(String name) throws IOException {
    try {
      return JSON.readValue(Files.readAllBytes(stateFile(name)), State.class);
    } catch (NoSuchFileException e) {
      return State.BUILT_IN;
    } catch (JacksonException e) {
      // Cannot happen through AtomicFiles; treat a damaged pointer as "no update installed".
      throw new IOException(stateFile(name) + ": unreadable (" + e.getOriginalMessage() + ")", e);
    }
  }

  void saveState(String name, State s) throws IOException {
    AtomicFiles.write(stateFile(name), JSON.writeValueAsBytes(s));
  }

  /** Names with a slot directory (models an update touched). */
  Iterable<String> names() throws IOException {
    if (!Files.isDirectory(dir)) {
      return List.of();
    }
    List<String> names = new ArrayList<>();
    try (DirectoryStream<Path> s = Files.newDirectoryStream(dir, Files::isDirectory)) {
      for (Path p : s) {
        names.add(p.getFileName().toString());
      }
    }
    Collections.sort(names);
    return names;
  }

  Path manifestFile(String name, long version) {
    return versionDir(name, version).resolve(MANIFEST);
  }

  /**
   * Writes {@code manifest} (its {@code file} set to {@value #FILE}) and the model bytes as version
   * {@code version} of {@code name}, replacing an unfinished earlier attempt.
   *
   * @return the manifest file
   */
  Path install(String name, long version, ObjectNode manifest, byte[] model) throws IOException {
    Path target = versionDir(name, version);
    Path tmp = target.resolveSibling(version + ".tmp");
    AtomicFiles.deleteTree(tmp);
    AtomicFiles.deleteTree(target);
    Files.createDirectories(tmp);
    ObjectNode m = manifest.deepCopy();
    m.put("file", FILE);
    AtomicFiles.write(tmp.resolve(FILE), model);
    AtomicFiles.write(
        tmp.resolve(MANIFEST), JSON.writerWithDefaultPrettyPrinter().writeValueAsBytes(m));
    AtomicFiles.move(tmp, target);
    return target.resolve(MANIFEST);
  }

  /** The sha256 the manifest of version {@code version} names, or null if it is unreadable. */
  @Nullable String manifestSha(String name, long version) {
    try {
      return ModelManifest.read(manifestFile(name, version)).sha256();
    } catch (RuntimeException e) {
      return null;
    }
  }

  /** Records that version {@code version} passed its self-test. */
  void markPassed(String name, long version, String sha256) throws IOException {
    AtomicFiles.write(
        versionDir(name, version).resolve(PASSED), sha256.getBytes(StandardCharsets.US_ASCII));
  }

  /**
   * Why version {@code version} of {@code name} cannot be used, or null if it can: its manifest
   * reads and names it, it passed the self-test, and its file has the manifest's size and sha256.
   */
  @Nullable String invalidReason(String name, long version) {
    Path d = versionDir(name, version);
    try {
      ModelManifest m = ModelManifest.read(d.resolve(MANIFEST));
      if (!m.name().equals(name)) {
        return "manifest names " + m.name();
      }
      Path passed = d.resolve(PASSED);
      if (!Files.isRegularFile(passed)
          || !Files.readString(passed, StandardCharsets.US_ASCII).trim().equals(m.sha256())) {
        return "never passed its self-test";
      }
      Path file = d.resolve(m.file());
      if (!Files.isRegularFile(file)) {
        return "model file missing";
      }
      if (m.size() > 0 && Files.size(file) != m.size()) {
        return "model file has " + Files.size(file) + " bytes, manifest says " + m.size();
      }
      String actual = sha256(file);
      if (!actual.equals(m.sha256())) {
        return "model file damaged (sha256 " + actual + ")";
      }
      return null;
    } catch (IOException | RuntimeException e) {
      return e.getMessage();
    }
  }

  /** {@code builtIn} with every version in {@code active} (name to version, 0 = built-in). */
  ModelStore overlay(ModelStore builtIn, Map<String, Long> active) {
    ModelStore s = builtIn;
    for (Map.Entry<String, Long> e : active.entrySet()) {
      if (e.getValue() > 0) {
        s = s.withOverride(e.getKey(), manifestFile(e.getKey(), e.getValue()));
      }
    }
    return s;
  }

  /** Deletes versions of {@code name} other than {@code keep} (and unfinished ones). */
  void prune(String name, long... keep) throws IOException {
    Path slot = dir.resolve(name);
    if (!Files.isDirectory(slot)) {
      return;
    }
    try (DirectoryStream<Path> s = Files.newDirectoryStream(slot, Files::isDirectory)) {
      for (Path p : s) {
        String v = p.getFileName().toString();
        boolean kept = false;
        for (long k : keep) {
          kept |= v.equals(Long.toString(k));
        }
        if (!kept) {
          AtomicFiles.deleteTree(p);
        }
      }
    }
  }

  /**
   * At agent start: the version each slot runs. A version is used only if it is valid ({@link
   * #invalidReason}); an active version still in probation counts this start, and after {@value
   * #MAX_PROBATION_STARTS} starts in one probation (a model that crashes the process) it is given
   * up. A slot falls back to its previous version, else to the built-in model, and the new state is
   * saved. Unused version directories are deleted.
   */
  Resolution resolve(long nowMillis, long probationMillis) throws IOException {
    Map<String, Long> active = new LinkedHashMap<>();
    List<Fallback> fallbacks = new ArrayList<>();
    for (String name : names()) {
      State s;
      String reason;
      try {
        s = state(name);
        reason = s.active() > 0 ? invalidReason(name, s.active()) : null;
      } catch (IOException e) {
        s = new State(-1, 0, 0, true, 0);
        reason = e.getMessage();
      }
      if (reason == null && s.active() > 0 && !s.confirmed()) {
        if (nowMillis - s.activatedMillis() >= probationMillis) {
          s = new State(s.active(), s.previous(), s.activatedMillis(), true, 0);
          saveState(name, s);
        } else if (s.probationStarts() + 1 >= MAX_PROBATION_STARTS) {
          reason = CRASHED + (s.probationStarts() + 1) + " times during probation";
        } else {
          s =
              new State(
                  s.active(), s.previous(), s.activatedMillis(), false, s.probationStarts() + 1);
          saveState(name, s);
        }
      }
      if (reason != null) {
        long to = s.previous() > 0 && invalidReason(name, s.previous()) == null ? s.previous() : 0;
        boolean crashed = reason.startsWith(CRASHED);
        fallbacks.add(
            new Fallback(
                name,
                s.active(),
                to,
                reason,
                crashed,
                s.active() > 0 ? manifestSha(name, s.active()) : null));
        s = new State(to, 0, nowMillis, true, 0);
        saveState(name, s);
      }
      active.put(name, s.active());
      prune(name, s.active(), s.previous());
    }
    return new Resolution(active, fallbacks);
  }

  /** Active versions by name, as the state files say (not checked). */
  Map<String, Long> activeVersions() throws IOException {
    Map<String, Long> m = new LinkedHashMap<>();
    for (String name : names()) {
      long v = state(name).active();
      if (v > 0) {
        m.put(name, v);
      }
    }
    return m;
  }

  private Path versionDir(String name, long version) {
    return dir.resolve(name).resolve(Long.toString(version));
  }

  private Path stateFile(String name) {
    return dir.resolve(name).resolve("state.json");
  }

  static String sha256(Path file) throws IOException {
    try (InputStream in = Files.newInputStream(file)) {
      MessageDigest d = MessageDigest.getInstance("SHA-256");
      byte[] buf = new byte[1 << 16];
      for (int n; (n = in.read(buf)) > 0; ) {
        d.update(buf, 0, n);
      }
      return HexFormat.of().formatHex(d.digest());
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 missing from this JVM", e);
    }
  }
}
