package io.edgecam.agent.capture;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.edgecam.agent.config.SourceConfig;
import io.edgecam.face.image.Frame;
import io.edgecam.protocol.Health;
import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import javax.imageio.ImageIO;
import org.bytedeco.ffmpeg.global.avcodec;
import org.bytedeco.ffmpeg.global.avutil;
import org.bytedeco.javacv.FFmpegFrameRecorder;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FrameSourceTest {
  private static final Color[] COLORS = {Color.RED, Color.GREEN, Color.BLUE, Color.WHITE};

  @TempDir Path dir;

  private static BufferedImage image(Color c) {
    BufferedImage img = new BufferedImage(64, 48, BufferedImage.TYPE_3BYTE_BGR);
    Graphics2D g = img.createGraphics();
    g.setColor(c);
    g.fillRect(0, 0, 64, 48);
    g.dispose();
    return img;
  }

  private static List<Integer> drain(FrameSource source, int max) throws InterruptedException {
    List<Integer> reds = new ArrayList<>();
    Frame f;
    while (reds.size() < max && (f = source.next()) != null) {
      reds.add(f.channel(32, 24, 0) > 128 ? 1 : 0);
    }
    return reds;
  }

  @Test
  void folderDeliversImagesInNameOrderOnce() throws Exception {
    for (int i = 0; i < 3; i++) {
      ImageIO.write(image(COLORS[i]), "png", dir.resolve("img-" + i + ".png").toFile());
    }
    Files.writeString(dir.resolve("notes.txt"), "not an image");

    try (FrameSource source =
        FrameSource.open(new SourceConfig(SourceConfig.Type.FOLDER, dir, null, 0, false))) {
      assertThat(drain(source, 10)).containsExactly(1, 0, 0);
      assertThat(source.next()).isNull();
    }
  }

  @Test
  void folderLoopsWhenAskedTo() throws Exception {
    ImageIO.write(image(Color.RED), "png", dir.resolve("a.png").toFile());
    ImageIO.write(image(Color.BLUE), "png", dir.resolve("b.png").toFile());

    try (FrameSource source =
        FrameSource.open(new SourceConfig(SourceConfig.Type.FOLDER, dir, null, 0, true))) {
      assertThat(drain(source, 5)).containsExactly(1, 0, 1, 0, 1);
    }
  }

  @Test
  void undecodableImageIsSkippedNotFatal() throws Exception {
    ImageIO.write(image(Color.RED), "png", dir.resolve("a.png").toFile());
    Files.write(dir.resolve("b.jpg"), new byte[] {(byte) 0xFF, (byte) 0xD8, 1, 2, 3});
    ImageIO.write(image(Color.RED), "png", dir.resolve("c.png").toFile());

    try (FrameSource source =
        FrameSource.open(new SourceConfig(SourceConfig.Type.FOLDER, dir, null, 0, false))) {
      assertThat(drain(source, 10)).containsExactly(1, 1);
      assertThat(source.skipped()).isEqualTo(1);
      assertThat(source.health().state()).isEqualTo(Health.State.DEGRADED);
    }
  }

  @Test
  void emptyFolderIsAnErrorNamingIt() {
    assertThatThrownBy(
            () -> FrameSource.open(new SourceConfig(SourceConfig.Type.FOLDER, dir, null, 0, false)))
        .isInstanceOf(CaptureException.class)
        .hasMessageContaining(dir.toString());
  }

  @Test
  void folderIsPacedToTheConfiguredRate() throws Exception {
    ImageIO.write(image(Color.RED), "png", dir.resolve("a.png").toFile());
    try (FrameSource source =
        FrameSource.open(new SourceConfig(SourceConfig.Type.FOLDER, dir, null, 20, true))) {
      long start = System.nanoTime();
      drain(source, 11);
      long ms = (System.nanoTime() - start) / 1_000_000;
      // A lower bound only: how much longer a loaded machine takes is not this test's business
      // (PacerTest checks the schedule itself on a fake clock).
      assertThat(ms)
          .as("11 frames at 20 fps take at least 10 periods")
          .isGreaterThanOrEqualTo(450L);
    }
  }

  @Test
  void videoFileGeneratedFromImagesIsDecodedToRgbFrames() throws Exception {
    Path video = dir.resolve("clip.avi");
    int frames = 12;
    try (FFmpegFrameRecorder rec = new FFmpegFrameRecorder(video.toFile(), 64, 48)) {
      rec.setFormat("avi");
      rec.setVideoCodec(avcodec.AV_CODEC_ID_MJPEG);
      rec.setPixelFormat(avutil.AV_PIX_FMT_YUVJ420P);
      rec.setFrameRate(25);
      rec.start();
      for (int i = 0; i < frames; i++) {
        org.bytedeco.javacv.Frame f =
            new org.bytedeco.javacv.Frame(64, 48, org.bytedeco.javacv.Frame.DEPTH_UBYTE, 3);
        ByteBuffer buf = (ByteBuffer) f.image[0];
        Color c = i % 2 == 0 ? Color.RED : Color.BLUE;
        for (int y = 0; y < 48; y++) {
          for (int x = 0; x < 64; x++) {
            int o = y * f.imageStride + 3 * x;
            buf.put(o, (byte) c.getRed())
                .put(o + 1, (byte) c.getGreen())
                .put(o + 2, (byte) c.getBlue());
          }
        }
        rec.record(f, avutil.AV_PIX_FMT_RGB24);
      }
    }
    assertThat(Files.size(video)).isPositive();

    try (FrameSource source =
        FrameSource.open(new SourceConfig(SourceConfig.Type.VIDEO, video, null, 0, false))) {
      Frame first = source.next();
      assertThat(first).isNotNull();
      assertThat(first.width()).isEqualTo(64);
      assertThat(first.height()).isEqualTo(48);
      List<Integer> reds = new ArrayList<>();
      reds.add(first.channel(32, 24, 0) > 128 ? 1 : 0);
      reds.addAll(drain(source, 100));
      assertThat(reds).hasSize(frames).startsWith(1, 0, 1, 0);
      assertThat(source.next()).isNull();
    }
  }

  @Test
  void missingVideoFileIsAnErrorNamingIt() {
    Path missing = dir.resolve("missing.mp4");
    assertThatThrownBy(
            () ->
                FrameSource.open(
                    new SourceConfig(SourceConfig.Type.VIDEO, missing, null, 0, false)))
        .isInstanceOf(CaptureException.class)
        .hasMessageContaining("missing.mp4");
  }
}
