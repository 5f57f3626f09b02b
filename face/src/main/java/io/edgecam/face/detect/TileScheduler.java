package io.edgecam.face.detect;

import io.edgecam.face.image.Frame;
import java.util.List;

/**
 * Decides which tiles of a large frame are searched: all of them for a still photo ({@link
 * #everyTile()}), a share per frame for a camera (the agent's sweep scheduler). Called from the
 * thread that runs the search; implementations need not be thread-safe.
 */
public interface TileScheduler {
  /** The tiles to search in {@code frame}, whose grid is {@code grid}. */
  TilePlan plan(Frame frame, TileGrid grid);

  /** The faces found in the frame last planned, merged, in frame pixels. */
  default void found(List<Detection> faces) {}

  /**
   * Faces to look for again in this frame, each in a square crop of {@link
   * TiledFaceSearch#FOLLOW_CROP} times its size around its last box (one model run per face, at a
   * scale where the face fills a quarter of the input): cheaper than the up to four tiles around
   * it. Asked after {@link #plan}; none by default.
   */
  default List<Detection> follow() {
    return List.of();
  }

  /**
   * Whether a face only the tiles found must be found again in a crop around it before it counts
   * (one more model run per such face; see {@link TileVerifier}). True for still photos, where a
   * false face is final; a camera loop may leave that to the tracker and the quality gate.
   */
  default boolean verifyTileFaces() {
    return true;
  }

  /** Every tile, in order, with verification: the search for still photos. */
  static TileScheduler everyTile() {
    return (frame, grid) -> {
      int[] next = {0};
      return () -> next[0] < grid.count() ? next[0]++ : TilePlan.DONE;
    };
  }

  /** Every tile, in order; tile-only faces verified or not (benchmarks of the camera path). */
  static TileScheduler everyTile(boolean verify) {
    TileScheduler all = everyTile();
    return new TileScheduler() {
      @Override
      public TilePlan plan(Frame frame, TileGrid grid) {
        return all.plan(frame, grid);
      }

      @Override
      public boolean verifyTileFaces() {
        return verify;
      }
    };
  }
}
