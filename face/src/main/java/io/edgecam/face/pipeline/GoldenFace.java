package io.edgecam.face.pipeline;

import io.edgecam.face.image.Frame;

/**
 * A synthetic, license-free face drawn at start-up (no image file shipped): skin-toned oval, eyes,
 * brows, nose and mouth on a grey gradient. Used to check that quantized models agree with the
 * float ones; it only has to look face-like to the detector, not like anyone.
 */
public final class GoldenFace {
  static final int SIZE = 256;

  private GoldenFace() {}

  /** The 256x256 golden face. */
  public static Frame draw() {
    Frame frame = Frame.allocate(SIZE, SIZE);
    byte[] px = frame.rgb();
    for (int y = 0; y < SIZE; y++) {
      for (int x = 0; x < SIZE; x++) {
        int[] c = colour(x + 0.5, y + 0.5);
        int i = 3 * (y * SIZE + x);
        px[i] = (byte) c[0];
        px[i + 1] = (byte) c[1];
        px[i + 2] = (byte) c[2];
      }
    }
    return frame;
  }

  /**
   * A {@code width x height} frame (at least 256x256) with the golden face in the middle on the
   * same grey background: a stand-in camera frame for benchmarks.
   */
  public static Frame frame(int width, int height) {
    if (width < SIZE || height < SIZE) {
      throw new IllegalArgumentException("frame must be at least " + SIZE + "x" + SIZE);
    }
    Frame face = draw();
    Frame frame = Frame.allocate(width, height);
    byte[] px = frame.rgb();
    int left = (width - SIZE) / 2;
    int top = (height - SIZE) / 2;
    for (int y = 0; y < height; y++) {
      for (int x = 0; x < width; x++) {
        int fx = Math.min(SIZE - 1, Math.max(0, x - left));
        int fy = Math.min(SIZE - 1, Math.max(0, y - top));
        boolean inside = x - left == fx && y - top == fy;
        int i = 3 * (y * width + x);
        int j = 3 * (fy * SIZE + (inside ? fx : 0));
        for (int c = 0; c < 3; c++) {
          px[i + c] = face.rgb()[j + c];
        }
      }
    }
    return frame;
  }

  private static int[] colour(double x, double y) {
    double cx = SIZE / 2.0;
    if (inEllipse(x, y, cx, 80, 70, 34)) { // hair
      return new int[] {60, 40, 30};
    }
    if (inEllipse(x, y, cx, 132, 62, 80)) {
      double shade = 1 - 0.25 * Math.abs(x - cx) / 62;
      if (inEllipse(x, y, 104, 118, 13, 7) || inEllipse(x, y, 152, 118, 13, 7)) {
        return inEllipse(x, y, 104, 118, 5, 5) || inEllipse(x, y, 152, 118, 5, 5)
            ? new int[] {25, 20, 20}
            : new int[] {235, 235, 230};
      }
      if (inEllipse(x, y, 104, 102, 16, 3) || inEllipse(x, y, 152, 102, 16, 3)) {
        return new int[] {70, 50, 40};
      }
      if (inEllipse(x, y, cx, 176, 24, 7)) {
        return new int[] {170, 70, 70};
      }
      if (inEllipse(x, y, cx, 152, 9, 6)) {
        return new int[] {(int) (170 * shade), (int) (120 * shade), (int) (100 * shade)};
      }
      return new int[] {(int) (225 * shade), (int) (180 * shade), (int) (150 * shade)};
    }
    int g = 90 + (int) (60 * y / SIZE);
    return new int[] {g, g, g + 10};
  }

  private static boolean inEllipse(double x, double y, double cx, double cy, double rx, double ry) {
    double dx = (x - cx) / rx;
    double dy = (y - cy) / ry;
    return dx * dx + dy * dy <= 1;
  }
}
