package io.edgecam.agent.capture;

import io.edgecam.agent.config.SourceConfig;
import io.edgecam.face.image.Frame;
import io.edgecam.protocol.Health;
import java.nio.ByteBuffer;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import org.bytedeco.ffmpeg.global.avutil;
import org.bytedeco.javacv.FFmpegFrameGrabber;
import org.bytedeco.javacv.FrameGrabber;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Video file, RTSP, HTTP MJPEG and V4L2 sources through FFmpeg (JavaCV's FFmpegFrameGrabber),
 * decoding straight to RGB24 into one reused frame buffer. Live sources never end: when the stream
 * drops they reopen with backoff and report DEGRADED health meanwhile. A frame that fails to decode
 * is counted and skipped.
 */
final class FfmpegFrameSource implements FrameSource {
  private static final Logger log = LoggerFactory.getLogger(FfmpegFrameSource.class);
  private static final long MAX_BACKOFF_MS = 10_000;
  private static final int MAX_BAD_FRAMES_IN_A_ROW = 100;

  private final SourceConfig config;
  private final Pacer pacer;
  private final Frame frame = Frame.allocate(1, 1);
  private volatile @Nullable FFmpegFrameGrabber grabber;
  private long backoffMs = 250;
  private volatile long skipped;
  private volatile String problem = "";

  FfmpegFrameSource(SourceConfig config) {
    this.config = config;
    this.pacer = new Pacer(config.fps());
    if (!config.isLive()) {
      // A file that cannot be opened is a configuration error, reported at start.
      grabber = openGrabber();
    }
  }

  private FFmpegFrameGrabber openGrabber() {
    FFmpegFrameGrabber g = new FFmpegFrameGrabber(config.location());
    switch (config.type()) {
      case RTSP -> {
        g.setOption("rtsp_transport", "tcp");
        g.setOption("timeout", "5000000"); // microseconds
      }
      case MJPEG -> {
        g.setFormat("mjpeg");
        g.setOption("rw_timeout", "5000000");
      }
      case V4L2 -> {
        g.setFormat("video4linux2");
        if (config.fps() > 0) {
          g.setFrameRate(config.fps());
        }
      }
      default -> {}
    }
    g.setPixelFormat(avutil.AV_PIX_FMT_RGB24);
    try {
      g.start();
      log.info(
          "frame source: {} {} ({}x{}, {} fps)",
          config.type().name().toLowerCase(),
          config.display(),
          g.getImageWidth(),
          g.getImageHeight(),
          g.getFrameRate());
      return g;
    } catch (FrameGrabber.Exception e) {
      closeQuietly(g);
      throw new CaptureException(
          "source: cannot open " + config.display() + ": " + scrub(e.getMessage()), e);
    }
  }

  @Override
  public @Nullable Frame next() throws InterruptedException {
    int badInARow = 0;
    while (true) {
      if (Thread.interrupted()) {
        throw new InterruptedException();
      }
      FFmpegFrameGrabber g = grabber;
      if (g == null) {
        g = reopenLive();
        continue;
      }
      org.bytedeco.javacv.Frame f;
      try {
        f = g.grabImage();
      } catch (FrameGrabber.Exception e) {
        skipped++;
        problem = "frame decode failed: " + scrub(e.getMessage());
        log.warn("{}: {}", config.display(), problem);
        if (++badInARow >= MAX_BAD_FRAMES_IN_A_ROW || config.isLive()) {
          dropGrabber();
          if (!config.isLive()) {
            return null;
          }
        }
        continue;
      }
      if (f == null || f.image == null) {
        if (config.isLive()) {
          problem = "stream ended";
          dropGrabber();
          continue;
        }
        if (!config.loop()) {
          return null;
        }
        restartFile(g);
        continue;
      }
      if (config.isLive()) {
        if (!pacer.due()) {
          continue; // faster than the configured rate: drop
        }
      } else {
        pacer.await();
      }
      copy(f);
      backoffMs = 250;
      return frame;
    }
  }

  private void restartFile(FFmpegFrameGrabber g) {
    try {
      g.setTimestamp(0);
    } catch (FrameGrabber.Exception e) {
      dropGrabber();
      grabber = openGrabber();
    }
  }

  private FFmpegFrameGrabber reopenLive() throws InterruptedException {
    while (true) {
      try {
        FFmpegFrameGrabber g = openGrabber();
        grabber = g;
        problem = "";
        return g;
      } catch (CaptureException e) {
        problem = e.getMessage();
        log.warn("{}; retrying in {} ms", problem, backoffMs);
        LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(backoffMs));
        if (Thread.interrupted()) {
          throw new InterruptedException();
        }
        backoffMs = Math.min(MAX_BACKOFF_MS, backoffMs * 2);
      }
    }
  }

  /** Copies an RGB24 image row by row (FFmpeg rows may be padded) into the reused frame. */
  private void copy(org.bytedeco.javacv.Frame f) {
    int w = f.imageWidth;
    int h = f.imageHeight;
    frame.reset(w, h);
    ByteBuffer src = (ByteBuffer) f.image[0];
    int stride = f.imageStride;
    byte[] dst = frame.rgb();
    int row = 3 * w;
    for (int y = 0; y < h; y++) {
      src.position(y * stride);
      src.get(dst, y * row, row);
    }
    src.position(0);
  }

  @Override
  public Health health() {
    String p = problem;
    if (grabber == null && config.isLive()) {
      return Health.degraded(p.isEmpty() ? "stream not connected" : p);
    }
    return p.isEmpty() ? Health.ok() : Health.degraded(p);
  }

  @Override
  public long skipped() {
    return skipped;
  }

  private void dropGrabber() {
    FFmpegFrameGrabber g = grabber;
    grabber = null;
    if (g != null) {
      closeQuietly(g);
    }
  }

  private static void closeQuietly(FFmpegFrameGrabber g) {
    try {
      g.close();
    } catch (FrameGrabber.Exception e) {
      log.debug("closing the grabber failed", e);
    }
  }

  @Override
  public void close() {
    dropGrabber();
  }

  /** FFmpeg's messages quote the URL it was given: show it without the password. */
  private String scrub(String message) {
    return String.valueOf(message).replace(config.location(), config.display());
  }

  @Override
  public String toString() {
    return config.type().name().toLowerCase() + " " + config.display();
  }
}
