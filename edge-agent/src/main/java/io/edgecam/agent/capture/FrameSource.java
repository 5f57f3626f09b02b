package io.edgecam.agent.capture;

import io.edgecam.agent.config.SourceConfig;
import io.edgecam.face.image.Frame;
import io.edgecam.protocol.Health;
import org.jspecify.annotations.Nullable;

/**
 * Where frames come from: an image folder (the simulated camera), a video file, an RTSP or HTTP
 * MJPEG stream, or a V4L2 camera. A source is used by one thread (the capture loop) only.
 */
public interface FrameSource extends AutoCloseable {

  /**
   * Opens the source the config describes.
   *
   * @throws CaptureException naming the path or URL if it cannot be opened (a live source that is
   *     down at start is not an error: it keeps trying and reports DEGRADED health)
   */
  static FrameSource open(SourceConfig config) {
    return switch (config.type()) {
      case FOLDER -> new FolderFrameSource(config.path(), config.fps(), config.loop());
      case VIDEO, RTSP, V4L2, MJPEG -> new FfmpegFrameSource(config);
    };
  }

  /**
   * Waits for and returns the next frame, paced to the configured fps.
   *
   * @return the frame, owned by the source and valid until the next call; null at the end of a
   *     non-looping file or folder
   * @throws InterruptedException if the capture thread is interrupted (shutdown)
   */
  @Nullable Frame next() throws InterruptedException;

  /** Health of the camera: OK, or DEGRADED with the reason (stream down, frames skipped). */
  Health health();

  /** Frames that could not be decoded and were skipped. */
  long skipped();

  @Override
  void close();
}
