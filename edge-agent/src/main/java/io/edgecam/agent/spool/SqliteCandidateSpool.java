package io.edgecam.agent.spool;

import io.edgecam.protocol.Candidate;
import io.edgecam.protocol.CandidateCodec;
import io.edgecam.protocol.Ids;
import io.edgecam.protocol.MalformedMessageException;
import io.edgecam.runtime.files.PrivateFiles;
import java.io.IOException;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.function.LongFunction;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.sqlite.SQLiteConnection;

/**
 * {@link CandidateSpool} in one SQLite file in WAL mode. The per-device sequence counter and the
 * drop counter live in the same file and are updated in the same transaction as the rows, so a kill
 * -9 at any point neither loses an acknowledged-later candidate nor reuses a sequence.
 *
 * <p>{@code synchronous=NORMAL}: a committed candidate survives a process crash; on power loss the
 * last few commits may be lost (WAL is never corrupted). Thread-safe: one connection, every method
 * synchronized; each call is a short transaction.
 */
public final class SqliteCandidateSpool implements CandidateSpool {
  private static final Logger log = LoggerFactory.getLogger(SqliteCandidateSpool.class);
  private static final long FIRST_SEQUENCE = 1;
  private static final int SQLITE_FULL = 13;
  private static final long SPACE_WARNING_INTERVAL_NANOS = 60_000_000_000L;

  private final Path file;
  private final String device;
  private final int maxCandidates;
  private final long minFreeBytes;
  private final Connection db;
  private long lastSpaceWarningNanos;
  private final CandidateEncoder encoder;
  private long size;
  private long nextSequence;
  private long dropped;
  private boolean closed;

  private SqliteCandidateSpool(
      Path file,
      String device,
      int maxCandidates,
      long minFreeBytes,
      Connection db,
      CandidateEncoder encoder) {
    this.file = file;
    this.device = device;
    this.maxCandidates = maxCandidates;
    this.minFreeBytes = minFreeBytes;
    this.db = db;
    this.encoder = encoder;
  }

  /**
   * Opens (creating if needed) the spool file for {@code device}.
   *
   * @param maxCandidates most candidates kept; older ones are dropped beyond it
   * @throws SpoolException naming the file if it cannot be opened or is not a spool
   */
  public static SqliteCandidateSpool open(Path file, String device, int maxCandidates) {
    return open(file, device, maxCandidates, 0, CandidateEncoder.plain());
  }

  /**
   * Opens (creating if needed) the spool file for {@code device}, keeping {@code minFreeBytes} free
   * on its file system (0: no reserve), storing payloads made by {@code encoder}; a sealing encoder
   * also seals the plain candidates left from before sealing was switched on, so none leaves the
   * device plain.
   *
   * @throws SpoolException naming the file if it cannot be opened or is not a spool
   */
  public static SqliteCandidateSpool open(
      Path file, String device, int maxCandidates, long minFreeBytes, CandidateEncoder encoder) {
    Ids.require("device", device);
    if (maxCandidates < 1) {
      throw new IllegalArgumentException("maxCandidates < 1: " + maxCandidates);
    }
    try {
      // Embeddings: 0600 (SQLite gives -wal and -shm the database's mode), a new folder 0700.
      PrivateFiles.prepareDatabase(file);
    } catch (IOException e) {
      throw new SpoolException(file + ": cannot create it owner-only: " + e.getMessage(), e);
    }
    Connection db = null;
    try {
      db = DriverManager.getConnection("jdbc:sqlite:" + file.toAbsolutePath());
      SqliteCandidateSpool spool =
          new SqliteCandidateSpool(file, device, maxCandidates, minFreeBytes, db, encoder);
      spool.init();
      if (encoder.seals()) {
        spool.sealPlainRows();
      }
      return spool;
    } catch (SQLException e) {
      closeQuietly(db);
      throw new SpoolException(file + ": cannot open spool: " + e.getMessage(), e);
    }
  }

  private void init() throws SQLException {
    try (Statement s = db.createStatement()) {
      s.execute("PRAGMA journal_mode=WAL");
      s.execute("PRAGMA synchronous=NORMAL");
      s.execute("PRAGMA busy_timeout=5000");
      // Bound the WAL (SQLite's default lets it reach ~4 MiB before a checkpoint and never
      // shrinks it): at most ~1 MiB, well inside spool.minFreeBytes, so a nearly full disk is
      // not filled by the WAL itself.
      s.execute("PRAGMA wal_autocheckpoint=256");
      s.execute("PRAGMA journal_size_limit=1048576");
      s.execute(
          "CREATE TABLE IF NOT EXISTS candidates (seq INTEGER NOT NULL, device TEXT NOT NULL,"
              + " created INTEGER NOT NULL, payload BLOB NOT NULL, PRIMARY KEY (device, seq))");
      s.execute(
          "CREATE TABLE IF NOT EXISTS counters (device TEXT PRIMARY KEY,"
              + " next_seq INTEGER NOT NULL, dropped INTEGER NOT NULL)");
    }
    try (PreparedStatement ins =
        db.prepareStatement(
            "INSERT OR IGNORE INTO counters (device, next_seq, dropped) VALUES (?, ?, 0)")) {
      ins.setString(1, device);
      ins.setLong(2, FIRST_SEQUENCE);
      ins.executeUpdate();
    }
    db.setAutoCommit(false);
    try (PreparedStatement q =
        db.prepareStatement("SELECT next_seq, dropped FROM counters WHERE device = ?")) {
      q.setString(1, device);
      try (ResultSet r = q.executeQuery()) {
        r.next();
        nextSequence = r.getLong(1);
        dropped = r.getLong(2);
      }
    }
    size = countWhere("device = ?", device);
    long others = countWhere("device <> ?", device);
    db.commit();
    if (others > 0) {
      log.warn(
          "{}: {} candidates of other device ids stay unsent (device is now {})",
          file,
          others,
          device);
    }
    log.info(
        "spool {}: {} candidates waiting, next sequence {}, {} dropped so far",
        file,
        size,
        nextSequence,
        dropped);
  }

  /** Re-encodes stored version-1 payloads with the sealing encoder, in one transaction. */
  private void sealPlainRows() throws SQLException {
    List<SpooledCandidate> plain = new ArrayList<>();
    try (PreparedStatement q =
        db.prepareStatement("SELECT seq, payload FROM candidates WHERE device = ?")) {
      q.setString(1, device);
      try (ResultSet r = q.executeQuery()) {
        while (r.next()) {
          byte[] payload = r.getBytes(2);
          if (isPlain(payload)) {
            plain.add(new SpooledCandidate(r.getLong(1), payload));
          }
        }
      }
    }
    try (PreparedStatement upd =
        db.prepareStatement("UPDATE candidates SET payload = ? WHERE device = ? AND seq = ?")) {
      for (SpooledCandidate c : plain) {
        upd.setBytes(1, encoder.encode(CandidateCodec.decode(c.payload())));
        upd.setString(2, device);
        upd.setLong(3, c.sequence());
        upd.executeUpdate();
      }
    }
    db.commit();
    if (!plain.isEmpty()) {
      log.info("{}: sealed {} candidates stored plain before sealing was on", file, plain.size());
    }
  }

  private static boolean isPlain(byte[] payload) {
    try {
      return CandidateCodec.decodeAny(payload) instanceof Candidate;
    } catch (MalformedMessageException e) {
      return false; // not ours to repair: it is sent as stored and the matcher counts it
    }
  }

  private long countWhere(String where, String device) throws SQLException {
    try (PreparedStatement q =
        db.prepareStatement("SELECT COUNT(*) FROM candidates WHERE " + where)) {
      q.setString(1, device);
      try (ResultSet r = q.executeQuery()) {
        return r.next() ? r.getLong(1) : 0;
      }
    }
  }

  @Override
  public synchronized @Nullable Candidate append(LongFunction<Candidate> withSequence) {
    checkOpen();
    long seq = nextSequence;
    Candidate c = withSequence.apply(seq);
    if (c.sequence() != seq || !c.device().equals(device)) {
      throw new IllegalArgumentException(
          "candidate must carry sequence "
              + seq
              + " and device "
              + device
              + ", had "
              + c.sequence()
              + " and "
              + c.device());
    }
    byte[] payload = encoder.encode(c);
    long toDrop = Math.max(0, size + 1 - maxCandidates);
    boolean lowOnSpace = size > 0 && usableBytes() < minFreeBytes;
    if (lowOnSpace) {
      // Stop growing: the new candidate takes the place of the oldest (SQLite reuses its pages).
      toDrop = Math.max(toDrop, 1);
    }
    try {
      store(seq, payload, toDrop);
      if (lowOnSpace) {
        warnSparsely("less than " + minFreeBytes + " bytes free on the spool's file system");
      }
      return c;
    } catch (SQLException e) {
      rollbackQuietly();
      if (!isOutOfSpace(e)) {
        throw new SpoolException(
            file + ": cannot store candidate " + seq + ": " + e.getMessage(), e);
      }
    }
    // The disk is full. Make room by dropping the oldest quarter and try once more; if even that
    // fails, this candidate is dropped (counted) and the agent goes on: space may come back.
    makeRoom(Math.max(1, size / 4));
    try {
      store(seq, payload, 0);
      warnSparsely("disk full: dropped the oldest candidates to make room");
      return c;
    } catch (SQLException e) {
      rollbackQuietly();
      if (!isOutOfSpace(e)) {
        throw new SpoolException(
            file + ": cannot store candidate " + seq + ": " + e.getMessage(), e);
      }
      dropped++; // persisted with the next successful write
      warnSparsely("disk full: a new candidate was dropped");
      return null;
    }
  }

  /** Inserts one row, drops {@code toDrop} oldest rows and updates the counters, in one commit. */
  private void store(long seq, byte[] payload, long toDrop) throws SQLException {
    try (PreparedStatement ins =
        db.prepareStatement(
            "INSERT INTO candidates (seq, device, created, payload) VALUES (?, ?, ?, ?)")) {
      ins.setLong(1, seq);
      ins.setString(2, device);
      ins.setLong(3, System.currentTimeMillis());
      ins.setBytes(4, payload);
      ins.executeUpdate();
    }
    long droppedNow = toDrop > 0 ? deleteOldest(toDrop) : 0;
    updateCounters(seq + 1, dropped + droppedNow);
    db.commit();
    nextSequence = seq + 1;
    size = size + 1 - droppedNow;
    if (droppedNow > 0) {
      dropped += droppedNow;
      // Every drop is counted (status counter spool_dropped); log sparsely, not per row.
      if (dropped == droppedNow || dropped % 1000 < droppedNow) {
        log.warn("spool: dropped the oldest candidates, {} dropped so far", dropped);
      }
    }
  }

  private long deleteOldest(long count) throws SQLException {
    try (PreparedStatement del =
        db.prepareStatement(
            "DELETE FROM candidates WHERE device = ? AND seq IN (SELECT seq FROM candidates"
                + " WHERE device = ? ORDER BY seq LIMIT ?)")) {
      del.setString(1, device);
      del.setString(2, device);
      del.setLong(3, count);
      return del.executeUpdate();
    }
  }

  private void updateCounters(long next, long droppedTotal) throws SQLException {
    try (PreparedStatement upd =
        db.prepareStatement("UPDATE counters SET next_seq = ?, dropped = ? WHERE device = ?")) {
      upd.setLong(1, next);
      upd.setLong(2, droppedTotal);
      upd.setString(3, device);
      upd.executeUpdate();
    }
  }

  /**
   * On a full disk: drops up to {@code count} oldest rows and truncates the WAL, so the next write
   * has pages to reuse. A delete needs a little space itself; if it fails, nothing changes.
   */
  private void makeRoom(long count) {
    try {
      long droppedNow = deleteOldest(count);
      updateCounters(nextSequence, dropped + droppedNow);
      db.commit();
      size -= droppedNow;
      dropped += droppedNow;
    } catch (SQLException e) {
      rollbackQuietly();
    }
    try (Statement s = db.createStatement()) {
      s.execute("PRAGMA wal_checkpoint(TRUNCATE)");
      db.commit();
    } catch (SQLException e) {
      rollbackQuietly(); // the checkpoint is an optimisation; the next write still tries
    }
  }

  private long usableBytes() {
    if (minFreeBytes == 0) {
      return Long.MAX_VALUE;
    }
    Path dir = file.toAbsolutePath().getParent();
    // statvfs(2) on the directory: cheap enough per candidate. 0 means "unknown": ignore it.
    long free = dir == null ? 0 : dir.toFile().getUsableSpace();
    return free == 0 ? Long.MAX_VALUE : free;
  }

  private static boolean isOutOfSpace(SQLException e) {
    return e.getErrorCode() == SQLITE_FULL
        || (e.getMessage() != null && e.getMessage().contains("disk is full"));
  }

  private void warnSparsely(String what) {
    long now = System.nanoTime();
    if (now - lastSpaceWarningNanos > SPACE_WARNING_INTERVAL_NANOS || lastSpaceWarningNanos == 0) {
      lastSpaceWarningNanos = now;
      log.warn("spool {}: {}; {} dropped so far, the agent keeps running", file, what, dropped);
    }
  }

  @Override
  public synchronized List<SpooledCandidate> after(long afterSequence, int limit) {
    checkOpen();
    List<SpooledCandidate> out = new ArrayList<>(Math.min(limit, 1024));
    try (PreparedStatement q =
        db.prepareStatement(
            "SELECT seq, payload FROM candidates WHERE device = ? AND seq > ? ORDER BY seq LIMIT ?")) {
      q.setString(1, device);
      q.setLong(2, afterSequence);
      q.setInt(3, limit);
      try (ResultSet r = q.executeQuery()) {
        while (r.next()) {
          out.add(new SpooledCandidate(r.getLong(1), r.getBytes(2)));
        }
      }
      db.commit();
      return out;
    } catch (SQLException e) {
      rollbackQuietly();
      throw new SpoolException(file + ": cannot read candidates: " + e.getMessage(), e);
    }
  }

  @Override
  public synchronized boolean delete(long sequence) {
    if (closed) {
      return false; // an acknowledgement after shutdown: the row is sent again next start
    }
    try (PreparedStatement del =
        db.prepareStatement("DELETE FROM candidates WHERE device = ? AND seq = ?")) {
      del.setString(1, device);
      del.setLong(2, sequence);
      boolean deleted = del.executeUpdate() == 1;
      db.commit();
      if (deleted) {
        size--;
      }
      return deleted;
    } catch (SQLException e) {
      rollbackQuietly();
      throw new SpoolException(
          file + ": cannot delete candidate " + sequence + ": " + e.getMessage(), e);
    }
  }

  @Override
  public synchronized long size() {
    return size;
  }

  @Override
  public synchronized long dropped() {
    return dropped;
  }

  @Override
  public synchronized long nextSequence() {
    return nextSequence;
  }

  @Override
  public synchronized void close() {
    if (!closed) {
      closed = true;
      closeQuietly(db);
    }
  }

  private void checkOpen() {
    if (closed) {
      throw new IllegalStateException("spool " + file + " is closed");
    }
  }

  private void rollbackQuietly() {
    try {
      db.rollback();
    } catch (SQLException e) {
      // SQLite itself rolls back on some errors (SQLITE_FULL, SQLITE_IOERR). The driver's
      // "rollback; begin;" then fails at the rollback and never begins: without a new BEGIN,
      // every later commit would fail with "no transaction is active".
      log.debug("rollback failed: {}", e.getMessage());
      try {
        db.unwrap(SQLiteConnection.class).getDatabase().exec("begin;", false);
      } catch (SQLException again) {
        log.debug("begin after failed rollback: {}", again.getMessage());
      }
    }
  }

  private static void closeQuietly(Connection c) {
    if (c != null) {
      try {
        c.close();
      } catch (SQLException e) {
        log.debug("closing the spool failed", e);
      }
    }
  }

  @Override
  public String toString() {
    return "SqliteCandidateSpool[" + file + "]";
  }
}
