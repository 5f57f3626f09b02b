package io.edgecam.face.scene;

import io.edgecam.face.image.Frame;
import io.edgecam.face.image.Images;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Iterator;
import java.util.Random;
import javax.imageio.IIOImage;
import javax.imageio.ImageIO;
import javax.imageio.ImageWriteParam;
import javax.imageio.ImageWriter;
import javax.imageio.stream.MemoryCacheImageOutputStream;

/** Pixel operations for building scenes: area-averaged resampling, feathered paste, degradation. */
final class Raster {
  private Raster() {}

  /**
   * Samples the source square {@code (sx, sy, side)} (clamped at the image border) into an {@code n
   * x n} RGB float patch, averaging the source pixels under each patch pixel (no aliasing when
   * shrinking a 400 px face to 20 px).
   */
  static float[] patch(Frame src, double sx, double sy, double side, int n) {
    float[] out = new float[3 * n * n];
    double step = side / n;
    int sub = Math.max(1, Math.min(12, (int) Math.ceil(step)));
    for (int y = 0; y < n; y++) {
      for (int x = 0; x < n; x++) {
        float r = 0;
        float g = 0;
        float b = 0;
        for (int j = 0; j < sub; j++) {
          int py = clamp((int) (sy + (y + (j + 0.5) / sub) * step), src.height());
          for (int i = 0; i < sub; i++) {
            int px = clamp((int) (sx + (x + (i + 0.5) / sub) * step), src.width());
            r += src.channel(px, py, 0);
            g += src.channel(px, py, 1);
            b += src.channel(px, py, 2);
          }
        }
        float k = 1f / (sub * sub);
        int o = 3 * (y * n + x);
        out[o] = r * k;
        out[o + 1] = g * k;
        out[o + 2] = b * k;
      }
    }
    return out;
  }

  /** {@code src} scaled to cover {@code width x height} (centre crop), area-averaged. */
  static Frame cover(Frame src, int width, int height) {
    double scale = Math.max((double) width / src.width(), (double) height / src.height());
    double ox = (src.width() - width / scale) / 2;
    double oy = (src.height() - height / scale) / 2;
    Frame out = Frame.allocate(width, height);
    byte[] px = out.rgb();
    for (int y = 0; y < height; y++) {
      int sy = clamp((int) (oy + (y + 0.5) / scale), src.height());
      for (int x = 0; x < width; x++) {
        int sx = clamp((int) (ox + (x + 0.5) / scale), src.width());
        int o = 3 * (y * width + x);
        for (int c = 0; c < 3; c++) {
          px[o + c] = (byte) src.channel(sx, sy, c);
        }
      }
    }
    return out;
  }

  /** Pastes an {@code n x n} patch at (x, y), its outer {@code feather} share blended in. */
  static void paste(Frame dst, float[] patch, int n, int x0, int y0, float feather) {
    byte[] px = dst.rgb();
    float ramp = Math.max(1, feather * n);
    for (int y = 0; y < n; y++) {
      for (int x = 0; x < n; x++) {
        int fx = x0 + x;
        int fy = y0 + y;
        if (fx < 0 || fy < 0 || fx >= dst.width() || fy >= dst.height()) {
          continue;
        }
        int edge = Math.min(Math.min(x, y), Math.min(n - 1 - x, n - 1 - y));
        float a = Math.min(1, (edge + 0.5f) / ramp);
        int o = 3 * (fy * dst.width() + fx);
        int p = 3 * (y * n + x);
        for (int c = 0; c < 3; c++) {
          float v = a * patch[p + c] + (1 - a) * (px[o + c] & 0xff);
          px[o + c] = (byte) Math.round(Math.max(0, Math.min(255, v)));
        }
      }
    }
  }

  /** Camera-like degradation in place: 3x3 blur, Gaussian noise (sigma 6), JPEG quality 40. */
  static Frame degrade(Frame f, Random random) {
    int w = f.width();
    int h = f.height();
    byte[] px = f.rgb();
    byte[] blurred = new byte[3 * w * h];
    for (int y = 0; y < h; y++) {
      for (int x = 0; x < w; x++) {
        for (int c = 0; c < 3; c++) {
          int sum = 0;
          int wsum = 0;
          for (int dy = -1; dy <= 1; dy++) {
            for (int dx = -1; dx <= 1; dx++) {
              int k = (dx == 0 ? 2 : 1) * (dy == 0 ? 2 : 1);
              sum += k * (px[3 * (clamp(y + dy, h) * w + clamp(x + dx, w)) + c] & 0xff);
              wsum += k;
            }
          }
          double v = (double) sum / wsum + 6 * random.nextGaussian();
          blurred[3 * (y * w + x) + c] = (byte) Math.max(0, Math.min(255, Math.round(v)));
        }
      }
    }
    return Images.decode(jpeg(new Frame(w, h, blurred), 0.4f), "degraded scene");
  }

  /** JPEG bytes of a frame at {@code quality} (0..1). */
  static byte[] jpeg(Frame f, float quality) {
    BufferedImage img = new BufferedImage(f.width(), f.height(), BufferedImage.TYPE_INT_RGB);
    for (int y = 0; y < f.height(); y++) {
      for (int x = 0; x < f.width(); x++) {
        img.setRGB(x, y, f.channel(x, y, 0) << 16 | f.channel(x, y, 1) << 8 | f.channel(x, y, 2));
      }
    }
    Iterator<ImageWriter> writers = ImageIO.getImageWritersByFormatName("jpeg");
    ImageWriter writer = writers.next();
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (MemoryCacheImageOutputStream out = new MemoryCacheImageOutputStream(bytes)) {
      writer.setOutput(out);
      ImageWriteParam param = writer.getDefaultWriteParam();
      param.setCompressionMode(ImageWriteParam.MODE_EXPLICIT);
      param.setCompressionQuality(quality);
      writer.write(null, new IIOImage(img, null, null), param);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } finally {
      writer.dispose();
    }
    return bytes.toByteArray();
  }

  private static int clamp(int v, int n) {
    return Math.max(0, Math.min(n - 1, v));
  }
}
