package io.edgecam.agent.spool;

import io.edgecam.protocol.Candidate;
import io.edgecam.protocol.CandidateCodec;
import io.edgecam.protocol.seal.CandidateSealer;
import io.edgecam.protocol.seal.SealingPublicKey;
import java.nio.file.Path;
import org.jspecify.annotations.Nullable;

/**
 * Turns a candidate into the payload the spool stores and the publisher sends: plain CBOR (version
 * 1) or sealed to the matcher's key (version 2). Thread-safe.
 */
public interface CandidateEncoder {
  /** The wire payload of {@code c}. */
  byte[] encode(Candidate c);

  /** Whether payloads are sealed (then plain ones left in a spool are sealed when it opens). */
  boolean seals();

  /** {@link CandidateCodec#encode}. */
  static CandidateEncoder plain() {
    return new CandidateEncoder() {
      @Override
      public byte[] encode(Candidate c) {
        return CandidateCodec.encode(c);
      }

      @Override
      public boolean seals() {
        return false;
      }
    };
  }

  /** Seals every candidate to {@code matcher}. */
  static CandidateEncoder sealedTo(SealingPublicKey matcher) {
    CandidateSealer sealer = new CandidateSealer(matcher);
    return new CandidateEncoder() {
      @Override
      public byte[] encode(Candidate c) {
        return sealer.sealAndEncode(c);
      }

      @Override
      public boolean seals() {
        return true;
      }
    };
  }

  /**
   * Plain for a null key file, else sealed to the key in it.
   *
   * @throws io.edgecam.protocol.EdgecamException naming the file if it is not a readable key
   */
  static CandidateEncoder forKeyFile(@Nullable Path matcherPublicKey) {
    return matcherPublicKey == null ? plain() : sealedTo(SealingPublicKey.read(matcherPublicKey));
  }
}
