package io.edgecam.matcher.http;

import io.edgecam.matcher.Watchlist;
import io.edgecam.matcher.enroll.Enrollment;
import io.edgecam.matcher.enroll.EnrollmentException;
import io.edgecam.matcher.enroll.EnrollmentRequest;
import io.edgecam.matcher.enroll.ImageEmbedder;
import io.edgecam.matcher.watchlist.Authorization;
import io.edgecam.matcher.watchlist.WatchlistEntry;
import io.edgecam.protocol.EdgecamException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.function.Supplier;
import java.util.stream.Stream;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Enrolls uploaded images with the same face pipeline as {@code edgecam enroll}: the uploads are
 * written to a private temporary folder, embedded, and deleted again whatever happens (the images
 * are never kept). The embedder is opened on the first enrollment and kept; it is not thread-safe,
 * so enrollments run one at a time.
 */
final class Enroller implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(Enroller.class);

  /** An uploaded image: the name the client gave it and its bytes. */
  record Upload(String filename, byte[] data) {}

  private final Supplier<ImageEmbedder> embedders;
  private final Watchlist watchlist;
  private final Clock clock;
  private @Nullable ImageEmbedder embedder;

  Enroller(Supplier<ImageEmbedder> embedders, Watchlist watchlist, Clock clock) {
    this.embedders = embedders;
    this.watchlist = watchlist;
    this.clock = clock;
  }

  /**
   * Builds the entry from the images and puts it on the watchlist (recorded in the audit log as
   * created by {@code actor}).
   *
   * @throws ApiError 400 naming the images without a usable face, 409 if the watchlist holds
   *     another model's embeddings, 503 if the face models cannot be loaded
   */
  synchronized WatchlistEntry enroll(
      String id,
      String label,
      String legalBasis,
      LocalDate expires,
      @Nullable Double threshold,
      Authorization authorization,
      List<Upload> uploads,
      String actor) {
    if (watchlist.entries().stream().anyMatch(e -> e.id().equals(id))) {
      throw ApiError.conflict("watchlist entry " + id + " exists; delete it first or extend it");
    }
    Path dir;
    try {
      dir = Files.createTempDirectory("edgecam-enroll-");
    } catch (IOException e) {
      throw new UncheckedIOException("cannot create a temporary folder for the upload", e);
    }
    try {
      List<Path> images = new ArrayList<>();
      for (int i = 0; i < uploads.size(); i++) {
        Path sub = Files.createDirectory(dir.resolve(Integer.toString(i + 1)));
        Path file = sub.resolve(safeName(uploads.get(i).filename(), i + 1));
        Files.write(file, uploads.get(i).data());
        images.add(file);
      }
      WatchlistEntry entry;
      try {
        entry =
            Enrollment.enroll(
                new EnrollmentRequest(id, label, legalBasis, expires, threshold, actor, images),
                embedder(),
                clock);
      } catch (EnrollmentException e) {
        // Name the uploads as the client did, not by their temporary paths.
        throw ApiError.badField("images", e.getMessage().replace(dir + "/", "image "));
      }
      entry = entry.withAuthorization(authorization);
      try {
        watchlist.enroll(entry);
      } catch (EdgecamException e) {
        throw ApiError.conflict(e.getMessage());
      }
      return entry;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot store the upload temporarily", e);
    } finally {
      deleteTree(dir);
    }
  }

  private ImageEmbedder embedder() {
    if (embedder == null) {
      try {
        embedder = embedders.get();
      } catch (EdgecamException e) {
        log.error("Enrollment unavailable: the face models cannot be loaded: {}", e.getMessage());
        throw new ApiError(503, "unavailable", "enrollment unavailable: " + e.getMessage(), null);
      }
    }
    return embedder;
  }

  /** The upload's base name restricted to {@code [A-Za-z0-9._-]}, never empty or hidden. */
  static String safeName(@Nullable String filename, int index) {
    String base = filename == null ? "" : filename.replace('\\', '/');
    base = base.substring(base.lastIndexOf('/') + 1).replaceAll("[^A-Za-z0-9._-]", "_");
    if (base.isEmpty() || base.startsWith(".") || base.length() > 80) {
      return "upload-" + index;
    }
    return base;
  }

  private static void deleteTree(Path dir) {
    try (Stream<Path> walk = Files.walk(dir)) {
      for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(p);
      }
    } catch (IOException e) {
      log.warn("Could not delete the temporary upload folder {}: {}", dir, e.getMessage());
    }
  }

  @Override
  public synchronized void close() {
    if (embedder != null) {
      embedder.close();
      embedder = null;
    }
  }
}
