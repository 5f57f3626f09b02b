package io.edgecam.face.detect;

/**
 * The tiles to search in one frame, handed out one at a time so that a time budget can end the
 * frame between two tiles. Belongs to the thread searching the frame.
 */
@FunctionalInterface
public interface TilePlan {
  /** Returned by {@link #next()} when the frame is done. */
  int DONE = -1;

  /** Index of the next tile to search ({@link TileGrid#tile}), or {@link #DONE}. */
  int next();
}
