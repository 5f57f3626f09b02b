package io.edgecam.matcher.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.edgecam.matcher.enroll.ImageEmbedder;
import io.edgecam.matcher.store.SqliteMatcherStore;
import io.edgecam.matcher.testing.FakeImageEmbedder;
import io.edgecam.protocol.EdgecamException;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

class EnrollCommandTest {
  @TempDir Path dir;
  private final StringWriter out = new StringWriter();
  private final StringWriter err = new StringWriter();
  private Path face;
  private Path wall;
  private Path db;

  private final ImageEmbedder fake = new FakeImageEmbedder();

  @BeforeEach
  void files() throws IOException {
    face = Files.write(dir.resolve("face.jpg"), new byte[] {1});
    wall = Files.write(dir.resolve("wall.jpg"), new byte[] {1});
    db = dir.resolve("m.db");
  }

  private int run(String... args) {
    CommandLine cl = new CommandLine(new EnrollCommand(() -> fake));
    cl.setOut(new PrintWriter(out, true));
    cl.setErr(new PrintWriter(err, true));
    // Same rule as edgectl: our exceptions are user-facing messages, exit 1.
    cl.setExecutionExceptionHandler(
        (ex, c, p) -> {
          if (ex instanceof EdgecamException) {
            c.getErr().println(ex.getMessage());
            return 1;
          }
          throw ex;
        });
    return cl.execute(args);
  }

  private String future() {
    return LocalDate.now().plusDays(30).toString();
  }

  @Test
  void enrollsIntoTheSqliteStore() {
    int code =
        run(
            "--id",
            "alice",
            "--label",
            "Alice",
            "--legal-basis",
            "warrant 7, district court",
            "--expires",
            future(),
            "--store",
            db.toString(),
            face.toString());
    assertThat(code).as(err.toString()).isZero();
    assertThat(out.toString()).contains("enrolled alice (1 embeddings");
    try (SqliteMatcherStore s = new SqliteMatcherStore(db)) {
      assertThat(s.entries())
          .singleElement()
          .satisfies(e -> assertThat(e.legalBasis()).isEqualTo("warrant 7, district court"));
    }
  }

  /** Issue 17.3: the authorisation and its scope are stored with the entry. */
  @Test
  void storesTheAuthorisationAndItsScope() {
    int code =
        run(
            "--id",
            "alice",
            "--label",
            "Alice",
            "--legal-basis",
            "warrant 7, district court",
            "--expires",
            future(),
            "--authorised-by",
            "District court A",
            "--authorisation-ref",
            "AZ 7/26",
            "--sites",
            "site-a,site-b",
            "--devices",
            "cam-1",
            "--window-from",
            LocalDate.now().plusDays(1).toString(),
            "--window-until",
            "2099-01-01T00:00:00Z",
            "--store",
            db.toString(),
            face.toString());
    assertThat(code).as(err.toString()).isZero();
    try (SqliteMatcherStore s = new SqliteMatcherStore(db)) {
      var a = s.entries().get(0).authorization();
      assertThat(a.body()).isEqualTo("District court A");
      assertThat(a.reference()).isEqualTo("AZ 7/26");
      assertThat(a.sites()).containsExactly("site-a", "site-b");
      assertThat(a.devices()).containsExactly("cam-1");
      assertThat(a.until()).isEqualTo(java.time.Instant.parse("2099-01-01T00:00:00Z"));
    }
  }

  /** Issue 17.3: watchlist.minLegalBasisLength and watchlist.maxRetentionDays, before any model. */
  @Test
  void refusesAShortLegalBasisAndAnExpiryBeyondTheMaximumRetention() {
    int shortBasis =
        run(
            "--id",
            "alice",
            "--label",
            "Alice",
            "--legal-basis",
            "w",
            "--expires",
            future(),
            "--store",
            db.toString(),
            face.toString());
    assertThat(shortBasis).isEqualTo(2);
    assertThat(err.toString()).contains("--legal-basis: legal basis must be at least 20");
    int tooFar =
        run(
            "--id",
            "alice",
            "--label",
            "Alice",
            "--legal-basis",
            "warrant 7, district court",
            "--expires",
            LocalDate.now().plusDays(400).toString(),
            "--store",
            db.toString(),
            face.toString());
    assertThat(tooFar).isEqualTo(2);
    assertThat(err.toString())
        .contains("--expires: expiry")
        .contains("maximum retention of 365 days");
  }

  @Test
  void refusesWithoutLegalBasis() {
    int code =
        run(
            "--id",
            "alice",
            "--label",
            "Alice",
            "--expires",
            future(),
            "--store",
            db.toString(),
            face.toString());
    assertThat(code).isEqualTo(1);
    assertThat(err.toString()).contains("legal basis is required");
  }

  @Test
  void refusesPastExpiry() {
    int code =
        run(
            "--id",
            "alice",
            "--label",
            "Alice",
            "--legal-basis",
            "warrant 7, district court",
            "--expires",
            "2020-01-01",
            "--store",
            db.toString(),
            face.toString());
    assertThat(code).isEqualTo(1);
    assertThat(err.toString()).contains("expiry 2020-01-01 is not in the future");
  }

  @Test
  void namesTheImageWithoutAFaceAndStoresNothing() {
    int code =
        run(
            "--id",
            "alice",
            "--label",
            "Alice",
            "--legal-basis",
            "warrant 7, district court",
            "--expires",
            future(),
            "--store",
            db.toString(),
            face.toString(),
            wall.toString());
    assertThat(code).isEqualTo(1);
    assertThat(err.toString()).contains(wall + ": no usable face (no face found)");
    assertThat(Files.exists(db)).isFalse();
  }

  @Test
  void badDateIsAUsageError() {
    int code =
        run(
            "--id",
            "alice",
            "--label",
            "Alice",
            "--legal-basis",
            "warrant 7, district court",
            "--expires",
            "tomorrow",
            face.toString());
    assertThat(code).isEqualTo(2);
  }

  @Test
  void badConfigFileIsAUsageErrorNamingKeyAndFile() throws IOException {
    Path cfg = Files.writeString(dir.resolve("matcher.yaml"), "store:\n  sqllite: x.db\n");
    int code =
        run(
            "--id",
            "alice",
            "--label",
            "Alice",
            "--legal-basis",
            "warrant 7, district court",
            "--expires",
            future(),
            "--config",
            cfg.toString(),
            face.toString());
    assertThat(code).isEqualTo(2);
    assertThat(err.toString()).contains("matcher.yaml").contains("store.sqllite");
  }

  @Test
  void refusesTheResNet34EmbedderWithoutItsOwnThreshold() {
    int code =
        run(
            "--id",
            "alice",
            "--label",
            "Alice",
            "--legal-basis",
            "warrant 7",
            "--expires",
            future(),
            "--embedder",
            "faceapi-resnet34",
            "--store",
            db.toString(),
            face.toString());
    assertThat(code).isEqualTo(2);
    assertThat(err.toString())
        .contains("--embedder faceapi-resnet34 needs --threshold")
        .contains("would match strangers");
    assertThat(Files.exists(db)).as("nothing stored").isFalse();
  }

  @Test
  void unknownEmbedderIsAUsageError() {
    int code =
        run(
            "--id",
            "alice",
            "--label",
            "Alice",
            "--embedder",
            "arcface",
            "--store",
            db.toString(),
            face.toString());
    assertThat(code).isEqualTo(2);
    assertThat(err.toString()).contains("mobilefacenet or faceapi-resnet34");
  }
}
