package io.edgecam.agent.spool;

import io.edgecam.protocol.Candidate;
import io.edgecam.protocol.CandidateCodec;
import io.edgecam.protocol.Ids;
import io.edgecam.protocol.MalformedMessageException;
import java.io.IOException;
import java.nio.file.Files;
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
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

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

  private final Path file;
  private final String device;
  private final int maxCandidates;
  private final Connection db;
  private final CandidateEncoder encoder;
  private long size;
  private long nextSequence;
  private long dropped;
  private boolean closed;

  private SqliteCandidateSpool(
      Path file, String device, int maxCandidates, Connection db, CandidateEncoder encoder) {
    this.file = file;
    this.device = device;
    this.maxCandidates = maxCandidates;
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
    return open(file, device, maxCandidates, CandidateEncoder.plain());
  }

  /**
   * Opens the spool storing payloads made by {@code encoder}; a sealing encoder also seals the
   * plain candidates left from before sealing was switched on, so none leaves the device plain.
   *
   * @throws SpoolException naming the file if it cannot be opened or is not a spool
   */
  public static SqliteCandidateSpool open(
      Path file, String device, int maxCandidates, CandidateEncoder encoder) {
    Ids.require("device", device);
    if (maxCandidates < 1) {
      throw new IllegalArgumentException("maxCandidates < 1: " + maxCandidates);
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
      SqliteCandidateSpool spool =
          new SqliteCandidateSpool(file, device, maxCandidates, db, encoder);
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
  public synchronized Candidate append(LongFunction<Candidate> withSequence) {
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
    try {
      try (PreparedStatement ins =
          db.prepareStatement(
              "INSERT INTO candidates (seq, device, created, payload) VALUES (?, ?, ?, ?)")) {
        ins.setLong(1, seq);
        ins.setString(2, device);
        ins.setLong(3, System.currentTimeMillis());
        ins.setBytes(4, payload);
        ins.executeUpdate();
      }
      long droppedNow = 0;
      if (toDrop > 0) {
        try (PreparedStatement del =
            db.prepareStatement(
                "DELETE FROM candidates WHERE device = ? AND seq IN (SELECT seq FROM candidates"
                    + " WHERE device = ? ORDER BY seq LIMIT ?)")) {
          del.setString(1, device);
          del.setString(2, device);
          del.setLong(3, toDrop);
          droppedNow = del.executeUpdate();
        }
      }
      try (PreparedStatement upd =
          db.prepareStatement("UPDATE counters SET next_seq = ?, dropped = ? WHERE device = ?")) {
        upd.setLong(1, seq + 1);
        upd.setLong(2, dropped + droppedNow);
        upd.setString(3, device);
        upd.executeUpdate();
      }
      db.commit();
      nextSequence = seq + 1;
      size = size + 1 - droppedNow;
      if (droppedNow > 0) {
        dropped += droppedNow;
        // Every drop is counted (status counter spool_dropped); log sparsely, not per row.
        if (dropped == droppedNow || dropped % 1000 < droppedNow) {
          log.warn(
              "spool full ({} candidates): dropped the oldest, {} dropped so far",
              maxCandidates,
              dropped);
        }
      }
      return c;
    } catch (SQLException e) {
      rollbackQuietly();
      throw new SpoolException(file + ": cannot store candidate " + seq + ": " + e.getMessage(), e);
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
      log.debug("rollback failed", e);
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
