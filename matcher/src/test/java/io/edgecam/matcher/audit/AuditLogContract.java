package io.edgecam.matcher.audit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.edgecam.matcher.audit.AuditVerifier.Kind;
import io.edgecam.matcher.audit.AuditVerifier.Report;
import io.edgecam.matcher.store.MatcherStore;
import io.edgecam.protocol.Alert;
import io.edgecam.protocol.Box;
import io.edgecam.protocol.tuf.SigningKey;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The audit chain on a real database: appends, verification, and tampering with plain SQL on the
 * stored rows, one case per kind of attack. Runs on SQLite and on PostgreSQL.
 */
abstract class AuditLogContract {
  @TempDir Path dir;
  MatcherStore store;
  SigningKey key;
  AuditLog audit;
  Path head;

  /** A new connection of its own to the database under test. */
  abstract MatcherStore open();

  /** A plain JDBC connection to the same database, to tamper with it. */
  abstract Connection sql() throws SQLException;

  @BeforeEach
  void fiveRecords() {
    store = open();
    key = AuditKeys.loadOrCreate(dir.resolve("audit.key"));
    head = dir.resolve("audit-head.json");
    audit = new AuditLog(store.audit(), key, Clock.systemUTC(), head);
    audit.append("cli:alice", AuditAction.WATCHLIST_CREATE, "w1", Map.of("legal_basis", "case 1"));
    audit.append("matcher", AuditAction.ALERT_MATCH, "a1", Map.of("entry", "w1", "score", 0.81));
    audit.append("user:bob", AuditAction.ALERT_VIEW, "a1", Map.of());
    audit.append("user:bob", AuditAction.LOGIN, "bob", Map.of("role", "viewer"));
    audit.append("cli:alice", AuditAction.WATCHLIST_DELETE, "w1", Map.of());
  }

  @AfterEach
  void closeStore() {
    if (store != null) {
      store.close();
    }
  }

  private Report verify() {
    return AuditVerifier.verify(store.audit(), List.of(key.publicKey()), AuditHead.read(head));
  }

  private void exec(String... statements) throws SQLException {
    try (Connection c = sql();
        Statement s = c.createStatement()) {
      for (String st : statements) {
        s.executeUpdate(st);
      }
    }
  }

  private AuditRecord record(long seq) {
    return store.audit().read(AuditQuery.after(seq - 1, 1)).get(0);
  }

  @Test
  void appendsLinkedSignedRecordsThatVerify() {
    List<AuditRecord> all = audit.read(AuditQuery.after(0, 100));
    assertThat(all).extracting(AuditRecord::seq).containsExactly(1L, 2L, 3L, 4L, 5L);
    assertThat(all.get(0).prevHash()).isEqualTo(AuditChain.GENESIS);
    for (int i = 1; i < all.size(); i++) {
      assertThat(all.get(i).prevHash()).isEqualTo(all.get(i - 1).hash());
    }
    assertThat(all.get(1).detail()).isEqualTo("{\"entry\":\"w1\",\"score\":0.81}");
    assertThat(audit.read(AuditQuery.newest(Long.MAX_VALUE, 2)))
        .extracting(AuditRecord::seq)
        .containsExactly(5L, 4L);
    assertThat(audit.read(AuditQuery.after(0, 10).withAction(AuditAction.ALERT_VIEW)))
        .extracting(AuditRecord::subject)
        .containsExactly("a1");
    assertThat(audit.read(AuditQuery.newest(Long.MAX_VALUE, 10).withActor("cli:alice")))
        .extracting(AuditRecord::seq)
        .containsExactly(5L, 1L);
    Report r = verify();
    assertThat(r.ok()).as("%s", r.problem()).isTrue();
    assertThat(r.records()).isEqualTo(5);
    assertThat(r.headSeq()).isEqualTo(5);
  }

  @Test
  void aPersonsFilterFindsEveryTokenOfTheirsAndNoOtherPerson() {
    audit.append("person:dana/tok_0123456789ab", AuditAction.ALERT_CONFIRM, "a1", Map.of());
    audit.append("person:dana/tok_ba9876543210", AuditAction.ALERT_REJECT, "a2", Map.of());
    audit.append("person:danae/tok_0123456789ac", AuditAction.ALERT_CONFIRM, "a1", Map.of());
    assertThat(audit.read(AuditQuery.newest(Long.MAX_VALUE, 10).withActor("person:dana")))
        .extracting(AuditRecord::subject)
        .containsExactly("a2", "a1");
    assertThat(
            audit.read(
                AuditQuery.newest(Long.MAX_VALUE, 10).withActor("person:dana/tok_ba9876543210")))
        .extracting(AuditRecord::subject)
        .containsExactly("a2");
    assertThat(audit.verify().ok()).isTrue();
  }

  @Test
  void editedDetailIsTheFirstBadRecordByHash() throws SQLException {
    exec("UPDATE audit_log SET detail = '{\"entry\":\"w2\",\"score\":0.81}' WHERE seq = 2");
    assertProblem(verify(), 2, Kind.HASH);
  }

  @Test
  void editedActorOrTimeIsCaughtToo() throws SQLException {
    exec("UPDATE audit_log SET time = time + 1 WHERE seq = 4");
    assertProblem(verify(), 4, Kind.HASH);
  }

  @Test
  void deletedMiddleRecordIsAGap() throws SQLException {
    exec("DELETE FROM audit_log WHERE seq = 3");
    Report r = verify();
    assertProblem(r, 3, Kind.GAP);
    assertThat(r.problem().message()).contains("record 3 is missing");
  }

  @Test
  void deletedRecordWithTheRestRenumberedFailsTheHash() throws SQLException {
    exec(
        "DELETE FROM audit_log WHERE seq = 3",
        "UPDATE audit_log SET seq = seq - 1 WHERE seq = 4",
        "UPDATE audit_log SET seq = seq - 1 WHERE seq = 5");
    assertProblem(verify(), 3, Kind.HASH);
  }

  @Test
  void recordInsertedBeforeTheFirstIsFound() throws SQLException {
    exec(
        "INSERT INTO audit_log (seq, time, actor, action, subject, detail, prev_hash, hash,"
            + " key_id, signature) SELECT 0, time, actor, action, subject, detail, prev_hash,"
            + " 'f00d', key_id, signature FROM audit_log WHERE seq = 1");
    assertProblem(verify(), 0, Kind.LINK);
  }

  @Test
  void swappedRecordsFailAtTheFirstOfThem() throws SQLException {
    exec(
        "UPDATE audit_log SET seq = -2 WHERE seq = 2",
        "UPDATE audit_log SET seq = 2 WHERE seq = 4",
        "UPDATE audit_log SET seq = 4 WHERE seq = -2");
    assertProblem(verify(), 2, Kind.HASH);
  }

  @Test
  void rewrittenRecordWithARecomputedHashFailsTheSignature() throws SQLException {
    AuditRecord r3 = record(3);
    AuditRecord forged =
        new AuditRecord(
            r3.seq(),
            r3.time(),
            "user:mallory",
            r3.action(),
            r3.subject(),
            r3.detail(),
            r3.prevHash(),
            "",
            r3.keyId(),
            r3.signature());
    String hash = AuditChain.computeHash(forged);
    try (Connection c = sql();
        PreparedStatement ps =
            c.prepareStatement("UPDATE audit_log SET actor = ?, hash = ? WHERE seq = 3")) {
      ps.setString(1, "user:mallory");
      ps.setString(2, hash);
      ps.executeUpdate();
    }
    // Record 4 still points at the old hash, but the verifier stops at the first bad record.
    assertProblem(verify(), 3, Kind.SIGNATURE);
  }

  @Test
  void recordReplacedEvenWithTheMatchersKeyBreaksTheNextLink() throws SQLException {
    AuditRecord replacement =
        AuditChain.next(record(2), Instant.now(), "matcher", "alert.view", "a9", "{}", key);
    exec("DELETE FROM audit_log WHERE seq = 3");
    try (Connection c = sql();
        PreparedStatement ps =
            c.prepareStatement(
                "INSERT INTO audit_log (seq, time, actor, action, subject, detail, prev_hash, hash,"
                    + " key_id, signature) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")) {
      ps.setLong(1, replacement.seq());
      ps.setLong(2, replacement.time().toEpochMilli());
      ps.setString(3, replacement.actor());
      ps.setString(4, replacement.action());
      ps.setString(5, replacement.subject());
      ps.setString(6, replacement.detail());
      ps.setString(7, replacement.prevHash());
      ps.setString(8, replacement.hash());
      ps.setString(9, replacement.keyId());
      ps.setString(10, replacement.signature());
      ps.executeUpdate();
    }
    assertProblem(verify(), 4, Kind.LINK);
  }

  @Test
  void recordAppendedWithAnotherKeyIsNotTrusted() {
    new AuditLog(store.audit(), SigningKey.generate(), Clock.systemUTC(), null)
        .append("user:mallory", AuditAction.LOGIN, "mallory", Map.of());
    assertProblem(verify(), 6, Kind.UNKNOWN_KEY);
  }

  @Test
  void truncatedTailIsCaughtOnlyByTheHeadCheckpoint() throws SQLException {
    exec("DELETE FROM audit_log WHERE seq >= 4");
    Report r = verify();
    assertProblem(r, 4, Kind.TRUNCATED);
    assertThat(r.problem().message()).contains("records 4..5 were removed");
    // Without the checkpoint the shorter chain is valid in itself: the documented limit.
    Report blind = AuditVerifier.verify(store.audit(), List.of(key.publicKey()), null);
    assertThat(blind.ok()).isTrue();
    assertThat(blind.lastSeq()).isEqualTo(3);
  }

  @Test
  void headCheckpointNotSignedByTheKeyIsRejected() {
    AuditRecord r5 = record(5);
    SigningKey other = SigningKey.generate();
    AuditHead forged =
        new AuditHead(
            5,
            r5.hash(),
            other.keyId(),
            HexFormat.of().formatHex(other.sign(HexFormat.of().parseHex(r5.hash()))));
    Report r = AuditVerifier.verify(store.audit(), List.of(key.publicKey()), forged);
    assertProblem(r, 5, Kind.HEAD);
  }

  @Test
  void matchAndItsAuditRecordAreStoredInOneTransaction() {
    Alert alert =
        new Alert(1, "al-1", "s", "cam", 7, 1L, 2L, "w1", "W", 0.8, 0.45, 3, new Box(1, 2, 3, 4));
    AuditRecord r =
        audit.appendWith(
            "matcher",
            AuditAction.ALERT_MATCH,
            alert.id(),
            Map.of("entry", "w1"),
            next -> store.insertAlertOnce(alert, next));
    assertThat(r).isNotNull();
    assertThat(r.seq()).isEqualTo(6);
    assertThat(
            audit.appendWith(
                "matcher",
                AuditAction.ALERT_MATCH,
                alert.id(),
                Map.of(),
                next -> store.insertAlertOnce(alert, next)))
        .as("a duplicate is neither stored nor recorded")
        .isNull();
    Alert other =
        new Alert(1, "al-2", "s", "cam", 8, 1L, 2L, "w1", "W", 0.8, 0.45, 3, new Box(1, 2, 3, 4));
    assertThatThrownBy(
            () ->
                store.insertAlertOnce(
                    other,
                    last -> {
                      throw new AuditException("signing failed");
                    }))
        .hasMessageContaining("signing failed");
    assertThat(store.alertCount()).as("the alert rolled back with its record").isEqualTo(1);
    assertThat(audit.last().seq()).isEqualTo(6);
    assertThat(verify().ok()).isTrue();
  }

  @Test
  void concurrentAppendersOnTwoConnectionsFormOneChain() throws Exception {
    int perThread = 25;
    List<MatcherStore> stores = List.of(open(), open());
    ExecutorService pool = Executors.newFixedThreadPool(4);
    try {
      List<Future<?>> done = new ArrayList<>();
      for (int t = 0; t < 4; t++) {
        MatcherStore s = stores.get(t % 2);
        AuditLog log = new AuditLog(s.audit(), key, Clock.systemUTC(), null);
        String actor = "writer-" + t;
        done.add(
            pool.submit(
                () -> {
                  for (int i = 0; i < perThread; i++) {
                    log.append(actor, AuditAction.ALERT_VIEW, "a" + i, Map.of("i", i));
                  }
                }));
      }
      for (Future<?> f : done) {
        f.get();
      }
    } finally {
      pool.shutdownNow();
      stores.forEach(MatcherStore::close);
    }
    List<AuditRecord> all = audit.read(AuditQuery.after(0, 1000));
    assertThat(all).hasSize(5 + 4 * perThread);
    Set<Long> seqs = new HashSet<>();
    all.forEach(r -> seqs.add(r.seq()));
    assertThat(seqs).hasSize(all.size());
    Report r = AuditVerifier.verify(store.audit(), List.of(key.publicKey()), null);
    assertThat(r.ok()).as("%s", r.problem()).isTrue();
    assertThat(r.lastSeq()).isEqualTo(5 + 4 * perThread);
  }

  private static void assertProblem(Report r, long seq, Kind kind) {
    assertThat(r.ok()).isFalse();
    assertThat(r.problem().kind()).as("%s", r.problem()).isEqualTo(kind);
    assertThat(r.problem().seq()).as("%s", r.problem()).isEqualTo(seq);
  }
}
