package io.edgecam.face.scene;

import io.edgecam.face.detect.Detection;
import io.edgecam.face.pipeline.FacePipeline;
import io.edgecam.face.pipeline.FaceResult;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Runs a {@link FacePipeline} over generated scenes and scores it against the ground truth: recall
 * per face size, false positives per frame (all, and those the quality gate passes), time per
 * frame. A face counts as found when a detection overlaps its box by IoU >= {@value #MATCH_IOU}
 * (each detection matches one face at most).
 */
public final class DetectionBench {
  static final float MATCH_IOU = 0.3f;

  private DetectionBench() {}

  /**
   * Figures of one detector mode on one set of scenes.
   *
   * @param mode the detector mode's label
   * @param frames frames scored
   * @param faces ground-truth faces per size
   * @param found faces found per size
   * @param passed faces found and passed by the quality gate, per size
   * @param falsePositives detections matching no face, all frames
   * @param falsePositivesGated those of them the quality gate passed
   * @param msPerFrame wall time of detection + gate + embedding per frame, ms (mean)
   * @param detectorInvokeMsPerFrame raw detector {@code Invoke()} time per frame, ms (mean)
   * @param tilesPerFrame tiles searched per frame (mean; 0 for whole-frame modes)
   * @param foundScores detection scores of the faces found, per size
   * @param falsePositiveScores detection scores of the false positives
   */
  public record Result(
      String mode,
      int frames,
      Map<Integer, Integer> faces,
      Map<Integer, Integer> found,
      Map<Integer, Integer> passed,
      int falsePositives,
      int falsePositivesGated,
      double msPerFrame,
      double detectorInvokeMsPerFrame,
      double tilesPerFrame,
      Map<Integer, List<Float>> foundScores,
      List<Float> falsePositiveScores) {

    /** Share of faces of {@code size} found, 0..1 (NaN without such faces). */
    public double recall(int size) {
      return (double) found.getOrDefault(size, 0) / faces.getOrDefault(size, 0);
    }

    /** Share of faces of {@code size} found and passed by the quality gate, 0..1. */
    public double passedRate(int size) {
      return (double) passed.getOrDefault(size, 0) / faces.getOrDefault(size, 0);
    }

    /** False positives per frame. */
    public double falsePositivesPerFrame() {
      return (double) falsePositives / frames;
    }

    /** False positives passing the quality gate per frame. */
    public double falsePositivesGatedPerFrame() {
      return (double) falsePositivesGated / frames;
    }
  }

  /** Scores {@code pipeline} (whose config names the mode) on {@code scenes}. */
  public static Result run(FacePipeline pipeline, List<Scene> scenes) {
    Map<Integer, Integer> faces = new TreeMap<>();
    Map<Integer, Integer> found = new TreeMap<>();
    Map<Integer, Integer> passed = new TreeMap<>();
    Map<Integer, List<Float>> foundScores = new TreeMap<>();
    List<Float> fpScores = new ArrayList<>();
    int fp = 0;
    int fpGated = 0;
    long wall = 0;
    long invoke = 0;
    long tiles = 0;
    for (Scene s : scenes) {
      long t0 = System.nanoTime();
      List<FaceResult> results = pipeline.process(s.frame());
      wall += System.nanoTime() - t0;
      invoke += pipeline.lastDetectorInvokeNanos();
      tiles +=
          pipeline.config().detector().tiled() ? pipeline.tiledSearch().lastTilesSearched() : 0;
      List<FaceResult> unmatched = new ArrayList<>(results);
      for (SceneFace f : s.faces()) {
        faces.merge(f.size(), 1, Integer::sum);
        FaceResult best = null;
        float bestIou = MATCH_IOU;
        for (FaceResult r : unmatched) {
          Detection d = r.detection();
          float iou = f.iou(d.x(), d.y(), d.width(), d.height());
          if (iou >= bestIou) {
            bestIou = iou;
            best = r;
          }
        }
        if (best != null) {
          unmatched.remove(best);
          found.merge(f.size(), 1, Integer::sum);
          foundScores
              .computeIfAbsent(f.size(), k -> new ArrayList<>())
              .add(best.detection().score());
          if (best.quality().passed()) {
            passed.merge(f.size(), 1, Integer::sum);
          }
        }
      }
      fp += unmatched.size();
      unmatched.forEach(r -> fpScores.add(r.detection().score()));
      fpGated += (int) unmatched.stream().filter(r -> r.quality().passed()).count();
    }
    int n = Math.max(1, scenes.size());
    return new Result(
        pipeline.config().detector().label(),
        scenes.size(),
        faces,
        found,
        passed,
        fp,
        fpGated,
        wall / 1e6 / n,
        invoke / 1e6 / n,
        (double) tiles / n,
        foundScores,
        fpScores);
  }
}
