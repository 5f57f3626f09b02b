package io.edgecam.face.image;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ImagesTest {
  @TempDir Path tmp;

  /** 32x16: left half red, right half blue. */
  private static byte[] jpegRedLeftBlueRight() throws Exception {
    BufferedImage img = new BufferedImage(32, 16, BufferedImage.TYPE_INT_RGB);
    Graphics2D g = img.createGraphics();
    g.setColor(Color.RED);
    g.fillRect(0, 0, 16, 16);
    g.setColor(Color.BLUE);
    g.fillRect(16, 0, 16, 16);
    g.dispose();
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ImageIO.write(img, "jpg", out);
    return out.toByteArray();
  }

  /** Inserts an APP1 Exif segment (big-endian TIFF, IFD0 with the orientation) after SOI. */
  static byte[] withOrientation(byte[] jpeg, int orientation) {
    byte[] tiff = {
      'M',
      'M',
      0,
      42,
      0,
      0,
      0,
      8, // header, IFD0 at 8
      0,
      1, // one entry
      0x01,
      0x12,
      0,
      3,
      0,
      0,
      0,
      1,
      0,
      (byte) orientation,
      0,
      0, // orientation, SHORT, count 1
      0,
      0,
      0,
      0 // no next IFD
    };
    int length = 2 + 6 + tiff.length;
    byte[] out = new byte[jpeg.length + 2 + length];
    out[0] = (byte) 0xFF;
    out[1] = (byte) 0xD8;
    out[2] = (byte) 0xFF;
    out[3] = (byte) 0xE1;
    out[4] = (byte) (length >> 8);
    out[5] = (byte) length;
    System.arraycopy(new byte[] {'E', 'x', 'i', 'f', 0, 0}, 0, out, 6, 6);
    System.arraycopy(tiff, 0, out, 12, tiff.length);
    System.arraycopy(jpeg, 2, out, 12 + tiff.length, jpeg.length - 2);
    return out;
  }

  private static boolean isRed(Frame f, int x, int y) {
    return f.channel(x, y, 0) > 200 && f.channel(x, y, 2) < 60;
  }

  private static boolean isBlue(Frame f, int x, int y) {
    return f.channel(x, y, 2) > 200 && f.channel(x, y, 0) < 60;
  }

  @Test
  void decodesRgbInOrder() throws Exception {
    Frame f = Images.decode(jpegRedLeftBlueRight(), "t.jpg");
    assertThat(f.width()).isEqualTo(32);
    assertThat(f.height()).isEqualTo(16);
    assertThat(isRed(f, 4, 8)).isTrue();
    assertThat(isBlue(f, 28, 8)).isTrue();
  }

  @Test
  void exifOrientation6IsRotatedClockwise() throws Exception {
    byte[] jpeg = withOrientation(jpegRedLeftBlueRight(), 6);
    assertThat(ExifOrientation.read(jpeg)).isEqualTo(6);
    Frame f = Images.decode(jpeg, "rotated.jpg");
    assertThat(f.width()).isEqualTo(16);
    assertThat(f.height()).isEqualTo(32);
    // The stored left edge is the displayed top.
    assertThat(isRed(f, 8, 4)).isTrue();
    assertThat(isBlue(f, 8, 28)).isTrue();
  }

  @Test
  void exifOrientation3IsUpsideDown() throws Exception {
    Frame f = Images.decode(withOrientation(jpegRedLeftBlueRight(), 3), "flipped.jpg");
    assertThat(f.width()).isEqualTo(32);
    assertThat(isBlue(f, 4, 8)).isTrue();
    assertThat(isRed(f, 28, 8)).isTrue();
  }

  @Test
  void exifOrientation8IsRotatedCounterClockwise() throws Exception {
    Frame f = Images.decode(withOrientation(jpegRedLeftBlueRight(), 8), "ccw.jpg");
    assertThat(f.height()).isEqualTo(32);
    assertThat(isBlue(f, 8, 4)).isTrue();
    assertThat(isRed(f, 8, 28)).isTrue();
  }

  @Test
  void noExifMeansNormal() throws Exception {
    assertThat(ExifOrientation.read(jpegRedLeftBlueRight())).isEqualTo(1);
    assertThat(ExifOrientation.read(new byte[] {1, 2, 3})).isEqualTo(1);
  }

  @Test
  void everyOrientationIndexIsAPermutation() {
    for (int o = 1; o <= 8; o++) {
      int w = 5;
      int h = 3;
      int dw = o >= 5 ? h : w;
      boolean[] seen = new boolean[w * h];
      for (int y = 0; y < h; y++) {
        for (int x = 0; x < w; x++) {
          seen[Images.displayIndex(o, x, y, w, h, dw)] = true;
        }
      }
      boolean[] all = new boolean[w * h];
      Arrays.fill(all, true);
      assertThat(seen).as("orientation %d", o).isEqualTo(all);
    }
  }

  @Test
  void missingFileNamesTheFile() {
    Path missing = tmp.resolve("nope.jpg");
    assertThatThrownBy(() -> Images.read(missing))
        .isInstanceOf(ImageDecodeException.class)
        .hasMessage(missing + ": no such file");
  }

  @Test
  void emptyFileNamesTheFile() throws Exception {
    Path empty = Files.write(tmp.resolve("empty.jpg"), new byte[0]);
    assertThatThrownBy(() -> Images.read(empty))
        .isInstanceOf(ImageDecodeException.class)
        .hasMessageContaining(empty.toString())
        .hasMessageContaining("empty");
  }

  @Test
  void garbageIsNotAnImage() throws Exception {
    Path junk = Files.writeString(tmp.resolve("junk.jpg"), "this is not an image");
    assertThatThrownBy(() -> Images.read(junk))
        .isInstanceOf(ImageDecodeException.class)
        .hasMessageContaining(junk.toString())
        .hasMessageContaining("not a JPEG or PNG");
  }

  @Test
  void truncatedJpegIsAnError() throws Exception {
    byte[] jpeg = jpegRedLeftBlueRight();
    Path cut = Files.write(tmp.resolve("cut.jpg"), Arrays.copyOf(jpeg, jpeg.length / 2));
    assertThatThrownBy(() -> Images.read(cut))
        .isInstanceOf(ImageDecodeException.class)
        .hasMessageContaining(cut.toString())
        .hasMessageContaining("truncated");
  }

  @Test
  void corruptPngIsAnError() throws Exception {
    BufferedImage img = new BufferedImage(8, 8, BufferedImage.TYPE_INT_RGB);
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ImageIO.write(img, "png", out);
    byte[] png = out.toByteArray();
    for (int i = 40; i < png.length - 12; i++) {
      png[i] ^= 0x5A;
    }
    Path bad = Files.write(tmp.resolve("bad.png"), png);
    assertThatThrownBy(() -> Images.read(bad))
        .isInstanceOf(ImageDecodeException.class)
        .hasMessageContaining(bad.toString());
  }

  @Test
  void frameRejectsTooSmallBufferAndReusesOnReset() {
    assertThatThrownBy(() -> new Frame(4, 4, new byte[10])).hasMessageContaining("rgb.length");
    Frame f = Frame.allocate(10, 10);
    byte[] buffer = f.rgb();
    f.reset(5, 5);
    assertThat(f.rgb()).isSameAs(buffer);
    f.reset(20, 20);
    assertThat(f.rgb().length).isEqualTo(1200);
  }

  @Test
  void refusesAnImageWhoseHeaderClaimsMoreThanTheMaximumPixelsBeforeAllocatingThem()
      throws Exception {
    // A 156-byte PNG claiming 20000 x 20000 pixels would make ImageIO allocate 1.2 GB.
    byte[] bomb =
        getClass()
            .getResourceAsStream("/fuzz-corpus/image/png-claims-20000x20000.png")
            .readAllBytes();
    assertThatThrownBy(() -> Images.decode(bomb, "bomb.png"))
        .isInstanceOf(ImageDecodeException.class)
        .hasMessage("bomb.png: image of 20000x20000 pixels exceeds 40000000 pixels");
  }

  /** A PNG with a real IHDR and no pixel data: enough for the header checks. */
  private static byte[] pngHeader(int width, int height, int bitDepth, int colorType) {
    java.nio.ByteBuffer ihdr = java.nio.ByteBuffer.allocate(13);
    ihdr.putInt(width).putInt(height).put((byte) bitDepth).put((byte) colorType);
    ihdr.put((byte) 0).put((byte) 0).put((byte) 0);
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    out.writeBytes(new byte[] {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n'});
    chunk(out, "IHDR", ihdr.array());
    chunk(out, "IDAT", new byte[] {0x78, (byte) 0x9c, 0x03, 0x00, 0x00, 0x00, 0x00, 0x01});
    chunk(out, "IEND", new byte[0]);
    return out.toByteArray();
  }

  private static void chunk(ByteArrayOutputStream out, String type, byte[] data) {
    java.util.zip.CRC32 crc = new java.util.zip.CRC32();
    byte[] t = type.getBytes(java.nio.charset.StandardCharsets.US_ASCII);
    crc.update(t);
    crc.update(data);
    out.writeBytes(java.nio.ByteBuffer.allocate(4).putInt(data.length).array());
    out.writeBytes(t);
    out.writeBytes(data);
    out.writeBytes(java.nio.ByteBuffer.allocate(4).putInt((int) crc.getValue()).array());
  }

  /** Security review, issue 17: under the pixel limit, 318 MB once decoded (11.7 s of CPU). */
  @Test
  void refusesA16BitPngThatDecodesToMoreThanTheMaximumBytes() {
    byte[] png = pngHeader(6300, 6300, 16, 6);
    assertThatThrownBy(() -> Images.decode(png, "deep.png"))
        .isInstanceOf(ImageDecodeException.class)
        .hasMessage(
            "deep.png: image of 6300x6300 pixels decodes to 317520000 bytes, more than "
                + Images.MAX_DECODED_BYTES);
  }

  /** Security review, issue 17: only the documented formats. */
  @Test
  void refusesGifAndBmpThoughImageIoCouldDecodeThem() throws Exception {
    BufferedImage img = new BufferedImage(8, 8, BufferedImage.TYPE_INT_RGB);
    for (String format : new String[] {"gif", "bmp"}) {
      ByteArrayOutputStream out = new ByteArrayOutputStream();
      assertThat(ImageIO.write(img, format, out)).isTrue();
      assertThatThrownBy(() -> Images.decode(out.toByteArray(), "x." + format))
          .isInstanceOf(ImageDecodeException.class)
          .hasMessage("x." + format + ": not a JPEG or PNG image (" + format + " is not accepted)");
    }
  }

  /**
   * Security review, issue 17: with ImageIO's cache on (its default), decoding copied the upload to
   * an {@code imageio*.tmp} file in the cache folder (the shared temp folder). The watch service
   * sees a created file even if it was deleted again; the marker file written after the decode
   * bounds the wait.
   */
  @Test
  void decodingWritesNothingToImageIoCacheFolder() throws Exception {
    boolean useCache = ImageIO.getUseCache();
    java.io.File cacheDir = ImageIO.getCacheDirectory();
    byte[] jpeg = jpegRedLeftBlueRight();
    try (java.nio.file.WatchService watch = tmp.getFileSystem().newWatchService()) {
      tmp.register(watch, java.nio.file.StandardWatchEventKinds.ENTRY_CREATE);
      ImageIO.setUseCache(true);
      ImageIO.setCacheDirectory(tmp.toFile());
      Images.decode(jpeg, "t.jpg");
      Files.write(tmp.resolve("marker"), new byte[1]);
      java.util.List<String> created = new java.util.ArrayList<>();
      while (!created.contains("marker")) {
        java.nio.file.WatchKey key = watch.poll(10, java.util.concurrent.TimeUnit.SECONDS);
        assertThat(key).as("the marker's event").isNotNull();
        key.pollEvents().forEach(e -> created.add(e.context().toString()));
        key.reset();
      }
      assertThat(created).containsExactly("marker");
    } finally {
      ImageIO.setUseCache(useCache);
      ImageIO.setCacheDirectory(cacheDir);
    }
  }
}
