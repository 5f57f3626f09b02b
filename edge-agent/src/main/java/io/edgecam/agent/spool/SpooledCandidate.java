package io.edgecam.agent.spool;

/**
 * A stored candidate, already encoded for the wire.
 *
 * @param sequence its per-device sequence number
 * @param payload the CBOR payload ({@link io.edgecam.protocol.CandidateCodec}); not copied
 */
public record SpooledCandidate(long sequence, byte[] payload) {
  @Override
  public String toString() {
    return "SpooledCandidate[" + sequence + ", " + payload.length + " bytes]";
  }
}
