package io.edgecam.matcher.store;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;

/** The default store: one SQLite file in WAL mode, created on first use. Thread-safe. */
public final class SqliteMatcherStore extends JdbcMatcherStore {

  /** Opens or creates {@code file} and brings its schema up to date. */
  public SqliteMatcherStore(Path file) {
    super("SQLite store " + file, "jdbc:sqlite:" + createParent(file));
  }

  private static Path createParent(Path file) {
    Path parent = file.toAbsolutePath().getParent();
    try {
      if (parent != null) {
        Files.createDirectories(parent);
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot create the folder of " + file, e);
    }
    return file.toAbsolutePath();
  }

  @Override
  void configure(Connection c) throws SQLException {
    try (Statement s = c.createStatement()) {
      s.execute("PRAGMA journal_mode=WAL");
      s.execute("PRAGMA synchronous=NORMAL");
      s.execute("PRAGMA busy_timeout=5000");
    }
  }

  @Override
  String blobType() {
    return "BLOB";
  }
}
