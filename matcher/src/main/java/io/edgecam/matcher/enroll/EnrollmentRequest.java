package io.edgecam.matcher.enroll;

import java.nio.file.Path;
import java.time.LocalDate;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * What an operator asks to enroll. Checked by {@link Enrollment#enroll}, which names what is
 * missing.
 *
 * @param id watchlist id
 * @param label display name
 * @param legalBasis why this person may be searched for; required
 * @param expires the entry stops matching at 00:00 UTC of this date; required, in the future
 * @param threshold per-entry cosine threshold, or null for the global one
 * @param createdBy operator
 * @param images enrollment images, one face each
 */
public record EnrollmentRequest(
    String id,
    String label,
    @Nullable String legalBasis,
    @Nullable LocalDate expires,
    @Nullable Double threshold,
    String createdBy,
    List<Path> images) {
  public EnrollmentRequest {
    images = images == null ? List.of() : List.copyOf(images);
  }
}
