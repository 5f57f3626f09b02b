package io.edgecam.matcher.store;

import static org.assertj.core.api.Assertions.assertThat;

import io.edgecam.matcher.testing.Entries;
import io.edgecam.matcher.testing.Vectors;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Instant;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Security review, issue 17: under umask 022 the database, its -wal and -shm (embeddings, names)
 * were world-readable.
 */
class SqliteFileModesTest {
  @TempDir Path dir;

  private static String mode(Path p) throws Exception {
    return PosixFilePermissions.toString(Files.getPosixFilePermissions(p));
  }

  @Test
  void theDatabaseItsWalAndShmAreOwnerOnlyInAnOwnerOnlyFolder() throws Exception {
    Path db = dir.resolve("state/matcher.db");
    try (SqliteMatcherStore s = new SqliteMatcherStore(db)) {
      s.putEntry(Entries.entry("alice", Vectors.unit(new Random(1)), Instant.now()));
      assertThat(db.resolveSibling("matcher.db-wal")).exists();
      assertThat(db.resolveSibling("matcher.db-shm")).exists();
      for (String f : new String[] {"matcher.db", "matcher.db-wal", "matcher.db-shm"}) {
        assertThat(mode(db.resolveSibling(f))).as(f).isEqualTo("rw-------");
      }
    }
    assertThat(mode(dir.resolve("state"))).isEqualTo("rwx------");
  }

  @Test
  void anExistingWorldReadableDatabaseIsNarrowedWhenOpened() throws Exception {
    Path db = dir.resolve("matcher.db");
    new SqliteMatcherStore(db).close();
    Files.setPosixFilePermissions(db, PosixFilePermissions.fromString("rw-r--r--"));
    try (SqliteMatcherStore s = new SqliteMatcherStore(db)) {
      assertThat(s.schemaVersion()).isPositive();
      assertThat(mode(db)).isEqualTo("rw-------");
    }
  }
}
