package io.edgecam.protocol;

/**
 * A face's bounding box in source-frame pixels: top-left corner and size, each {@code 0..}{@link
 * #MAX_COORDINATE}. Immutable.
 */
public record Box(int x, int y, int width, int height) {
  /** Largest coordinate or size (fits an unsigned 16-bit number). */
  public static final int MAX_COORDINATE = 65_535;

  /** Throws {@link IllegalArgumentException} if a value is out of range. */
  public Box {
    if (x < 0
        || y < 0
        || width < 0
        || height < 0
        || x > MAX_COORDINATE
        || y > MAX_COORDINATE
        || width > MAX_COORDINATE
        || height > MAX_COORDINATE) {
      throw new IllegalArgumentException(
          "box coordinates must be in 0.."
              + MAX_COORDINATE
              + ", was "
              + x
              + ","
              + y
              + " "
              + width
              + "x"
              + height);
    }
  }
}
