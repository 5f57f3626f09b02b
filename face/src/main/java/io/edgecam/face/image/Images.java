package io.edgecam.face.image;

import java.awt.image.BufferedImage;
import java.awt.image.DataBufferByte;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import javax.imageio.ImageIO;
import javax.imageio.ImageReader;
import javax.imageio.ImageTypeSpecifier;
import javax.imageio.stream.ImageInputStream;
import javax.imageio.stream.MemoryCacheImageInputStream;

/**
 * Decodes JPEG and PNG files into {@link Frame}s with the EXIF orientation applied, so that the
 * frame is upright as a viewer would show it. Other formats ImageIO knows (GIF, BMP, TIFF, WBMP)
 * are refused. Decoding reads from memory only: ImageIO's default would copy an uploaded image to a
 * cache file in the shared temp folder. Stateless and thread-safe.
 */
public final class Images {
  /**
   * Largest image decoded, in pixels (8K UHD is 33.2 million): bounds the memory one file takes.
   */
  public static final long MAX_PIXELS = 40_000_000L;

  /**
   * Largest decoded raster, in bytes (an 8K UHD JPEG is 100 MB): a 6300x6300 16-bit RGBA PNG is
   * under {@link #MAX_PIXELS} but decodes to 318 MB (measured: 11.7 s of CPU and 620 MB of heap).
   */
  public static final long MAX_DECODED_BYTES = 128L * 1024 * 1024;

  private static final Set<String> FORMATS = Set.of("jpeg", "png");

  private Images() {}

  /**
   * Reads and decodes an image file.
   *
   * @throws ImageDecodeException naming the file if it is missing, empty, truncated, corrupt or not
   *     a supported format
   */
  public static Frame read(Path file) {
    byte[] bytes;
    try {
      bytes = Files.readAllBytes(file);
    } catch (NoSuchFileException e) {
      throw new ImageDecodeException(file + ": no such file", e);
    } catch (IOException e) {
      throw new ImageDecodeException(file + ": cannot read: " + e.getMessage(), e);
    }
    return decode(bytes, file.toString());
  }

  /**
   * Decodes encoded image bytes; {@code name} is used in error messages.
   *
   * @throws ImageDecodeException if the bytes are empty, truncated, corrupt or unsupported
   */
  public static Frame decode(byte[] bytes, String name) {
    if (bytes.length == 0) {
      throw new ImageDecodeException(name + ": empty file (0 bytes)");
    }
    BufferedImage image = decodeImage(bytes, name);
    return toFrame(image, ExifOrientation.read(bytes));
  }

  private static BufferedImage decodeImage(byte[] bytes, String name) {
    try (ImageInputStream in = new MemoryCacheImageInputStream(new ByteArrayInputStream(bytes))) {
      Iterator<ImageReader> readers = ImageIO.getImageReaders(in);
      if (!readers.hasNext()) {
        throw new ImageDecodeException(name + ": not a JPEG or PNG image (unknown format)");
      }
      ImageReader reader = readers.next();
      String format = reader.getFormatName().toLowerCase(Locale.ROOT);
      if (!FORMATS.contains(format)) {
        reader.dispose();
        throw new ImageDecodeException(
            name + ": not a JPEG or PNG image (" + format + " is not accepted)");
      }
      List<String> warnings = new ArrayList<>();
      reader.addIIOReadWarningListener((source, warning) -> warnings.add(warning));
      try {
        reader.setInput(in, true, true);
        // The header's size decides the allocation: refuse a hostile claim before reading pixels.
        long pixels = (long) reader.getWidth(0) * reader.getHeight(0);
        if (pixels > MAX_PIXELS) {
          throw new ImageDecodeException(
              name
                  + ": image of "
                  + reader.getWidth(0)
                  + "x"
                  + reader.getHeight(0)
                  + " pixels exceeds "
                  + MAX_PIXELS
                  + " pixels");
        }
        long decoded = pixels * bitsPerPixel(reader) / 8;
        if (decoded > MAX_DECODED_BYTES) {
          throw new ImageDecodeException(
              name
                  + ": image of "
                  + reader.getWidth(0)
                  + "x"
                  + reader.getHeight(0)
                  + " pixels decodes to "
                  + decoded
                  + " bytes, more than "
                  + MAX_DECODED_BYTES);
        }
        BufferedImage image = reader.read(0);
        if (!warnings.isEmpty()) {
          // libjpeg reports truncated data as a warning and fills the rest with grey.
          throw new ImageDecodeException(
              name + ": corrupt or truncated image (" + warnings.get(0) + ")");
        }
        return image;
      } finally {
        reader.dispose();
      }
    } catch (IOException | RuntimeException e) {
      if (e instanceof ImageDecodeException ide) {
        throw ide;
      }
      throw new ImageDecodeException(
          name + ": corrupt or truncated image (" + e.getMessage() + ")", e);
    }
  }

  /** Bits per pixel of the raster the reader would allocate (16-bit PNG: 48 or 64). */
  private static long bitsPerPixel(ImageReader reader) throws IOException {
    ImageTypeSpecifier type = reader.getRawImageType(0);
    if (type == null) {
      Iterator<ImageTypeSpecifier> types = reader.getImageTypes(0);
      type = types.hasNext() ? types.next() : null;
    }
    if (type == null) {
      return 32;
    }
    long bits = 0;
    for (int size : type.getSampleModel().getSampleSize()) {
      // Samples are stored in whole bytes or shorts, whatever their declared depth.
      bits += size <= 8 ? 8 : size <= 16 ? 16 : 32;
    }
    return Math.max(bits, 8);
  }

  private static Frame toFrame(BufferedImage image, int orientation) {
    int w = image.getWidth();
    int h = image.getHeight();
    boolean swap = orientation >= 5;
    Frame frame = Frame.allocate(swap ? h : w, swap ? w : h);
    byte[] out = frame.rgb();
    int dw = frame.width();
    byte[] bgr =
        image.getType() == BufferedImage.TYPE_3BYTE_BGR
            ? ((DataBufferByte) image.getRaster().getDataBuffer()).getData()
            : null;
    if (bgr != null && orientation == ExifOrientation.NORMAL) {
      // The common case (camera JPEG, upright): swap BGR to RGB in one pass.
      for (int i = 0; i < 3 * w * h; i += 3) {
        out[i] = bgr[i + 2];
        out[i + 1] = bgr[i + 1];
        out[i + 2] = bgr[i];
      }
      return frame;
    }
    int[] row = new int[w];
    for (int y = 0; y < h; y++) {
      if (bgr == null) {
        image.getRGB(0, y, w, 1, row, 0, w);
      }
      for (int x = 0; x < w; x++) {
        int r;
        int g;
        int b;
        if (bgr != null) {
          int i = 3 * (y * w + x);
          b = bgr[i] & 0xff;
          g = bgr[i + 1] & 0xff;
          r = bgr[i + 2] & 0xff;
        } else {
          int argb = row[x];
          r = (argb >> 16) & 0xff;
          g = (argb >> 8) & 0xff;
          b = argb & 0xff;
        }
        int o = 3 * displayIndex(orientation, x, y, w, h, dw);
        out[o] = (byte) r;
        out[o + 1] = (byte) g;
        out[o + 2] = (byte) b;
      }
    }
    return frame;
  }

  /** Index of the displayed pixel that stored pixel (x, y) lands on, per EXIF orientation. */
  static int displayIndex(int orientation, int x, int y, int w, int h, int displayWidth) {
    int dx;
    int dy;
    switch (orientation) {
      case 2 -> {
        dx = w - 1 - x;
        dy = y;
      }
      case 3 -> {
        dx = w - 1 - x;
        dy = h - 1 - y;
      }
      case 4 -> {
        dx = x;
        dy = h - 1 - y;
      }
      case 5 -> {
        dx = y;
        dy = x;
      }
      case 6 -> {
        dx = h - 1 - y;
        dy = x;
      }
      case 7 -> {
        dx = h - 1 - y;
        dy = w - 1 - x;
      }
      case 8 -> {
        dx = y;
        dy = w - 1 - x;
      }
      default -> {
        dx = x;
        dy = y;
      }
    }
    return dy * displayWidth + dx;
  }
}
