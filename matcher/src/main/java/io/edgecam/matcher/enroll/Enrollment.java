package io.edgecam.matcher.enroll;

import io.edgecam.matcher.watchlist.WatchlistEntry;
import io.edgecam.protocol.EdgecamException;
import io.edgecam.protocol.Int8Embedding;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;

/**
 * Builds a watchlist entry from enrollment images: every image must give one usable face, and the
 * legal basis and a future expiry are mandatory. Refuses with a message naming the problem (and
 * every image without a usable face).
 */
public final class Enrollment {
  private Enrollment() {}

  /**
   * @throws EnrollmentException if the request is incomplete or an image has no usable face
   */
  public static WatchlistEntry enroll(EnrollmentRequest r, ImageEmbedder embedder, Clock clock) {
    if (r.legalBasis() == null || r.legalBasis().isBlank()) {
      throw new EnrollmentException(
          "enroll " + r.id() + ": a legal basis is required (--legal-basis)");
    }
    if (r.expires() == null) {
      throw new EnrollmentException(
          "enroll " + r.id() + ": an expiry date is required (--expires)");
    }
    LocalDate today = LocalDate.now(clock.withZone(ZoneOffset.UTC));
    if (!r.expires().isAfter(today)) {
      throw new EnrollmentException(
          "enroll "
              + r.id()
              + ": expiry "
              + r.expires()
              + " is not in the future (today is "
              + today
              + ")");
    }
    if (r.images().isEmpty()) {
      throw new EnrollmentException("enroll " + r.id() + ": at least one image is required");
    }
    List<Int8Embedding> embeddings = new ArrayList<>();
    List<String> problems = new ArrayList<>();
    for (Path image : r.images()) {
      if (!Files.isRegularFile(image)) {
        problems.add(image + ": no such file");
        continue;
      }
      ImageEmbedder.FaceEmbedding face;
      try {
        face = embedder.embedBest(image);
      } catch (EdgecamException e) {
        problems.add(image + ": " + e.getMessage());
        continue;
      }
      if (face.vector() == null) {
        problems.add(image + ": no usable face (" + face.problem() + ")");
      } else {
        embeddings.add(Int8Embedding.quantize(face.vector()));
      }
    }
    if (!problems.isEmpty()) {
      throw new EnrollmentException(
          "enroll " + r.id() + ": refused, " + String.join("; ", problems));
    }
    try {
      return new WatchlistEntry(
          r.id(),
          r.label(),
          embeddings,
          embedder.modelTag(),
          r.legalBasis(),
          r.expires().atStartOfDay(ZoneOffset.UTC).toInstant(),
          r.createdBy(),
          clock.instant(),
          r.threshold());
    } catch (IllegalArgumentException e) {
      throw new EnrollmentException("enroll " + r.id() + ": " + e.getMessage(), e);
    }
  }
}
