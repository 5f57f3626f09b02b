package io.edgecam.protocol.fuzz;

import com.code_intelligence.jazzer.junit.FuzzTest;
import io.edgecam.protocol.Candidate;
import io.edgecam.protocol.CandidateCodec;
import io.edgecam.protocol.CandidatePayload;
import io.edgecam.protocol.MalformedMessageException;
import io.edgecam.protocol.SealedCandidate;

/**
 * Candidate CBOR, versions 1 and 2: the decoder throws nothing but {@link
 * MalformedMessageException}, and whatever it accepts re-encodes to the same value. Seeds: the hand
 * corpus of docs/protocol.md (CandidateFuzzTestInputs/decodeAny).
 */
class CandidateFuzzTest {
  @FuzzTest(maxDuration = "30s")
  void decodeAny(byte[] payload) {
    CandidatePayload p;
    try {
      p = CandidateCodec.decodeAny(payload);
    } catch (MalformedMessageException e) {
      Findings.requireDeliberate(e, "candidate");
      return;
    }
    if (p instanceof Candidate c) {
      Findings.check(
          CandidateCodec.decode(CandidateCodec.encode(c)).equals(c), "v1 round trip changed " + c);
    } else {
      SealedCandidate s = (SealedCandidate) p;
      Findings.check(
          CandidateCodec.decodeSealed(CandidateCodec.encodeSealed(s)).equals(s),
          "v2 round trip changed " + s);
    }
  }
}
