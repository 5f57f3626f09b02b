package io.edgecam.agent.spool;

import static org.assertj.core.api.Assertions.assertThat;

import io.edgecam.protocol.Box;
import io.edgecam.protocol.Candidate;
import io.edgecam.protocol.CandidateCodec;
import io.edgecam.protocol.Int8Embedding;
import java.nio.file.Path;
import java.util.List;
import java.util.function.LongFunction;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SqliteCandidateSpoolTest {
  @TempDir Path dir;

  static LongFunction<Candidate> candidate(String device) {
    return seq ->
        new Candidate(
            device,
            seq,
            1_700_000_000_000L + seq,
            7,
            800,
            new Box(1, 2, 30, 40),
            "mobilefacenet@1",
            Int8Embedding.quantize(new float[] {0.6f, 0.8f}));
  }

  private SqliteCandidateSpool open(int max) {
    return SqliteCandidateSpool.open(dir.resolve("state/spool.db"), "cam-01", max);
  }

  /** Security review, issue 17: candidates hold embeddings; umask 022 made them world-readable. */
  @Test
  void theSpoolItsWalAndShmAreOwnerOnly() throws Exception {
    try (SqliteCandidateSpool spool = open(100)) {
      spool.append(candidate("cam-01"));
      for (String f : new String[] {"spool.db", "spool.db-wal", "spool.db-shm"}) {
        assertThat(
                java.nio.file.attribute.PosixFilePermissions.toString(
                    java.nio.file.Files.getPosixFilePermissions(dir.resolve("state/" + f))))
            .as(f)
            .isEqualTo("rw-------");
      }
    }
  }

  @Test
  void sequencesStartAtOneAndIncrease() {
    try (SqliteCandidateSpool spool = open(100)) {
      assertThat(spool.append(candidate("cam-01")).sequence()).isEqualTo(1);
      assertThat(spool.append(candidate("cam-01")).sequence()).isEqualTo(2);
      assertThat(spool.size()).isEqualTo(2);
    }
  }

  @Test
  void storedPayloadDecodesToTheCandidate() {
    try (SqliteCandidateSpool spool = open(100)) {
      Candidate c = spool.append(candidate("cam-01"));

      List<SpooledCandidate> rows = spool.after(0, 10);

      assertThat(rows)
          .singleElement()
          .satisfies(
              r -> {
                assertThat(r.sequence()).isEqualTo(c.sequence());
                assertThat(CandidateCodec.decode(r.payload())).isEqualTo(c);
              });
    }
  }

  @Test
  void restartKeepsRowsAndSequence() {
    try (SqliteCandidateSpool spool = open(100)) {
      spool.append(candidate("cam-01"));
      spool.append(candidate("cam-01"));
      spool.append(candidate("cam-01"));
      spool.delete(3);
    }

    try (SqliteCandidateSpool spool = open(100)) {
      assertThat(spool.size()).isEqualTo(2);
      assertThat(spool.after(0, 10)).extracting(SpooledCandidate::sequence).containsExactly(1L, 2L);
      assertThat(spool.append(candidate("cam-01")).sequence())
          .as("sequence 3 was used before the restart and is never reused")
          .isEqualTo(4);
    }
  }

  @Test
  void fullSpoolDropsOldestFirstAndCountsIt() {
    try (SqliteCandidateSpool spool = open(3)) {
      for (int i = 0; i < 5; i++) {
        spool.append(candidate("cam-01"));
      }

      assertThat(spool.size()).isEqualTo(3);
      assertThat(spool.dropped()).isEqualTo(2);
      assertThat(spool.after(0, 10))
          .extracting(SpooledCandidate::sequence)
          .containsExactly(3L, 4L, 5L);
    }
    try (SqliteCandidateSpool spool = open(3)) {
      assertThat(spool.dropped()).as("drop count persists").isEqualTo(2);
      assertThat(spool.append(candidate("cam-01")).sequence()).isEqualTo(6);
    }
  }

  @Test
  void deleteOnAckRemovesOnlyThatRow() {
    try (SqliteCandidateSpool spool = open(100)) {
      spool.append(candidate("cam-01"));
      spool.append(candidate("cam-01"));

      assertThat(spool.delete(1)).isTrue();
      assertThat(spool.delete(1)).as("second ack of a duplicate").isFalse();
      assertThat(spool.after(0, 10)).extracting(SpooledCandidate::sequence).containsExactly(2L);
      assertThat(spool.size()).isEqualTo(1);
    }
  }

  @Test
  void afterPagesInSequenceOrder() {
    try (SqliteCandidateSpool spool = open(100)) {
      for (int i = 0; i < 10; i++) {
        spool.append(candidate("cam-01"));
      }

      assertThat(spool.after(4, 3))
          .extracting(SpooledCandidate::sequence)
          .containsExactly(5L, 6L, 7L);
    }
  }

  @Test
  void otherDevicesRowsAreNeitherReadNorCounted() {
    try (SqliteCandidateSpool spool =
        SqliteCandidateSpool.open(dir.resolve("s.db"), "old-id", 10)) {
      spool.append(candidate("old-id"));
    }
    try (SqliteCandidateSpool spool =
        SqliteCandidateSpool.open(dir.resolve("s.db"), "new-id", 10)) {
      assertThat(spool.size()).isZero();
      assertThat(spool.after(0, 10)).isEmpty();
      assertThat(spool.append(candidate("new-id")).sequence()).isEqualTo(1);
    }
  }
}
