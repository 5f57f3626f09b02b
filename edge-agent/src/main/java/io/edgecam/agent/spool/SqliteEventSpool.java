package io.edgecam.agent.spool;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The device events (tamper, update results) not yet acknowledged by the broker, in one SQLite file
 * in WAL mode ({@code events.db} next to the candidate spool), so that an event raised while the
 * broker is unreachable survives an agent restart. Bounded: beyond {@code capacity} the oldest
 * event is dropped, counted in the same transaction (the count survives restarts too). Same
 * durability as the candidate spool ({@code synchronous=NORMAL}). Thread-safe: one connection,
 * every method synchronized.
 */
public final class SqliteEventSpool implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(SqliteEventSpool.class);

  /** The events file in the folder of the candidate spool. */
  public static final String FILE = "events.db";

  /**
   * One stored event.
   *
   * @param id its row id: order of arrival
   * @param type the event type, for logs
   * @param payload the encoded event (JSON), as published
   */
  public record Stored(long id, String type, byte[] payload) {}

  private final Path file;
  private final int capacity;
  private final Connection db;
  private long size;
  private long dropped;
  private boolean closed;

  private SqliteEventSpool(Path file, int capacity, Connection db) {
    this.file = file;
    this.capacity = capacity;
    this.db = db;
  }

  /**
   * Opens (creating if needed) the events file.
   *
   * @param capacity most events kept
   * @throws SpoolException naming the file if it cannot be opened or is not an events spool
   */
  public static SqliteEventSpool open(Path file, int capacity) {
    if (capacity < 1) {
      throw new IllegalArgumentException("capacity < 1: " + capacity);
    }
    try {
      Path parent = file.toAbsolutePath().getParent();
      if (parent != null) {
        Files.createDirectories(parent);
      }
    } catch (IOException e) {
      throw new SpoolException(file + ": cannot create directory: " + e.getMessage(), e);
    }
    Connection db = null;
    try {
      db = DriverManager.getConnection("jdbc:sqlite:" + file.toAbsolutePath());
      SqliteEventSpool spool = new SqliteEventSpool(file, capacity, db);
      spool.init();
      return spool;
    } catch (SQLException e) {
      if (db != null) {
        try {
          db.close();
        } catch (SQLException ignored) {
          log.debug("closing {} failed", file, ignored);
        }
      }
      throw new SpoolException(file + ": cannot open the events spool: " + e.getMessage(), e);
    }
  }

  private void init() throws SQLException {
    try (Statement s = db.createStatement()) {
      s.execute("PRAGMA journal_mode=WAL");
      s.execute("PRAGMA synchronous=NORMAL");
      s.execute("PRAGMA busy_timeout=5000");
      s.execute("PRAGMA journal_size_limit=1048576");
      s.execute(
          "CREATE TABLE IF NOT EXISTS events (id INTEGER PRIMARY KEY AUTOINCREMENT,"
              + " type TEXT NOT NULL, payload BLOB NOT NULL)");
      s.execute(
          "CREATE TABLE IF NOT EXISTS event_counters (k TEXT PRIMARY KEY, v INTEGER NOT NULL)");
      s.execute("INSERT OR IGNORE INTO event_counters (k, v) VALUES ('dropped', 0)");
      try (ResultSet r = s.executeQuery("SELECT COUNT(*) FROM events")) {
        r.next();
        size = r.getLong(1);
      }
      try (ResultSet r = s.executeQuery("SELECT v FROM event_counters WHERE k = 'dropped'")) {
        r.next();
        dropped = r.getLong(1);
      }
    }
    db.setAutoCommit(false);
    if (size > 0) {
      log.info("events spool {}: {} events from before the restart waiting", file, size);
    }
  }

  /**
   * Stores an event; if the spool is full, first drops the oldest one.
   *
   * @return the type of the dropped event, or null
   * @throws SpoolException naming the file if the write fails
   */
  public synchronized @Nullable String append(String type, byte[] payload) {
    try {
      String droppedType = null;
      if (size >= capacity) {
        try (Statement s = db.createStatement();
            ResultSet r = s.executeQuery("SELECT id, type FROM events ORDER BY id LIMIT 1")) {
          if (r.next()) {
            droppedType = r.getString(2);
            try (PreparedStatement del = db.prepareStatement("DELETE FROM events WHERE id = ?")) {
              del.setLong(1, r.getLong(1));
              del.executeUpdate();
            }
          }
        }
        try (Statement s = db.createStatement()) {
          s.executeUpdate("UPDATE event_counters SET v = v + 1 WHERE k = 'dropped'");
        }
      }
      try (PreparedStatement ins =
          db.prepareStatement("INSERT INTO events (type, payload) VALUES (?, ?)")) {
        ins.setString(1, type);
        ins.setBytes(2, payload);
        ins.executeUpdate();
      }
      db.commit();
      if (droppedType != null) {
        dropped++;
      } else {
        size++;
      }
      return droppedType;
    } catch (SQLException e) {
      rollbackQuietly();
      throw new SpoolException(file + ": cannot store an event: " + e.getMessage(), e);
    }
  }

  /** The oldest stored event, or null. */
  public synchronized @Nullable Stored oldest() {
    try (Statement s = db.createStatement();
        ResultSet r = s.executeQuery("SELECT id, type, payload FROM events ORDER BY id LIMIT 1")) {
      Stored out = r.next() ? new Stored(r.getLong(1), r.getString(2), r.getBytes(3)) : null;
      db.commit();
      return out;
    } catch (SQLException e) {
      rollbackQuietly();
      throw new SpoolException(file + ": cannot read events: " + e.getMessage(), e);
    }
  }

  /** Deletes an event the broker acknowledged. */
  public synchronized void remove(long id) {
    try (PreparedStatement del = db.prepareStatement("DELETE FROM events WHERE id = ?")) {
      del.setLong(1, id);
      int n = del.executeUpdate();
      db.commit();
      size -= n;
    } catch (SQLException e) {
      rollbackQuietly();
      throw new SpoolException(file + ": cannot delete a sent event: " + e.getMessage(), e);
    }
  }

  /** Events waiting. */
  public synchronized long size() {
    return size;
  }

  /** Events dropped because the spool was full, over the file's life. */
  public synchronized long dropped() {
    return dropped;
  }

  private void rollbackQuietly() {
    try {
      db.rollback();
    } catch (SQLException e) {
      log.debug("rollback of {} failed", file, e);
    }
  }

  @Override
  public synchronized void close() {
    if (closed) {
      return;
    }
    closed = true;
    try {
      db.close();
    } catch (SQLException e) {
      log.warn("closing {} failed: {}", file, e.getMessage());
    }
  }
}
