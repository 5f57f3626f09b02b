package io.edgecam.ctl.demo;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.edgecam.agent.service.AgentService;
import io.edgecam.ctl.Home;
import io.edgecam.face.image.Frame;
import io.edgecam.face.image.Images;
import io.edgecam.face.pipeline.FacePipeline;
import io.edgecam.face.pipeline.PipelineConfig;
import io.edgecam.matcher.MatcherService;
import io.edgecam.matcher.config.MatcherConfig;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * {@code edgecam bench e2e}: frame-to-alert latency on localhost. The real agent loops over the
 * sample probe photos (each frame a candidate), through the embedded broker, to the matcher; the
 * latency of an alert is its arrival at an alert listener minus the frame's capture time. The
 * baseline, measured in the same process on the same photos, is the face pipeline alone (detect +
 * align + embed), the part of the path no transport can avoid.
 */
@Command(
    name = "e2e",
    mixinStandardHelpOptions = true,
    description =
        "Frame -> alert latency (p50/p99) through the embedded broker and matcher, vs the"
            + " face pipeline alone on the same frames.")
public final class BenchE2eCommand implements Callable<Integer> {
  private static final int WARMUP_SECONDS = 3;

  @Spec CommandSpec spec;

  @Option(
      names = "--seconds",
      defaultValue = "10",
      description = "Measuring time (default: ${DEFAULT-VALUE}).")
  int seconds;

  @Option(
      names = "--fps",
      defaultValue = "10",
      description = "Camera frame rate (default: ${DEFAULT-VALUE}).")
  double fps;

  @Option(names = "--json", description = "Print one JSON object.")
  boolean json;

  @Override
  public Integer call() throws Exception {
    if (seconds < 1 || seconds > 600) {
      throw new ParameterException(
          spec.commandLine(), "--seconds must be in 1..600, was " + seconds);
    }
    if (fps <= 0 || fps > 60) {
      throw new ParameterException(spec.commandLine(), "--fps must be in (0, 60], was " + fps);
    }
    PrintWriter err = spec.commandLine().getErr();
    Path home = Home.locate();
    DemoSamples set = DemoSamples.load(home, home.resolve("models/cache/samples"));
    List<Path> probes = set.camera().stream().filter(p -> isEnrolled(set, p)).toList();
    Path state = Files.createTempDirectory("edgecam-bench-e2e-");
    try {
      double[] pipelineMs = baseline(probes, home);
      Path camera = Files.createDirectories(state.resolve("camera"));
      for (int i = 0; i < probes.size(); i++) {
        Files.copy(
            probes.get(i),
            camera.resolve(String.format("%03d-%s", i, probes.get(i).getFileName())));
      }
      ConcurrentLinkedQueue<Long> latencies = new ConcurrentLinkedQueue<>();
      ConcurrentLinkedQueue<Long> toDecision = new ConcurrentLinkedQueue<>();
      long published;
      try (MatcherService matcher =
          MatcherService.start(MatcherConfig.embeddedIn(state.resolve("matcher")))) {
        LocalRig.enroll(set.enroll(), matcher, home, err);
        // The first seconds warm up the JIT, XNNPACK and the connections: not measured.
        long measureFrom = System.currentTimeMillis() + TimeUnit.SECONDS.toMillis(WARMUP_SECONDS);
        matcher.addAlertListener(
            a -> {
              if (a.captureTimeMillis() >= measureFrom) {
                latencies.add(System.currentTimeMillis() - a.captureTimeMillis());
                toDecision.add(a.matchTimeMillis() - a.captureTimeMillis());
              }
            });
        AgentService agent =
            AgentService.create(
                LocalRig.agentConfig(
                    "bench-cam", camera, fps, true, 0, state, home, matcher.brokerUrl()));
        DemoCommand.status(err, "measuring for " + seconds + " s at " + fps + " fps...");
        try {
          agent.start();
          TimeUnit.SECONDS.sleep(WARMUP_SECONDS + seconds);
        } finally {
          agent.close();
        }
        published = agent.published();
      }
      print(latencies, toDecision, published, pipelineMs);
      return latencies.isEmpty() ? 1 : 0;
    } finally {
      LocalRig.deleteTree(state);
    }
  }

  private static boolean isEnrolled(DemoSamples set, Path image) {
    return set.enroll().containsKey(image.getParent().getFileName().toString());
  }

  /** Face pipeline time per frame (decode excluded), ms, over a few passes of the photos. */
  private static double[] baseline(List<Path> probes, Path home) {
    List<Frame> frames = new ArrayList<>();
    for (Path p : probes) {
      frames.add(Images.read(p));
    }
    List<Double> ms = new ArrayList<>();
    try (FacePipeline pipeline =
        FacePipeline.open(PipelineConfig.defaults().withModelsDir(home.resolve("models")))) {
      for (int pass = 0; pass < 10; pass++) {
        for (Frame f : frames) {
          long t0 = System.nanoTime();
          pipeline.process(f);
          if (pass >= 2) { // the first passes warm up the JIT and XNNPACK
            ms.add((System.nanoTime() - t0) / 1e6);
          }
        }
      }
    }
    return ms.stream().mapToDouble(Double::doubleValue).sorted().toArray();
  }

  private void print(
      ConcurrentLinkedQueue<Long> latencies,
      ConcurrentLinkedQueue<Long> toDecision,
      long published,
      double[] pipelineMs)
      throws IOException {
    double[] e2e = latencies.stream().mapToDouble(Long::doubleValue).sorted().toArray();
    ObjectNode o = new ObjectMapper().createObjectNode();
    o.put("alerts", e2e.length);
    o.put("warmup_s", WARMUP_SECONDS);
    o.put("candidates_published", published);
    o.put("frame_to_alert_p50_ms", percentile(e2e, 50));
    o.put("frame_to_alert_p99_ms", percentile(e2e, 99));
    o.put("frame_to_alert_max_ms", e2e.length == 0 ? Double.NaN : e2e[e2e.length - 1]);
    double[] decision = toDecision.stream().mapToDouble(Long::doubleValue).sorted().toArray();
    // Capture -> the matcher's decision (before the alert is stored and delivered).
    o.put("frame_to_decision_p50_ms", percentile(decision, 50));
    o.put("frame_to_decision_p99_ms", percentile(decision, 99));
    o.put("baseline_pipeline_p50_ms", round(percentile(pipelineMs, 50)));
    o.put("baseline_pipeline_p99_ms", round(percentile(pipelineMs, 99)));
    o.put("transport_and_match_p50_ms", round(percentile(e2e, 50) - percentile(pipelineMs, 50)));
    o.put("target_p99_ms", 50);
    PrintWriter out = spec.commandLine().getOut();
    if (json) {
      out.println(o);
    } else {
      out.println(o.toPrettyString());
    }
    out.flush();
  }

  static double percentile(double[] sorted, double p) {
    if (sorted.length == 0) {
      return Double.NaN;
    }
    int i = (int) Math.ceil(p / 100.0 * sorted.length) - 1;
    return sorted[Math.max(0, Math.min(sorted.length - 1, i))];
  }

  private static double round(double v) {
    return Math.round(v * 100) / 100.0;
  }
}
