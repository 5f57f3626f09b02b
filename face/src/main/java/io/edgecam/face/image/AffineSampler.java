package io.edgecam.face.image;

/**
 * Resamples a {@link Frame} through an affine map into a float RGB buffer: the pixel index {@code
 * (x, y)} of the destination takes the bilinear value at source index {@code (a*x + b*y + c, d*x +
 * e*y + f)}. When the map shrinks (more than one source pixel per destination pixel) each
 * destination pixel averages a k x k grid of samples (k up to 4), which is the antialiasing a plain
 * bilinear resize lacks.
 *
 * <p>Samples outside the <em>window</em> get a constant; samples inside the window but outside the
 * image take the nearest edge pixel (edge replication, used to pad tight crops). Written values are
 * {@code channel * scale + offset}. Not thread-safe: one instance per caller; no allocation per
 * call.
 */
public final class AffineSampler {
  private static final int MAX_SUPERSAMPLING = 4;
  private static final double DECIMATE_FROM = 4;

  private double a = 1;
  private double b;
  private double c;
  private double d;
  private double e = 1;
  private double f;
  private float scale = 1;
  private float offset;
  private float padValue;
  private double winX0 = Double.NEGATIVE_INFINITY;
  private double winY0 = Double.NEGATIVE_INFINITY;
  private double winX1 = Double.POSITIVE_INFINITY;
  private double winY1 = Double.POSITIVE_INFINITY;
  private final float[] offX = new float[MAX_SUPERSAMPLING * MAX_SUPERSAMPLING];
  private final float[] offY = new float[MAX_SUPERSAMPLING * MAX_SUPERSAMPLING];

  /** Sets the destination-index to source-index map. */
  public AffineSampler transform(double a, double b, double c, double d, double e, double f) {
    this.a = a;
    this.b = b;
    this.c = c;
    this.d = d;
    this.e = e;
    this.f = f;
    return this;
  }

  /** Output value = {@code channel (0..255) * scale + offset}; outside the window: pad value. */
  public AffineSampler normalization(float scale, float offset, float padValue) {
    this.scale = scale;
    this.offset = offset;
    this.padValue = padValue;
    return this;
  }

  /**
   * Source region (pixel-edge coordinates, may extend beyond the image) that counts as content;
   * beyond the image edge it is filled by edge replication, outside it by the pad value.
   */
  public AffineSampler window(double x0, double y0, double x1, double y1) {
    winX0 = x0;
    winY0 = y0;
    winX1 = x1;
    winY1 = y1;
    return this;
  }

  /** Window = the image itself (no edge replication). */
  public AffineSampler windowWholeImage(Frame src) {
    return window(0, 0, src.width(), src.height());
  }

  /** Fills {@code dst[offset .. offset + 3*w*h)} with the resampled image. */
  public void sample(Frame src, float[] dst, int dstOffset, int dstWidth, int dstHeight) {
    if (b == 0 && d == 0 && a >= 1 && e >= 1) {
      sampleAxisAligned(src, dst, dstOffset, dstWidth, dstHeight);
      return;
    }
    double srcPerDst = Math.sqrt(Math.abs(a * e - b * d));
    // k x k samples with k ~ the shrink factor: each sample then stands for about one source pixel.
    int k = (int) Math.min(MAX_SUPERSAMPLING, Math.max(1, Math.round(srcPerDst)));
    int samples = k * k;
    // Sub-sample offsets in source space, computed once per call (no division in the loop).
    for (int j = 0; j < k; j++) {
      double v = (j + 0.5) / k - 0.5;
      for (int i = 0; i < k; i++) {
        double u = (i + 0.5) / k - 0.5;
        offX[j * k + i] = (float) (a * u + b * v);
        offY[j * k + i] = (float) (d * u + e * v);
      }
    }
    float inv = 1f / samples;
    float padPx = scale == 0 ? 0 : (padValue - offset) / scale;
    float wx0 = (float) Math.max(-1e9, winX0) - 0.5f;
    float wx1 = (float) Math.min(1e9, winX1) - 0.5f;
    float wy0 = (float) Math.max(-1e9, winY0) - 0.5f;
    float wy1 = (float) Math.min(1e9, winY1) - 0.5f;
    byte[] px = src.rgb();
    int w = src.width();
    int h = src.height();
    float maxX = w - 1;
    float maxY = h - 1;
    int o = dstOffset;
    for (int y = 0; y < dstHeight; y++) {
      double rowX = b * y + c;
      double rowY = e * y + f;
      for (int x = 0; x < dstWidth; x++) {
        float bx = (float) (a * x + rowX);
        float by = (float) (d * x + rowY);
        float r = 0;
        float g = 0;
        float bl = 0;
        int outside = 0;
        for (int s = 0; s < samples; s++) {
          float sx = bx + offX[s];
          float sy = by + offY[s];
          if (sx < wx0 || sx >= wx1 || sy < wy0 || sy >= wy1) {
            outside++;
            continue;
          }
          sx = Math.min(Math.max(sx, 0f), maxX);
          sy = Math.min(Math.max(sy, 0f), maxY);
          int x0 = (int) sx;
          int y0 = (int) sy;
          int dx1 = x0 + 1 < w ? 3 : 0;
          int dy1 = y0 + 1 < h ? 3 * w : 0;
          float fx = sx - x0;
          float fy = sy - y0;
          int p00 = 3 * (y0 * w + x0);
          int p01 = p00 + dx1;
          int p10 = p00 + dy1;
          int p11 = p10 + dx1;
          float w00 = (1 - fx) * (1 - fy);
          float w01 = fx * (1 - fy);
          float w10 = (1 - fx) * fy;
          float w11 = fx * fy;
          r +=
              w00 * (px[p00] & 0xff)
                  + w01 * (px[p01] & 0xff)
                  + w10 * (px[p10] & 0xff)
                  + w11 * (px[p11] & 0xff);
          g +=
              w00 * (px[p00 + 1] & 0xff)
                  + w01 * (px[p01 + 1] & 0xff)
                  + w10 * (px[p10 + 1] & 0xff)
                  + w11 * (px[p11 + 1] & 0xff);
          bl +=
              w00 * (px[p00 + 2] & 0xff)
                  + w01 * (px[p01 + 2] & 0xff)
                  + w10 * (px[p10 + 2] & 0xff)
                  + w11 * (px[p11 + 2] & 0xff);
        }
        // Samples outside the window count as the pad value, expressed back in pixel units.
        dst[o] = (r + outside * padPx) * inv * scale + offset;
        dst[o + 1] = (g + outside * padPx) * inv * scale + offset;
        dst[o + 2] = (bl + outside * padPx) * inv * scale + offset;
        o += 3;
      }
    }
  }

  // Axis-aligned shrink (the detector's letterbox): separable area averaging, exact box filter.
  private int[] colStart = new int[0];
  private int[] colCount = new int[0];
  private int[] colIndex = new int[0];
  private float[] colWeight = new float[0];
  private int[] rowStart = new int[0];
  private int[] rowCount = new int[0];
  private int[] rowIndex = new int[0];
  private float[] rowWeight = new float[0];
  private float[] hRow = new float[0];
  private float[] acc = new float[0];

  private void sampleAxisAligned(
      Frame src, float[] dst, int dstOffset, int dstWidth, int dstHeight) {
    int maxTaps = (int) Math.ceil(Math.max(a, e)) + 2;
    if (colStart.length < dstWidth || colIndex.length < dstWidth * maxTaps) {
      colStart = new int[dstWidth];
      colCount = new int[dstWidth];
      colIndex = new int[dstWidth * maxTaps];
      colWeight = new float[dstWidth * maxTaps];
      hRow = new float[3 * dstWidth];
      acc = new float[3 * dstWidth];
    }
    if (rowStart.length < dstHeight || rowIndex.length < dstHeight * maxTaps) {
      rowStart = new int[dstHeight];
      rowCount = new int[dstHeight];
      rowIndex = new int[dstHeight * maxTaps];
      rowWeight = new float[dstHeight * maxTaps];
    }
    taps(
        a,
        c,
        dstWidth,
        maxTaps,
        winX0,
        winX1,
        src.width(),
        colStart,
        colCount,
        colIndex,
        colWeight);
    taps(
        e,
        f,
        dstHeight,
        maxTaps,
        winY0,
        winY1,
        src.height(),
        rowStart,
        rowCount,
        rowIndex,
        rowWeight);
    float padPx = scale == 0 ? 0 : (padValue - offset) / scale;
    byte[] px = src.rgb();
    int w = src.width();
    int o = dstOffset;
    for (int y = 0; y < dstHeight; y++) {
      java.util.Arrays.fill(acc, 0, 3 * dstWidth, 0f);
      for (int t = 0; t < rowCount[y]; t++) {
        int sy = rowIndex[rowStart[y] + t];
        float wy = rowWeight[rowStart[y] + t];
        if (sy < 0) {
          for (int i = 0; i < 3 * dstWidth; i++) {
            acc[i] += wy * padPx;
          }
          continue;
        }
        int rowBase = 3 * sy * w;
        for (int x = 0; x < dstWidth; x++) {
          float r = 0;
          float g = 0;
          float bl = 0;
          int start = colStart[x];
          for (int k = 0; k < colCount[x]; k++) {
            int sx = colIndex[start + k];
            float wx = colWeight[start + k];
            if (sx < 0) {
              r += wx * padPx;
              g += wx * padPx;
              bl += wx * padPx;
            } else {
              int p = rowBase + 3 * sx;
              r += wx * (px[p] & 0xff);
              g += wx * (px[p + 1] & 0xff);
              bl += wx * (px[p + 2] & 0xff);
            }
          }
          acc[3 * x] += wy * r;
          acc[3 * x + 1] += wy * g;
          acc[3 * x + 2] += wy * bl;
        }
      }
      for (int i = 0; i < 3 * dstWidth; i++) {
        dst[o + i] = acc[i] * scale + offset;
      }
      o += 3 * dstWidth;
    }
  }

  /**
   * Box-filter taps along one axis: destination pixel i covers source edges {@code [s*i + t + 0.5 -
   * s/2, s*i + t + 0.5 + s/2)}; each source pixel weighs its overlap. Index -1 marks a pixel
   * outside the window (pad value); others are clamped to the image.
   */
  private static void taps(
      double s,
      double t,
      int n,
      int maxTaps,
      double win0,
      double win1,
      int size,
      int[] start,
      int[] count,
      int[] index,
      float[] weight) {
    for (int i = 0; i < n; i++) {
      double centre = s * i + t + 0.5;
      double lo = centre - s / 2;
      double hi = centre + s / 2;
      int first = (int) Math.floor(lo);
      int last = (int) Math.ceil(hi) - 1;
      start[i] = i * maxTaps;
      int k = 0;
      double total = 0;
      // Shrinking 4x or more, every other source pixel is enough for the average (4x less work
      // over both axes); the footprint, which is what suppresses aliasing, stays the same.
      int step = s >= DECIMATE_FROM ? 2 : 1;
      for (int j = first; j <= last && k < maxTaps; j += step) {
        double overlap = Math.min(hi, j + 1) - Math.max(lo, j);
        if (overlap <= 0) {
          continue;
        }
        boolean inside = j + 0.5 >= win0 && j + 0.5 < win1;
        index[i * maxTaps + k] = inside ? Math.min(Math.max(j, 0), size - 1) : -1;
        weight[i * maxTaps + k] = (float) overlap;
        total += overlap;
        k++;
      }
      for (int q = 0; q < k; q++) {
        weight[i * maxTaps + q] /= (float) total;
      }
      count[i] = k;
    }
  }
}
