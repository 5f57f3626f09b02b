package io.edgecam.face.detect;

import io.edgecam.face.image.Frame;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * The still-photo face search behind {@link BlazeFaceDetector#detectTiled}: finds faces the
 * whole-frame pass misses, without the false boxes that tiling alone brings.
 *
 * <p>Letterboxing a 1200 px photo into 128 px makes a 100 px face 11 px, below what the short-range
 * model sees; a face cut by the image border, or one filling a corner, is missed at every scale the
 * whole frame offers. So, besides the whole frame (the primary pass):
 *
 * <ol>
 *   <li>the frame padded by {@value BlazeFaceDetector#PAD} per side (edge replication), and
 *       overlapping tiles from three grids ({@link #GRIDS}), each letterboxed into the model input;
 *       two grids reach past the image border so that a cut face can sit inside a tile;
 *   <li>a tile box that crosses a tile edge lying inside the image is dropped (the overlapping tile
 *       holds the whole face); the rest are merged with weighted NMS;
 *   <li>a merged box overlapping a primary box is dropped: the primary box stands as it was, so the
 *       main face of a portrait is exactly what {@link BlazeFaceDetector#detect} gives;
 *   <li>each remaining box is <em>verified</em>: the detector runs again on a square crop {@value
 *       #VERIFY_CROP} times the box, centred on it (the scale the short-range model sees best), and
 *       must find an overlapping face scoring >= {@value #VERIFY_SCORE}. Tiles alone raise false
 *       faces on texture (measured: an owl photo, tile scores up to 0.71, verified <= 0.50; the
 *       real faces found only by tiles verified at 0.59..0.93);
 *   <li>a primary box that fails the same verification and holds a verified tile face is the same
 *       face seen at the wrong scale (a 10 px face decoded into a 270 px box): it is replaced by
 *       the tile face.
 * </ol>
 */
final class TiledSearch {
  /**
   * One tiling: {@code cols x rows} tiles overlapping by {@code overlap} of a tile, covering the
   * image padded by {@code pad} of its size per side.
   */
  record Grid(int cols, int rows, float overlap, float pad) {}

  /** Measured on ../shared/data/group (see the class comment): each finds faces the others miss. */
  static final List<Grid> GRIDS =
      List.of(new Grid(2, 2, 0.2f, 0.2f), new Grid(3, 3, 0.25f, 0.2f), new Grid(3, 2, 0.2f, 0f));

  static final float NMS_IOU = 0.3f;
  static final float VERIFY_CROP = 2f;
  static final float VERIFY_SCORE = 0.55f;

  /** A primary box "holds" a tile face when this much of the tile face lies inside it. */
  static final float HOLDS = 0.7f;

  private TiledSearch() {}

  static List<Detection> search(Frame frame, List<Detection> primary, RegionDetector detector) {
    int w = frame.width();
    int h = frame.height();
    List<Detection> candidates = new ArrayList<>();
    float px = BlazeFaceDetector.PAD * w;
    float py = BlazeFaceDetector.PAD * h;
    candidates.addAll(detector.detect(frame, -px, -py, w + 2 * px, h + 2 * py));
    for (Grid g : GRIDS) {
      addTiles(frame, g, detector, candidates);
    }
    List<Detection> verified = new ArrayList<>();
    for (Detection d : WeightedNms.apply(candidates, NMS_IOU)) {
      if (!overlapsAny(d, primary) && verify(frame, d, detector)) {
        verified.add(d);
      }
    }
    List<Detection> result = new ArrayList<>(verified);
    for (Detection p : primary) {
      if (!holdsAny(p, verified) || verify(frame, p, detector)) {
        result.add(p);
      }
    }
    result.sort(Comparator.comparingDouble(Detection::score).reversed());
    return result;
  }

  private static void addTiles(Frame frame, Grid g, RegionDetector detector, List<Detection> out) {
    int w = frame.width();
    int h = frame.height();
    float spanW = w * (1 + 2 * g.pad());
    float spanH = h * (1 + 2 * g.pad());
    float tw = spanW / (g.cols() - (g.cols() - 1) * g.overlap());
    float th = spanH / (g.rows() - (g.rows() - 1) * g.overlap());
    for (int r = 0; r < g.rows(); r++) {
      for (int c = 0; c < g.cols(); c++) {
        float x0 = c * tw * (1 - g.overlap()) - g.pad() * w;
        float y0 = r * th * (1 - g.overlap()) - g.pad() * h;
        for (Detection d : detector.detect(frame, x0, y0, tw, th)) {
          if (!cutByInnerEdge(d, x0, y0, tw, th, w, h)) {
            out.add(d);
          }
        }
      }
    }
  }

  /** True if the box crosses an edge of the tile that lies inside the image. */
  static boolean cutByInnerEdge(Detection d, float x0, float y0, float tw, float th, int w, int h) {
    return (x0 > 0 && d.x() < x0)
        || (y0 > 0 && d.y() < y0)
        || (x0 + tw < w && d.x() + d.width() > x0 + tw)
        || (y0 + th < h && d.y() + d.height() > y0 + th);
  }

  private static boolean verify(Frame frame, Detection d, RegionDetector detector) {
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
