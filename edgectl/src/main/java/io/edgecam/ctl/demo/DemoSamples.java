package io.edgecam.ctl.demo;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.edgecam.protocol.EdgecamException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The demo's photos: {@code models/samples.json} names them with a role (enroll, probe, unknown,
 * golden); {@code models/fetch-samples} fetches them into {@code models/cache/samples/}. The demo
 * never needs the test data set beside the checkout.
 *
 * @param enroll enrollment images by identity
 * @param camera what the simulated camera shows, in order: probes and unknowns interleaved
 * @param expectedAlerts how many camera images show an enrolled person
 */
record DemoSamples(Map<String, List<Path>> enroll, List<Path> camera, int expectedAlerts) {

  /** Loads the sample set, fetching it first if any file is missing. */
  static DemoSamples load(Path home, Path samplesDir) {
    Path manifest = home.resolve("models/samples.json");
    if (!Files.isRegularFile(manifest)) {
      throw new EdgecamException(manifest + ": sample manifest not found (is EDGECAM_HOME right?)");
    }
    JsonNode root;
    try {
      root = new ObjectMapper().readTree(manifest.toFile());
    } catch (IOException e) {
      throw new EdgecamException(manifest + ": unreadable sample manifest: " + e.getMessage(), e);
    }
    Map<String, List<Path>> enroll = new LinkedHashMap<>();
    List<Path> probes = new ArrayList<>();
    List<Path> unknowns = new ArrayList<>();
    boolean missing = false;
    for (JsonNode source : root.path("sources")) {
      for (JsonNode f : source.path("files")) {
        String identity = f.path("identity").asText();
        String name = Path.of(f.path("path").asText()).getFileName().toString();
        Path file = samplesDir.resolve(identity).resolve(name);
        missing |= !Files.isRegularFile(file);
        switch (f.path("role").asText()) {
          case "enroll" -> enroll.computeIfAbsent(identity, k -> new ArrayList<>()).add(file);
          case "probe" -> probes.add(file);
          case "unknown" -> unknowns.add(file);
          default -> {} // golden: the model self-test's image, not shown to the camera
        }
      }
    }
    if (enroll.isEmpty() || probes.isEmpty()) {
      throw new EdgecamException(manifest + ": needs at least one enroll and one probe image");
    }
    if (missing) {
      fetch(home, samplesDir);
    }
    List<Path> camera = new ArrayList<>();
    for (int i = 0; i < Math.max(probes.size(), unknowns.size()); i++) {
      if (i < probes.size()) {
        camera.add(probes.get(i));
      }
      if (i < unknowns.size()) {
        camera.add(unknowns.get(i));
      }
    }
    return new DemoSamples(enroll, camera, probes.size());
  }

  private static void fetch(Path home, Path samplesDir) {
    Path script = home.resolve("models/fetch-samples");
    System.err.println("demo: fetching the sample photos (" + script + ")...");
    ProcessBuilder pb = new ProcessBuilder("bash", script.toString(), "--quiet");
    pb.environment().put("EDGECAM_SAMPLES_DIR", samplesDir.toString());
    pb.redirectOutput(ProcessBuilder.Redirect.INHERIT)
        .redirectError(ProcessBuilder.Redirect.INHERIT);
    try {
      Process p = pb.start();
      if (!p.waitFor(5, TimeUnit.MINUTES)) {
        p.destroyForcibly();
        throw new EdgecamException(script + " did not finish within 5 minutes");
      }
      if (p.exitValue() != 0) {
        throw new EdgecamException(
            script + " failed (exit " + p.exitValue() + "); see its message above");
      }
    } catch (IOException e) {
      throw new EdgecamException("cannot run " + script + ": " + e.getMessage(), e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new EdgecamException("interrupted while fetching the sample photos", e);
    }
  }
}
