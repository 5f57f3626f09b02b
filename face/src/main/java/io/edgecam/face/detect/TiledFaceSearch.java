package io.edgecam.face.detect;

import io.edgecam.face.image.Frame;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

/**
 * The one way to search a large frame for small faces: the whole-frame pass of {@link
 * BlazeFaceDetector#detect} plus the tiles of a {@link TileGrid} that a {@link TileScheduler}
 * picks, merged in frame pixels.
 *
 * <p>Merging: a tile box cut by an inner tile edge is dropped when a neighbouring tile holds a face
 * of its size whole ({@link TileGrid#cutByInnerEdge}); the rest, tile and whole-frame boxes
 * together, go through weighted NMS, so a face seen by two overlapping tiles and by the whole frame
 * is reported once.
 *
 * <p>With verification ({@link TileScheduler#verifyTileFaces()}: still photos) the whole frame is
 * also searched padded by a quarter per side and in coarse tilings reaching past the border ({@link
 * #STILL_GRIDS}: large faces cut by the border), and a face only the tiles found must be found
 * again in a crop around it ({@link TileVerifier}): tiles raise false faces on texture. Not
 * thread-safe (the detector is not).
 */
public final class TiledFaceSearch {
  static final float MERGE_IOU = 0.3f;

  /** Side of the crop around a followed face over the face's size (FACTS.md: 97-100% found). */
  public static final float FOLLOW_CROP = 4f;

  /**
   * Still photos only: coarse tilings reaching past the image border ({@code cols x rows}, overlap
   * and pad as shares of a tile and of the image), for large faces the whole frame misses because
   * the border cuts them or they fill a corner (measured on ../shared/data/group: the selfie's 7
   * faces need them; the fine grid alone finds 4).
   */
  record CoarseGrid(int cols, int rows, float overlap, float pad) {}

  static final List<CoarseGrid> STILL_GRIDS =
      List.of(
          new CoarseGrid(2, 2, 0.2f, 0.2f),
          new CoarseGrid(3, 3, 0.25f, 0.2f),
          new CoarseGrid(3, 2, 0.2f, 0f));

  private final Function<Frame, List<Detection>> wholeFrame;
  private final RegionDetector region;
  private final int minFaceSize;
  private final float minFaceFraction;
  private final List<Detection> candidates = new ArrayList<>();
  private TileGrid grid;
  private int tilesSearched;

  /**
   * @param detector the detector (not owned)
   * @param minFaceSize smallest face side to find, px
   * @param minFaceFraction smallest face {@code detector}'s model finds, as a share of its input
   */
  public TiledFaceSearch(BlazeFaceDetector detector, int minFaceSize, float minFaceFraction) {
    this(detector::detect, detector::detectRegion, minFaceSize, minFaceFraction);
  }

  TiledFaceSearch(
      Function<Frame, List<Detection>> wholeFrame,
      RegionDetector region,
      int minFaceSize,
      float minFaceFraction) {
    this.wholeFrame = wholeFrame;
    this.region = region;
    this.minFaceSize = minFaceSize;
    this.minFaceFraction = minFaceFraction;
    this.grid = TileGrid.plan(1, 1, minFaceSize, minFaceFraction);
  }

  /**
   * Faces in {@code frame}, best score first: the whole frame and the tiles {@code tiles} picks.
   */
  public List<Detection> search(Frame frame, TileScheduler tiles) {
    TileGrid g = grid(frame);
    TilePlan plan = tiles.plan(frame, g); // first: a time budget counts the whole-frame pass
    List<Detection> primary = wholeFrame.apply(frame);
    boolean verify = tiles.verifyTileFaces();
    candidates.clear();
    if (verify) {
      float px = BlazeFaceDetector.PAD * frame.width();
      float py = BlazeFaceDetector.PAD * frame.height();
      candidates.addAll(
          region.detect(frame, -px, -py, frame.width() + 2 * px, frame.height() + 2 * py));
      for (CoarseGrid c : STILL_GRIDS) {
        addCoarse(frame, c);
      }
    }
    for (Detection f : tiles.follow()) {
      followCrop(frame, f);
    }
    tilesSearched = 0;
    for (int i = plan.next(); i != TilePlan.DONE; i = plan.next()) {
      TileGrid.Tile t = g.tile(i);
      for (Detection d : region.detect(frame, t.x(), t.y(), t.width(), t.height())) {
        if (!g.cutByInnerEdge(d, t)) {
          candidates.add(d);
        }
      }
      tilesSearched++;
    }
    List<Detection> merged;
    if (verify) {
      merged = TileVerifier.verify(frame, primary, candidates, region);
    } else {
      candidates.addAll(primary);
      merged = WeightedNms.apply(candidates, MERGE_IOU);
    }
    candidates.clear();
    tiles.found(merged);
    return merged;
  }

  /** Searches the crop around a followed face; boxes cut by a crop edge inside the frame drop. */
  private void followCrop(Frame frame, Detection f) {
    float side = FOLLOW_CROP * Math.max(f.width(), f.height());
    float x0 = f.x() + f.width() / 2 - side / 2;
    float y0 = f.y() + f.height() / 2 - side / 2;
    for (Detection d : region.detect(frame, x0, y0, side, side)) {
      boolean cut =
          (x0 > 0 && d.x() < x0)
              || (y0 > 0 && d.y() < y0)
              || (x0 + side < frame.width() && d.x() + d.width() > x0 + side)
              || (y0 + side < frame.height() && d.y() + d.height() > y0 + side);
      if (!cut) {
        candidates.add(d);
      }
    }
  }

  private void addCoarse(Frame frame, CoarseGrid g) {
    int w = frame.width();
    int h = frame.height();
    float tw = w * (1 + 2 * g.pad()) / (g.cols() - (g.cols() - 1) * g.overlap());
    float th = h * (1 + 2 * g.pad()) / (g.rows() - (g.rows() - 1) * g.overlap());
    for (int r = 0; r < g.rows(); r++) {
      for (int c = 0; c < g.cols(); c++) {
        float x0 = c * tw * (1 - g.overlap()) - g.pad() * w;
        float y0 = r * th * (1 - g.overlap()) - g.pad() * h;
        for (Detection d : region.detect(frame, x0, y0, tw, th)) {
          boolean cut =
              (x0 > 0 && d.x() < x0)
                  || (y0 > 0 && d.y() < y0)
                  || (x0 + tw < w && d.x() + d.width() > x0 + tw)
                  || (y0 + th < h && d.y() + d.height() > y0 + th);
          if (!cut) {
            candidates.add(d);
          }
        }
      }
    }
  }

  /** The grid for frames of {@code frame}'s size (computed once per size). */
  public TileGrid grid(Frame frame) {
    if (grid.frameWidth() != frame.width() || grid.frameHeight() != frame.height()) {
      grid = TileGrid.plan(frame.width(), frame.height(), minFaceSize, minFaceFraction);
    }
    return grid;
  }

  /** Tiles searched in the last frame (the whole-frame pass not counted). */
  public int lastTilesSearched() {
    return tilesSearched;
  }
}
