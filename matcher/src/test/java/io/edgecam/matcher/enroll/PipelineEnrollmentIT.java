package io.edgecam.matcher.enroll;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.edgecam.face.pipeline.PipelineConfig;
import io.edgecam.face.pipeline.Precision;
import io.edgecam.matcher.index.ExactWatchlistIndex;
import io.edgecam.matcher.index.Match;
import io.edgecam.matcher.watchlist.WatchlistEntry;
import io.edgecam.protocol.Int8Embedding;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.LocalDate;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Enrollment with the real face pipeline (TFLite) on the shared test photos: an enrolled person's
 * other photo matches, another person's does not, an image without a face is named.
 */
class PipelineEnrollmentIT {
  private static final Path DATA =
      Path.of(System.getProperty("edgecam.root", "..")).resolve("../shared/data");
  private static PipelineImageEmbedder embedder;

  @BeforeAll
  static void open() {
    assumeTrue(Files.isDirectory(DATA.resolve("faces")), "test photos not found at " + DATA);
    embedder = PipelineImageEmbedder.open(PipelineConfig.defaults().withPrecision(Precision.FLOAT));
  }

  @AfterAll
  static void close() {
    if (embedder != null) {
      embedder.close();
    }
  }

  private static List<Path> photos(String person) throws IOException {
    try (Stream<Path> s = Files.list(DATA.resolve("faces").resolve(person))) {
      return s.filter(p -> p.toString().endsWith(".jpg")).sorted().toList();
    }
  }

  private static EnrollmentRequest request(String id, List<Path> images) {
    return new EnrollmentRequest(id, id, "test", LocalDate.now().plusDays(30), null, "it", images);
  }

  @Test
  void enrolledPersonMatchesOnAnotherPhotoAndOthersDoNot() throws IOException {
    List<Path> clooney = photos("george_clooney");
    List<Path> musk = photos("elon_musk");
    assumeTrue(
        clooney.size() >= 3 && !musk.isEmpty(),
        "need 3 photos of george_clooney and one of elon_musk");
    WatchlistEntry entry =
        Enrollment.enroll(request("clooney", clooney.subList(0, 2)), embedder, Clock.systemUTC());
    assertThat(entry.embeddings())
        .hasSize(2)
        .allSatisfy(e -> assertThat(e.dimensions()).isEqualTo(192));

    ExactWatchlistIndex index = new ExactWatchlistIndex();
    index.replace(List.of(entry));
    Int8Embedding same = Int8Embedding.quantize(embedder.embedBest(clooney.get(2)).vector());
    Int8Embedding other = Int8Embedding.quantize(embedder.embedBest(musk.get(0)).vector());
    Match m = index.search(same, 0.45, java.time.Instant.now());
    assertThat(m).isNotNull();
    assertThat(m.entryId()).isEqualTo("clooney");
    assertThat(index.search(other, 0.45, java.time.Instant.now())).isNull();
  }

  @Test
  void imageWithoutAFaceIsNamed() throws IOException {
    Path noface;
    try (Stream<Path> s = Files.list(DATA.resolve("noface"))) {
      noface = s.filter(p -> p.toString().endsWith(".jpg")).sorted().findFirst().orElse(null);
    }
    assumeTrue(noface != null, "no image in noface/");
    List<Path> clooney = photos("george_clooney");
    assertThatThrownBy(
            () ->
                Enrollment.enroll(
                    request("x", List.of(clooney.get(0), noface)), embedder, Clock.systemUTC()))
        .isInstanceOf(EnrollmentException.class)
        .hasMessageContaining(noface + ": no usable face");
  }
}
