package io.edgecam.protocol;

/**
 * What a candidates topic carries: a plain {@link Candidate} (version 1) or a {@link
 * SealedCandidate} (version 2). {@link CandidateCodec#decodeAny} returns one of the two.
 */
public sealed interface CandidatePayload permits Candidate, SealedCandidate {
  /** Device id of the header. */
  String device();

  /** Per-device sequence number of the header. */
  long sequence();
}
