package io.edgecam.face.detect;

import io.edgecam.face.image.Frame;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * The false-positive filter of the still-photo search ({@link TiledFaceSearch} with verification):
 * tiles raise false faces on texture that the whole-frame pass never shows.
 *
 * <ol>
 *   <li>tile boxes are merged with weighted NMS; one overlapping a whole-frame (primary) box is
 *       dropped: the primary box stands as it was, so the main face of a portrait is exactly what
 *       {@link BlazeFaceDetector#detect} gives;
 *   <li>each remaining box is <em>verified</em>: the detector runs again on a square crop {@value
 *       #VERIFY_CROP} times the box, centred on it (the scale the models see best), and must find
 *       an overlapping face scoring >= {@value #VERIFY_SCORE} (measured: an owl photo gives tile
 *       scores up to 0.71 that verify at <= 0.50; real faces found only by tiles verified at
 *       0.59..0.93);
 *   <li>a primary box that fails the same verification and holds a verified tile face is the same
 *       face seen at the wrong scale (a 10 px face decoded into a 270 px box): it is replaced by
 *       the tile face.
 * </ol>
 */
final class TileVerifier {
  static final float NMS_IOU = 0.3f;
  static final float VERIFY_CROP = 2f;
  static final float VERIFY_SCORE = 0.55f;

  /** A primary box "holds" a tile face when this much of the tile face lies inside it. */
  static final float HOLDS = 0.7f;

  private TileVerifier() {}

  /**
   * The faces of a frame: {@code primary} (the whole-frame pass) and the {@code tileBoxes} that
   * verify, merged; best score first.
   */
  static List<Detection> verify(
      Frame frame, List<Detection> primary, List<Detection> tileBoxes, RegionDetector detector) {
    List<Detection> verified = new ArrayList<>();
    for (Detection d : WeightedNms.apply(tileBoxes, NMS_IOU)) {
      if (!overlapsAny(d, primary) && verifies(frame, d, detector)) {
        verified.add(d);
      }
    }
    List<Detection> result = new ArrayList<>(verified);
    for (Detection p : primary) {
      if (!holdsAny(p, verified) || verifies(frame, p, detector)) {
        result.add(p);
      }
    }
    result.sort(Comparator.comparingDouble(Detection::score).reversed());
    return result;
  }

  private static boolean verifies(Frame frame, Detection d, RegionDetector detector) {
    float side = VERIFY_CROP * Math.max(d.width(), d.height());
    float cx = d.x() + d.width() / 2;
    float cy = d.y() + d.height() / 2;
    for (Detection v : detector.detect(frame, cx - side / 2, cy - side / 2, side, side)) {
      if (v.score() >= VERIFY_SCORE && v.iou(d) > NMS_IOU) {
        return true;
      }
    }
    return false;
  }

  private static boolean overlapsAny(Detection d, List<Detection> others) {
    for (Detection o : others) {
      if (d.iou(o) > NMS_IOU) {
        return true;
      }
    }
    return false;
  }

  /** True if {@code outer} holds {@link #HOLDS} of some smaller box of {@code inner}. */
  static boolean holdsAny(Detection outer, List<Detection> inner) {
    for (Detection d : inner) {
      float ix =
          Math.min(outer.x() + outer.width(), d.x() + d.width()) - Math.max(outer.x(), d.x());
      float iy =
          Math.min(outer.y() + outer.height(), d.y() + d.height()) - Math.max(outer.y(), d.y());
      if (ix > 0 && iy > 0 && d.area() < outer.area() && ix * iy >= HOLDS * d.area()) {
        return true;
      }
    }
    return false;
  }
}
