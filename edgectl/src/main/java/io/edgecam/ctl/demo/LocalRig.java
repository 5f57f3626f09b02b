package io.edgecam.ctl.demo;

import io.edgecam.agent.config.AgentConfig;
import io.edgecam.face.pipeline.PipelineConfig;
import io.edgecam.matcher.MatcherService;
import io.edgecam.matcher.enroll.Enrollment;
import io.edgecam.matcher.enroll.EnrollmentRequest;
import io.edgecam.matcher.enroll.PipelineImageEmbedder;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.jspecify.annotations.Nullable;

/** The parts the demo and {@code bench e2e} put together on one machine. */
final class LocalRig {
  /** The site of the demo's devices. */
  static final String SITE = "demo";

  private LocalRig() {}

  /** Enrolls each identity from its images with the device pipeline; returns the count. */
  static int enroll(
      Map<String, List<Path>> identities, MatcherService matcher, Path home, PrintWriter err) {
    LocalDate expires = LocalDate.now(ZoneOffset.UTC).plusDays(1);
    try (PipelineImageEmbedder embedder =
        PipelineImageEmbedder.open(
            PipelineConfig.defaults().withModelsDir(home.resolve("models")))) {
      for (var e : identities.entrySet()) {
        var entry =
            Enrollment.enroll(
                new EnrollmentRequest(
                    e.getKey(),
                    e.getKey().replace('_', ' '),
                    "demo: sample photos, no real person is searched for",
                    expires,
                    null,
                    "demo",
                    e.getValue()),
                embedder,
                Clock.systemUTC());
        matcher.watchlist().enroll(entry);
        DemoCommand.status(
            err,
            "enrolled "
                + e.getKey()
                + " from "
                + e.getValue().size()
                + " image(s), expires "
                + expires);
      }
    }
    return identities.size();
  }

  /**
   * An agent on a folder camera. Each still is a "scene" of its own: tracks end between frames
   * (maxAgeMs below the frame interval), so each image yields its own best shot, as a camera would
   * for people walking past one by one.
   *
   * @param bestShotIntervalMs 0 = a candidate for every frame a face is in
   */
  static AgentConfig agentConfig(
      String device,
      Path camera,
      double fps,
      boolean loop,
      long bestShotIntervalMs,
      Path state,
      Path home,
      String brokerUrl) {
    return agentConfig(device, camera, fps, loop, bestShotIntervalMs, state, home, brokerUrl, null);
  }

  /** {@link #agentConfig} sealing every candidate to {@code matcherPublicKey} (null: plain). */
  static AgentConfig agentConfig(
      String device,
      Path camera,
      double fps,
      boolean loop,
      long bestShotIntervalMs,
      Path state,
      Path home,
      String brokerUrl,
      @Nullable Path matcherPublicKey) {
    long frameMs = Math.round(1000 / fps);
    String yaml =
        String.join(
            "\n",
            "device: " + device,
            "site: " + SITE,
            "stateDir: " + state.resolve("agent"),
            "source:",
            "  type: folder",
            "  path: " + camera,
            "  fps: " + fps,
            "  loop: " + loop,
            "pipeline:",
            "  models: " + home.resolve("models"),
            "tracker:",
            "  maxAgeMs: " + Math.max(1, frameMs / 2),
            "  bestShotIntervalMs: " + bestShotIntervalMs,
            "mqtt:",
            "  url: " + brokerUrl,
            // A demo device keeps no session on the broker after it is done.
            "  sessionExpirySeconds: 0",
            matcherPublicKey == null ? "" : "sealing:\n  matcherPublicKey: " + matcherPublicKey,
            "");
    return AgentConfig.parse(yaml, "demo agent config", state);
  }

  /** Deletes {@code dir} and everything below it. */
  static void deleteTree(Path dir) throws IOException {
    try (Stream<Path> walk = Files.walk(dir)) {
      for (Path p : walk.sorted((a, b) -> b.getNameCount() - a.getNameCount()).toList()) {
        Files.deleteIfExists(p);
      }
    }
  }
}
