package io.edgecam.protocol.fuzz;

import com.code_intelligence.jazzer.junit.FuzzTest;
import io.edgecam.protocol.Candidate;
import io.edgecam.protocol.MalformedMessageException;
import io.edgecam.protocol.seal.CandidateOpener;
import io.edgecam.protocol.seal.SealingKeyPair;
import io.edgecam.protocol.seal.UnsealException;
import java.util.List;

/**
 * The matcher's decode path with a sealing key: only {@link MalformedMessageException} (not a
 * candidate) or {@link UnsealException} (not openable) for anything that is not a valid candidate.
 * The key is the documented example's (RFC 9180 A.1.1 skRm), so the seed example opens.
 */
class SealedOpenFuzzTest {
  private static final CandidateOpener OPENER =
      CandidateOpener.of(
          List.of(
              SealingKeyPair.fromPem(
                  "-----BEGIN PRIVATE KEY-----\n"
                      + "MC4CAQAwBQYDK2VuBCIEIEYSxVAmP8itWDdd8/VXqsUx0mhQkD5VqfI/Idg1Tors\n"
                      + "-----END PRIVATE KEY-----\n")),
          false);

  @FuzzTest(maxDuration = "30s")
  void open(byte[] payload) {
    try {
      Candidate c = OPENER.open(payload);
      Findings.check(c.embedding().dimensions() > 0, "opened an empty embedding");
    } catch (MalformedMessageException e) {
      Findings.requireDeliberate(e, "candidate");
    } catch (UnsealException e) {
      Findings.check(e.getMessage().startsWith("candidate: "), "unsealing message " + e);
    }
  }
}
