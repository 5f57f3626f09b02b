package io.edgecam.matcher.store;

import io.edgecam.runtime.files.PrivateFiles;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.concurrent.locks.ReentrantLock;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The default single-node store: one SQLite file in WAL mode, created on first use, used through
 * one connection that one transaction at a time holds (SQLite has a single writer anyway).
 * Thread-safe.
 */
public final class SqliteMatcherStore extends JdbcMatcherStore {
  private static final Logger log = LoggerFactory.getLogger(SqliteMatcherStore.class);

  private final String url;
  private final ReentrantLock lock = new ReentrantLock();
  private @Nullable Connection connection; // guarded by lock

  /** Opens or creates {@code file} and brings its schema up to date. */
  public SqliteMatcherStore(Path file) {
    this(file, "local");
  }

  /** Opens or creates {@code file} for the matcher {@code owner}. */
  public SqliteMatcherStore(Path file, String owner) {
    super("SQLite store " + file, owner);
    this.url = "jdbc:sqlite:" + createParent(file);
    try {
      connection = connect();
    } catch (SQLException e) {
      throw cannotConnect(e);
    }
    start();
  }

  private static Path createParent(Path file) {
    try {
      // Embeddings and names: 0600 (SQLite gives -wal and -shm the database's mode), folder 0700.
      PrivateFiles.prepareDatabase(file);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot create " + file + " owner-only", e);
    }
    return file.toAbsolutePath();
  }

  private Connection connect() throws SQLException {
    Connection c = DriverManager.getConnection(url);
    try (Statement s = c.createStatement()) {
      s.execute("PRAGMA journal_mode=WAL");
      s.execute("PRAGMA synchronous=NORMAL");
      s.execute("PRAGMA busy_timeout=5000");
    } catch (SQLException e) {
      c.close();
      throw e;
    }
    return c;
  }

  @Override
  Connection acquire() throws SQLException {
    lock.lock();
    try {
      Connection c = connection;
      if (c == null) {
        c = connect();
        connection = c;
      }
      return c;
    } catch (SQLException | RuntimeException e) {
      lock.unlock();
      throw e;
    }
  }

  @Override
  void release(Connection c, boolean broken) {
    try {
      if (broken) {
        close(c);
        connection = null;
      }
    } finally {
      lock.unlock();
    }
  }

  @Override
  void closeConnections() {
    lock.lock();
    try {
      if (connection != null) {
        close(connection);
        connection = null;
      }
    } finally {
      lock.unlock();
    }
  }

  private static void close(Connection c) {
    try {
      c.close();
    } catch (SQLException e) {
      log.debug("closing an SQLite connection failed", e);
    }
  }

  @Override
  void lockForMigration(Connection c) {
    // One connection per process; SQLite's write lock serializes processes.
  }

  @Override
  String blobType() {
    return "BLOB";
  }
}
