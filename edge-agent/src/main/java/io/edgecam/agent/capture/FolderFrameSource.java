package io.edgecam.agent.capture;

import io.edgecam.face.image.Frame;
import io.edgecam.face.image.ImageDecodeException;
import io.edgecam.face.image.Images;
import io.edgecam.protocol.Health;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.stream.Stream;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The simulated camera: the JPEG and PNG files of a folder in name order, once or looping, at a set
 * rate. An image that cannot be decoded is logged, counted and skipped.
 */
final class FolderFrameSource implements FrameSource {
  private static final Logger log = LoggerFactory.getLogger(FolderFrameSource.class);

  private final Path folder;
  private final List<Path> files;
  private final boolean loop;
  private final Pacer pacer;
  private int index;
  private int deliveredThisPass;
  // Written by the capture thread, read by the status thread.
  private volatile long skipped;
  private volatile String problem = "";

  FolderFrameSource(@Nullable Path folder, double fps, boolean loop) {
    if (folder == null || !Files.isDirectory(folder)) {
      throw new CaptureException("source.path: " + folder + " is not a folder");
    }
    this.folder = folder;
    try (Stream<Path> s = Files.list(folder)) {
      this.files = s.filter(FolderFrameSource::isImage).sorted().toList();
    } catch (IOException e) {
      throw new CaptureException("source.path: cannot list " + folder + ": " + e.getMessage(), e);
    }
    if (files.isEmpty()) {
      throw new CaptureException("source.path: " + folder + " has no .jpg, .jpeg or .png files");
    }
    this.loop = loop;
    this.pacer = new Pacer(fps);
    log.info("frame source: {} images in {}{}", files.size(), folder, loop ? ", looping" : "");
  }

  private static boolean isImage(Path p) {
    String name = p.getFileName().toString().toLowerCase(Locale.ROOT);
    return Files.isRegularFile(p)
        && (name.endsWith(".jpg") || name.endsWith(".jpeg") || name.endsWith(".png"));
  }

  @Override
  public @Nullable Frame next() throws InterruptedException {
    while (true) {
      if (index == files.size()) {
        if (!loop || deliveredThisPass == 0) {
          return null; // the end, or a loop over nothing but broken images
        }
        index = 0;
        deliveredThisPass = 0;
      }
      Path file = files.get(index++);
      try {
        Frame frame = Images.read(file);
        pacer.await();
        deliveredThisPass++;
        return frame;
      } catch (ImageDecodeException e) {
        skipped++;
        problem = "skipped " + skipped + " undecodable images, last: " + e.getMessage();
        log.warn("skipping image: {}", e.getMessage());
      }
    }
  }

  @Override
  public Health health() {
    return skipped == 0 ? Health.ok() : Health.degraded(problem);
  }

  @Override
  public long skipped() {
    return skipped;
  }

  @Override
  public void close() {
    // Nothing held open between frames.
  }

  @Override
  public String toString() {
    return "folder " + folder;
  }
}
