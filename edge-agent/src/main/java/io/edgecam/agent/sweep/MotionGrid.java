package io.edgecam.agent.sweep;

import io.edgecam.face.detect.TileGrid;
import io.edgecam.face.image.Frame;
import java.util.BitSet;

/**
 * Cheap motion detection for the sweep: the frame's luma sampled on a coarse grid (about {@value
 * #CELLS} points across), compared with the previous frame's; a tile has motion when at least
 * {@value #MIN_MOVING} of its points changed by more than {@value #THRESHOLD} grey levels. Sampling
 * instead of averaging keeps it at ~10k reads per 1080p frame; camera noise stays under the
 * threshold. Not thread-safe.
 */
final class MotionGrid {
  static final int CELLS = 160;
  static final int THRESHOLD = 24;
  static final int MIN_MOVING = 2;

  private int width;
  private int height;
  private int step;
  private int cols;
  private int rows;
  private short[] previous = new short[0];
  private short[] current = new short[0];
  private boolean primed;

  /** Tiles of {@code grid} with motion since the previous frame (none for the first frame). */
  BitSet update(Frame frame, TileGrid grid) {
    if (frame.width() != width || frame.height() != height) {
      width = frame.width();
      height = frame.height();
      step = Math.max(1, width / CELLS);
      cols = (width + step - 1) / step;
      rows = (height + step - 1) / step;
      previous = new short[cols * rows];
      current = new short[cols * rows];
      primed = false;
    }
    byte[] rgb = frame.rgb();
    for (int r = 0; r < rows; r++) {
      int y = Math.min(height - 1, r * step + step / 2);
      for (int c = 0; c < cols; c++) {
        int x = Math.min(width - 1, c * step + step / 2);
        int i = 3 * (y * width + x);
        current[r * cols + c] =
            (short)
                ((77 * (rgb[i] & 0xff) + 150 * (rgb[i + 1] & 0xff) + 29 * (rgb[i + 2] & 0xff))
                    >> 8);
      }
    }
    BitSet moving = new BitSet(grid.count());
    if (primed) {
      for (int t = 0; t < grid.count(); t++) {
        if (moves(grid.tile(t))) {
          moving.set(t);
        }
      }
    }
    short[] swap = previous;
    previous = current;
    current = swap;
    primed = true;
    return moving;
  }

  private boolean moves(TileGrid.Tile t) {
    int c0 = t.x() / step;
    int r0 = t.y() / step;
    int c1 = Math.min(cols, (t.x() + t.width() + step - 1) / step);
    int r1 = Math.min(rows, (t.y() + t.height() + step - 1) / step);
    int n = 0;
    for (int r = r0; r < r1; r++) {
      for (int c = c0; c < c1; c++) {
        int i = r * cols + c;
        if (Math.abs(current[i] - previous[i]) > THRESHOLD && ++n >= MIN_MOVING) {
          return true;
        }
      }
    }
    return false;
  }
}
