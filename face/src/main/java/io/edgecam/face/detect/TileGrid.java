package io.edgecam.face.detect;

/**
 * Overlapping square tiles covering a frame, sized so that a face of the smallest size searched for
 * fills enough of the detector's input to be found.
 *
 * <p>Letterboxing a whole 1920x1080 frame into a 192 px input shrinks a 40 px face to 4 px; a
 * BlazeFace model needs a face of about {@code minFaceFraction} of its input (full-range ~6%,
 * short-range ~12%, measured: docs/accuracy.md "Small faces"). A tile of side {@code minFaceSize /
 * minFaceFraction} gives the smallest face that share. Neighbouring tiles overlap by {@link
 * #overlap()}: the largest face the whole-frame pass cannot see (and some margin), so every face
 * the tiles must find lies wholly inside at least one tile; the last tile of a row or column is
 * aligned to the frame's edge. A frame no larger than one tile needs no tiles ({@link #count()} 0).
 *
 * @param frameWidth frame width, px
 * @param frameHeight frame height, px
 * @param tileSize side of a tile, px (a tile is clipped to the frame when the frame is narrower)
 * @param overlap px shared by neighbouring tiles (at least; the edge tiles may share more)
 * @param cols tiles per row (0 when no tiles are needed)
 * @param rows tiles per column (0 when no tiles are needed)
 */
public record TileGrid(
    int frameWidth, int frameHeight, int tileSize, int overlap, int cols, int rows) {

  /** Box margin over the face: a face must fit in a tile with this much room to be found. */
  static final float FACE_MARGIN = 1.3f;

  /** One tile: its index in row-major order and its rectangle in frame pixels. */
  public record Tile(int index, int x, int y, int width, int height) {
    /** True if the rectangle {@code [x0,x1) x [y0,y1)} overlaps this tile. */
    public boolean intersects(float x0, float y0, float x1, float y1) {
      return x0 < x + width && x1 > x && y0 < y + height && y1 > y;
    }
  }

  public TileGrid {
    if (frameWidth < 1 || frameHeight < 1) {
      throw new IllegalArgumentException(
          "frame size must be positive, was " + frameWidth + "x" + frameHeight);
    }
    if (tileSize < 1 || overlap < 0 || overlap >= tileSize) {
      throw new IllegalArgumentException(
          "need 0 <= overlap < tileSize, was overlap " + overlap + ", tileSize " + tileSize);
    }
    if (cols < 0 || rows < 0 || (cols == 0) != (rows == 0)) {
      throw new IllegalArgumentException("cols and rows must both be 0 or >= 1");
    }
  }

  /**
   * The tiles for a frame.
   *
   * @param frameWidth frame width, px
   * @param frameHeight frame height, px
   * @param minFaceSize smallest face side to find, px (>= 1)
   * @param minFaceFraction smallest face the detector finds, as a fraction of its input side (0..1)
   * @throws IllegalArgumentException naming the value out of range
   */
  public static TileGrid plan(
      int frameWidth, int frameHeight, int minFaceSize, float minFaceFraction) {
    if (minFaceSize < 1) {
      throw new IllegalArgumentException("minFaceSize must be >= 1, was " + minFaceSize);
    }
    if (!(minFaceFraction > 0 && minFaceFraction < 1)) {
      throw new IllegalArgumentException(
          "minFaceFraction must be in (0, 1), was " + minFaceFraction);
    }
    int tile = Math.max(2, (int) Math.floor(minFaceSize / minFaceFraction));
    int longSide = Math.max(frameWidth, frameHeight);
    // Faces from this size up are found by the whole-frame pass; tiles must hold anything smaller.
    float wholeFrameMin = minFaceFraction * longSide;
    int overlap = Math.min(tile / 2, (int) Math.ceil(FACE_MARGIN * wholeFrameMin));
    if (frameWidth <= tile && frameHeight <= tile) {
      return new TileGrid(frameWidth, frameHeight, tile, overlap, 0, 0);
    }
    return new TileGrid(
        frameWidth,
        frameHeight,
        tile,
        overlap,
        count(frameWidth, tile, overlap),
        count(frameHeight, tile, overlap));
  }

  private static int count(int length, int tile, int overlap) {
    if (length <= tile) {
      return 1;
    }
    int step = tile - overlap;
    return 1 + (length - tile + step - 1) / step;
  }

  /** Number of tiles. */
  public int count() {
    return cols * rows;
  }

  /** Tile {@code index} (row-major, 0..count()-1). */
  public Tile tile(int index) {
    if (index < 0 || index >= count()) {
      throw new IndexOutOfBoundsException("tile " + index + " of " + count());
    }
    int c = index % cols;
    int r = index / cols;
    int x = start(c, cols, frameWidth);
    int y = start(r, rows, frameHeight);
    return new Tile(
        index, x, y, Math.min(tileSize, frameWidth - x), Math.min(tileSize, frameHeight - y));
  }

  private int start(int i, int n, int length) {
    if (i == n - 1) {
      return Math.max(0, length - tileSize);
    }
    return i * (tileSize - overlap);
  }

  /**
   * True if {@code d} is cut by (or touches, within a tenth of its size) an edge of {@code t} that
   * lies inside the frame while a neighbouring tile holds a face of its size whole: such a box is
   * part of a face (the detector sees only the tile), and the neighbour reports the whole face.
   */
  public boolean cutByInnerEdge(Detection d, Tile t) {
    float side = Math.max(d.width(), d.height());
    float m = 0.1f * side;
    if (side + m > overlap) {
      return false;
    }
    return (t.x() > 0 && d.x() < t.x() + m)
        || (t.y() > 0 && d.y() < t.y() + m)
        || (t.x() + t.width() < frameWidth && d.x() + d.width() > t.x() + t.width() - m)
        || (t.y() + t.height() < frameHeight && d.y() + d.height() > t.y() + t.height() - m);
  }
}
