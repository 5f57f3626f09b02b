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
 * is reported once. Not thread-safe (the detector is not).
 */
public final class TiledFaceSearch {
  static final float MERGE_IOU = 0.3f;

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
    candidates.clear();
    candidates.addAll(wholeFrame.apply(frame));
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
    List<Detection> merged = WeightedNms.apply(candidates, MERGE_IOU);
    candidates.clear();
    tiles.found(merged);
    return merged;
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
