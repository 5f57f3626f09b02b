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

  /** Every tile, in order: the search for still photos. */
  static TileScheduler everyTile() {
    return (frame, grid) -> {
      int[] next = {0};
      return () -> next[0] < grid.count() ? next[0]++ : TilePlan.DONE;
    };
  }
}
