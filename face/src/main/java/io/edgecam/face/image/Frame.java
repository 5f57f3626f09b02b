package io.edgecam.face.image;

/**
 * An RGB image, 8 bits per channel, interleaved row-major ({@code r,g,b,r,g,b,...}).
 *
 * <p>Frames are mutable on purpose so that a capture loop can reuse one buffer for every frame:
 * {@link #reset(int, int)} re-dimensions in place and only grows the buffer when it is too small.
 * Not thread-safe; a frame belongs to one thread at a time.
 */
public final class Frame {
  private int width;
  private int height;
  private byte[] rgb;

  /**
   * Wraps {@code rgb} (not copied).
   *
   * @throws IllegalArgumentException if a dimension is not positive or the buffer is too small
   */
  public Frame(int width, int height, byte[] rgb) {
    checkSize(width, height);
    if (rgb.length < 3 * width * height) {
      throw new IllegalArgumentException(
          "rgb.length < 3 * width * height: " + rgb.length + " < " + 3 * width * height);
    }
    this.width = width;
    this.height = height;
    this.rgb = rgb;
  }

  /** A black frame of the given size. */
  public static Frame allocate(int width, int height) {
    checkSize(width, height);
    return new Frame(width, height, new byte[3 * width * height]);
  }

  /** Width in pixels. */
  public int width() {
    return width;
  }

  /** Height in pixels. */
  public int height() {
    return height;
  }

  /** The backing buffer (not a copy); may be longer than {@code 3 * width * height}. */
  public byte[] rgb() {
    return rgb;
  }

  /** Red, green or blue ({@code channel} 0..2) of pixel (x, y), 0..255. */
  public int channel(int x, int y, int channel) {
    return rgb[3 * (y * width + x) + channel] & 0xff;
  }

  /** Changes the dimensions, reusing the buffer when it is large enough. Content is undefined. */
  public void reset(int newWidth, int newHeight) {
    checkSize(newWidth, newHeight);
    int needed = 3 * newWidth * newHeight;
    if (rgb.length < needed) {
      rgb = new byte[needed];
    }
    width = newWidth;
    height = newHeight;
  }

  private static void checkSize(int width, int height) {
    if (width < 1 || height < 1) {
      throw new IllegalArgumentException(
          "frame size must be positive, was " + width + "x" + height);
    }
  }

  @Override
  public String toString() {
    return "Frame[" + width + "x" + height + "]";
  }
}
