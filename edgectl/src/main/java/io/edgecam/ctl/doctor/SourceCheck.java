package io.edgecam.ctl.doctor;

import io.edgecam.agent.config.SourceConfig;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Locale;
import java.util.stream.Stream;

/**
 * Can the agent get frames: the folder has images, the video file or V4L2 device exists and is
 * readable, a stream's host:port accepts a TCP connection (no decoding: that is the agent's job).
 */
final class SourceCheck {
  static final String NAME = "source";
  private static final Duration TIMEOUT = Duration.ofSeconds(3);

  private SourceCheck() {}

  static CheckResult run(SourceConfig source) {
    return switch (source.type()) {
      case FOLDER -> folder(source.path());
      case VIDEO -> file(source.path(), "video file");
      case V4L2 -> file(source.path(), "camera device");
      case RTSP, MJPEG -> stream(source.url());
    };
  }

  private static CheckResult folder(Path dir) {
    if (!Files.isDirectory(dir)) {
      return CheckResult.fail(
          NAME,
          "source.path: folder " + dir + " does not exist",
          "create it and put .jpg/.png frames in it, or fix source.path");
    }
    long images;
    try (Stream<Path> files = Files.list(dir)) {
      images = files.filter(SourceCheck::isImage).count();
    } catch (IOException e) {
      return CheckResult.fail(
          NAME,
          "source.path: cannot list " + dir + ": " + e.getMessage(),
          "give the edgecam user read access to it");
    }
    if (images == 0) {
      return CheckResult.fail(
          NAME,
          "source.path: folder " + dir + " has no .jpg, .jpeg or .png files",
          "put frames in it, or fix source.path");
    }
    return CheckResult.ok(NAME, "folder " + dir + ": " + images + " images");
  }

  private static boolean isImage(Path p) {
    String name = p.getFileName().toString().toLowerCase(Locale.ROOT);
    return Files.isRegularFile(p)
        && (name.endsWith(".jpg") || name.endsWith(".jpeg") || name.endsWith(".png"));
  }

  private static CheckResult file(Path file, String what) {
    if (!Files.exists(file)) {
      return CheckResult.fail(
          NAME,
          "source.path: " + what + " " + file + " does not exist",
          what.startsWith("camera")
              ? "plug in the camera (ls /dev/video*) or fix source.path"
              : "fix source.path");
    }
    if (!Files.isReadable(file)) {
      return CheckResult.fail(
          NAME,
          "source.path: " + file + " is not readable",
          what.startsWith("camera")
              ? "add the edgecam user to the video group"
              : "fix its permissions");
    }
    return CheckResult.ok(NAME, what + " " + file + " is readable");
  }

  private static CheckResult stream(String url) {
    Endpoint e = Endpoint.of(url);
    if (e == null) {
      return CheckResult.fail(NAME, "source.url: no host:port in " + url, "fix source.url");
    }
    String problem = e.probe(TIMEOUT);
    if (problem != null) {
      return CheckResult.fail(
          NAME,
          "cannot connect to the camera at " + e + " (" + problem + ")",
          "check the camera is powered and on the network, and source.url");
    }
    return CheckResult.ok(NAME, "camera " + e + " accepts connections (stream not decoded)");
  }
}
