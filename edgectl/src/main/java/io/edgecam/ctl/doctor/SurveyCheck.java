package io.edgecam.ctl.doctor;

import io.edgecam.agent.capture.FrameSource;
import io.edgecam.agent.config.AgentConfig;
import io.edgecam.agent.service.FacePipelineAnalyzer;
import io.edgecam.agent.track.Face;
import io.edgecam.face.image.Frame;
import io.edgecam.protocol.EdgecamException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * {@code doctor --frames N}: an installer's survey of the live source with the configured pipeline:
 * faces found per size bucket over N frames, time per frame, and the advice these imply (zoom in,
 * resolution, mounting, load).
 */
final class SurveyCheck {
  static final String NAME = "survey";

  /** Lower bounds of the face-width buckets, px. */
  static final int[] BUCKETS = {0, 20, 28, 40, 56, 80, 112};

  private SurveyCheck() {}

  static CheckResult run(AgentConfig config, int frames) {
    List<Integer> widths = new ArrayList<>();
    long nanos = 0;
    int seen = 0;
    int width = 0;
    int height = 0;
    try (FacePipelineAnalyzer analyzer = FacePipelineAnalyzer.open(config.pipeline());
        FrameSource source = FrameSource.open(config.source())) {
      Frame frame;
      while (seen < frames && (frame = source.next()) != null) {
        width = frame.width();
        height = frame.height();
        long t0 = System.nanoTime();
        for (Face f : analyzer.analyze(frame)) {
          widths.add(f.box().width());
        }
        nanos += System.nanoTime() - t0;
        seen++;
      }
    } catch (EdgecamException | IllegalArgumentException e) {
      return CheckResult.fail(
          NAME, "cannot survey the source: " + e.getMessage(), "fix the source");
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return CheckResult.fail(NAME, "interrupted", "run it again");
    }
    if (seen == 0) {
      return CheckResult.fail(NAME, "the source gave no frame", "check the source check above");
    }
    return judge(
        seen,
        width,
        height,
        nanos / 1e6 / seen,
        widths,
        config.pipeline().quality().minFaceSize(),
        config.source().fps());
  }

  /** The verdict for what was seen. */
  static CheckResult judge(
      int frames,
      int width,
      int height,
      double msPerFrame,
      List<Integer> faceWidths,
      int embedMin,
      double fps) {
    int[] counts = new int[BUCKETS.length];
    int tooSmall = 0;
    for (int w : faceWidths) {
      int b = BUCKETS.length - 1;
      while (w < BUCKETS[b]) {
        b--;
      }
      counts[b]++;
      if (w < embedMin) {
        tooSmall++;
      }
    }
    StringBuilder buckets = new StringBuilder();
    for (int b = 0; b < BUCKETS.length; b++) {
      buckets.append(b == 0 ? "" : ", ");
      buckets.append(
          b == BUCKETS.length - 1
              ? ">=" + BUCKETS[b]
              : b == 0 ? "<" + BUCKETS[1] : BUCKETS[b] + "-" + (BUCKETS[b + 1] - 1));
      buckets.append(": ").append(counts[b]);
    }
    String detail =
        String.format(
            Locale.ROOT,
            "%d frames %dx%d, %.0f ms/frame (%.1f fps); faces by width (px) %s",
            frames,
            width,
            height,
            msPerFrame,
            1000 / msPerFrame,
            buckets);
    if (faceWidths.isEmpty()) {
      return CheckResult.warn(
          NAME,
          detail,
          "no face seen: survey while people walk through; aim the camera at faces (mount at"
              + " ~2.5 m, tilt down <= 15 degrees), light the scene");
    }
    if (2 * tooSmall > faceWidths.size()) {
      return CheckResult.warn(
          NAME,
          detail + "; " + tooSmall + " of " + faceWidths.size() + " under quality.minFaceSize",
          "camera too far: zoom in, use a higher resolution stream, or mount closer to where"
              + " people walk; faces under "
              + embedMin
              + " px are not recognised");
    }
    if (fps > 0 && msPerFrame > 1000 / fps) {
      return CheckResult.warn(
          NAME,
          detail,
          String.format(
              Locale.ROOT,
              "slower than source.fps %.0f: lower fps, raise pipeline.sweepFrames or"
                  + " minFaceSize, or set pipeline.frameBudgetMs",
              fps));
    }
    return CheckResult.ok(NAME, detail);
  }
}
