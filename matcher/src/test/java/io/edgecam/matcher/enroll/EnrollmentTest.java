package io.edgecam.matcher.enroll;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.edgecam.matcher.testing.FakeImageEmbedder;
import io.edgecam.matcher.watchlist.WatchlistEntry;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class EnrollmentTest {
  @TempDir Path dir;
  private final Clock clock = Clock.fixed(Instant.parse("2025-06-01T10:00:00Z"), ZoneOffset.UTC);
  private Path face1;
  private Path face2;
  private Path noFace;
  private final ImageEmbedder fake = new FakeImageEmbedder();

  @BeforeEach
  void images() throws IOException {
    face1 = Files.write(dir.resolve("face1.jpg"), new byte[] {1});
    face2 = Files.write(dir.resolve("face2.jpg"), new byte[] {1});
    noFace = Files.write(dir.resolve("wall.jpg"), new byte[] {1});
  }

  private EnrollmentRequest request(String basis, LocalDate expires, Path... images) {
    return new EnrollmentRequest("alice", "Alice", basis, expires, null, "op", List.of(images));
  }

  @Test
  void buildsEntryWithOneEmbeddingPerImageExpiringAtStartOfTheDate() {
    WatchlistEntry e =
        Enrollment.enroll(
            request("warrant 1", LocalDate.of(2025, 7, 1), face1, face2), fake, clock);
    assertThat(e.embeddings()).hasSize(2);
    assertThat(e.expiresAt()).isEqualTo(Instant.parse("2025-07-01T00:00:00Z"));
    assertThat(e.createdAt()).isEqualTo(clock.instant());
  }

  @Test
  void refusesWithoutLegalBasis() {
    assertThatThrownBy(
            () -> Enrollment.enroll(request(" ", LocalDate.of(2025, 7, 1), face1), fake, clock))
        .isInstanceOf(EnrollmentException.class)
        .hasMessageContaining("legal basis is required");
    assertThatThrownBy(
            () -> Enrollment.enroll(request(null, LocalDate.of(2025, 7, 1), face1), fake, clock))
        .hasMessageContaining("legal basis is required");
  }

  @Test
  void refusesWithoutExpiryOrWithExpiryNotInTheFuture() {
    assertThatThrownBy(() -> Enrollment.enroll(request("w", null, face1), fake, clock))
        .hasMessageContaining("expiry date is required");
    assertThatThrownBy(
            () -> Enrollment.enroll(request("w", LocalDate.of(2025, 6, 1), face1), fake, clock))
        .hasMessageContaining("expiry 2025-06-01 is not in the future");
  }

  @Test
  void namesEveryImageWithoutUsableFace() {
    Path missing = dir.resolve("missing.jpg");
    assertThatThrownBy(
            () ->
                Enrollment.enroll(
                    request("w", LocalDate.of(2025, 7, 1), face1, noFace, missing), fake, clock))
        .isInstanceOf(EnrollmentException.class)
        .hasMessageContaining(noFace + ": no usable face (no face found)")
        .hasMessageContaining(missing + ": no such file")
        .hasMessageNotContaining(face1.toString() + ":");
  }
}
