package io.edgecam.agent.config;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.nio.file.Path;
import org.jspecify.annotations.Nullable;

/**
 * Where frames come from ({@code source} in agent.yaml).
 *
 * @param type kind of source
 * @param path image folder, video file or V4L2 device ({@code folder}, {@code video}, {@code v4l2})
 * @param url stream URL ({@code rtsp}: rtsp:// or rtsps://, {@code mjpeg}: http:// or https://)
 * @param fps frames per second to deliver; files and folders are paced to it, live sources ask the
 *     device for it; 0 means as fast as frames can be read
 * @param loop start again at the end of a folder or video file (the simulated camera)
 */
public record SourceConfig(
    Type type, @Nullable Path path, @Nullable String url, double fps, boolean loop) {

  /** Kind of frame source. */
  public enum Type {
    @JsonProperty("folder")
    FOLDER,
    @JsonProperty("video")
    VIDEO,
    @JsonProperty("rtsp")
    RTSP,
    @JsonProperty("v4l2")
    V4L2,
    @JsonProperty("mjpeg")
    MJPEG
  }

  public SourceConfig {
    if (type == null) {
      throw new IllegalArgumentException("type must be one of folder, video, rtsp, v4l2, mjpeg");
    }
    if (!(fps >= 0 && fps <= 240)) {
      throw new IllegalArgumentException("fps must be in 0..240 (0 = unpaced), was " + fps);
    }
    switch (type) {
      case FOLDER, VIDEO, V4L2 -> {
        if (path == null) {
          throw new IllegalArgumentException(
              "path is required for a " + type.name().toLowerCase() + " source");
        }
      }
      case RTSP -> requireUrl(url, "rtsp", "rtsp://", "rtsps://");
      case MJPEG -> requireUrl(url, "mjpeg", "http://", "https://");
    }
  }

  private static void requireUrl(@Nullable String url, String type, String... schemes) {
    if (url == null || url.isBlank()) {
      throw new IllegalArgumentException("url is required for a " + type + " source");
    }
    for (String scheme : schemes) {
      if (url.regionMatches(true, 0, scheme, 0, scheme.length())) {
        return;
      }
    }
    throw new IllegalArgumentException(
        "url of a "
            + type
            + " source must start with "
            + String.join(" or ", schemes)
            + ", was "
            + url);
  }

  /** Whether this source is a camera or stream (never ends, reconnects) rather than a file. */
  public boolean isLive() {
    return type == Type.RTSP || type == Type.V4L2 || type == Type.MJPEG;
  }

  /** The path or URL to open. A URL may hold credentials: log {@link #display()} instead. */
  public String location() {
    return path != null ? path.toString() : String.valueOf(url);
  }

  /**
   * The path or URL for logs, health and status: a password in the URL's user info ({@code
   * rtsp://user:secret@host/...}) is shown as {@code ***}.
   */
  public String display() {
    String l = location();
    int scheme = l.indexOf("://");
    int at = l.indexOf('@', Math.max(scheme, 0));
    int slash = l.indexOf('/', scheme + 3);
    if (scheme < 0 || at < 0 || (slash >= 0 && slash < at)) {
      return l;
    }
    int colon = l.indexOf(':', scheme + 3);
    return colon >= 0 && colon < at ? l.substring(0, colon + 1) + "***" + l.substring(at) : l;
  }
}
