package io.edgecam.face.detect;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;

/**
 * Weighted non-maximum suppression (MediaPipe's "weighted" algorithm): the best remaining box
 * absorbs every box overlapping it by more than the IoU threshold; the merged box and keypoints are
 * the score-weighted mean of the cluster and keep the best score.
 */
final class WeightedNms {
  private WeightedNms() {}

  static List<Detection> apply(List<Detection> candidates, float iouThreshold) {
    List<Detection> remaining = new ArrayList<>(candidates);
    remaining.sort(Comparator.comparingDouble(Detection::score).reversed());
    List<Detection> kept = new ArrayList<>();
    float[] kp = new float[2 * Detection.KEYPOINTS];
    while (!remaining.isEmpty()) {
      Detection best = remaining.get(0);
      float sum = 0;
      float x = 0;
      float y = 0;
      float x2 = 0;
      float y2 = 0;
      Arrays.fill(kp, 0);
      for (int i = remaining.size() - 1; i >= 0; i--) {
        Detection d = remaining.get(i);
        if (i != 0 && best.iou(d) <= iouThreshold) {
          continue;
        }
        float s = d.score();
        sum += s;
        x += s * d.x();
        y += s * d.y();
        x2 += s * (d.x() + d.width());
        y2 += s * (d.y() + d.height());
        for (int k = 0; k < Detection.KEYPOINTS; k++) {
          kp[2 * k] += s * d.keypointX(k);
          kp[2 * k + 1] += s * d.keypointY(k);
        }
        remaining.remove(i);
      }
      for (int k = 0; k < kp.length; k++) {
        kp[k] /= sum;
      }
      kept.add(new Detection(x / sum, y / sum, (x2 - x) / sum, (y2 - y) / sum, best.score(), kp));
    }
    return kept;
  }
}
