package io.edgecam.agent.spool;

import static org.assertj.core.api.Assertions.assertThat;

import io.edgecam.protocol.Box;
import io.edgecam.protocol.Candidate;
import io.edgecam.protocol.CandidateCodec;
import io.edgecam.protocol.Int8Embedding;
import io.edgecam.protocol.SealedCandidate;
import io.edgecam.protocol.seal.CandidateOpener;
import io.edgecam.protocol.seal.SealingKeyPair;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SealedSpoolTest {
  private static Candidate candidate(long seq) {
    return new Candidate(
        "cam-1",
        seq,
        1_767_225_600_000L + seq,
        7,
        900,
        new Box(1, 2, 30, 40),
        "mfn-1.0.24",
        new Int8Embedding(new byte[] {1, -2, 3, (byte) seq}, 0.01f));
  }

  @Test
  void sealingSpoolStoresSealedPayloadsAndSealsPlainOnesLeftFromBefore(@TempDir Path dir) {
    SealingKeyPair key = SealingKeyPair.generate();
    Path file = dir.resolve("spool.db");
    List<Candidate> plain = new ArrayList<>();
    try (SqliteCandidateSpool spool = SqliteCandidateSpool.open(file, "cam-1", 100)) {
      plain.add(spool.append(SealedSpoolTest::candidate));
      plain.add(spool.append(SealedSpoolTest::candidate));
      assertThat(CandidateCodec.decode(spool.after(0, 10).get(0).payload()))
          .isEqualTo(plain.get(0));
    }
    CandidateOpener opener = CandidateOpener.of(List.of(key), true);
    try (SqliteCandidateSpool spool =
        SqliteCandidateSpool.open(
            file, "cam-1", 100, 0, CandidateEncoder.sealedTo(key.publicKey()))) {
      Candidate third = spool.append(SealedSpoolTest::candidate);
      List<SpooledCandidate> stored = spool.after(0, 10);
      assertThat(stored).hasSize(3);
      for (SpooledCandidate s : stored) {
        assertThat(CandidateCodec.decodeAny(s.payload())).isInstanceOf(SealedCandidate.class);
      }
      assertThat(opener.open(stored.get(0).payload())).isEqualTo(plain.get(0));
      assertThat(opener.open(stored.get(1).payload())).isEqualTo(plain.get(1));
      assertThat(opener.open(stored.get(2).payload())).isEqualTo(third);
      assertThat(third.sequence()).isEqualTo(3);
    }
  }
}
