package io.edgecam.protocol;

import java.util.Arrays;
import java.util.HexFormat;

/**
 * A candidate whose embedding is sealed to a matcher's X25519 key (Candidate version 2,
 * docs/protocol.md section 7): the header fields stay readable for routing and dedup, the embedding
 * and its scale are AES-256-GCM ciphertext. Made by {@code
 * io.edgecam.protocol.seal.CandidateSealer} and opened by {@code CandidateOpener}; encoded by
 * {@link CandidateCodec#encodeSealed}. Immutable (arrays are copied in and out).
 *
 * @param device device id, as in {@link Candidate}
 * @param sequence per-device sequence number
 * @param captureTimeMillis capture time, Unix epoch milliseconds
 * @param trackId tracker id
 * @param qualityPermille quality 0..1000
 * @param box face box
 * @param model model tag
 * @param keyId the first {@value #KEY_ID_BYTES} bytes of SHA-256 of the recipient's public key
 * @param ephemeralKey the sender's one-time X25519 public key (HPKE {@code enc}), 32 bytes
 * @param ciphertext AES-GCM ciphertext and 16-byte tag of {@code int8 values || float32 scale}
 */
public record SealedCandidate(
    String device,
    long sequence,
    long captureTimeMillis,
    int trackId,
    int qualityPermille,
    Box box,
    String model,
    byte[] keyId,
    byte[] ephemeralKey,
    byte[] ciphertext)
    implements CandidatePayload {

  /** Length of the key id. */
  public static final int KEY_ID_BYTES = 4;

  /** Length of an X25519 public key. */
  public static final int EPHEMERAL_KEY_BYTES = 32;

  /** Length of the AES-GCM tag. */
  public static final int TAG_BYTES = 16;

  /** Shortest ciphertext: one dimension, the 4-byte scale and the tag. */
  public static final int MIN_CIPHERTEXT = 1 + 4 + TAG_BYTES;

  /** Longest ciphertext: {@link Int8Embedding#MAX_DIMENSIONS}, the scale and the tag. */
  public static final int MAX_CIPHERTEXT = Int8Embedding.MAX_DIMENSIONS + 4 + TAG_BYTES;

  /** Throws {@link IllegalArgumentException} naming the first invalid field. */
  public SealedCandidate {
    // The readable header follows the rules of a plain candidate.
    new Candidate(
        device,
        sequence,
        captureTimeMillis,
        trackId,
        qualityPermille,
        box,
        model,
        new Int8Embedding(new byte[] {1}, 1f));
    requireLength("keyId", keyId, KEY_ID_BYTES, KEY_ID_BYTES);
    requireLength("ephemeralKey", ephemeralKey, EPHEMERAL_KEY_BYTES, EPHEMERAL_KEY_BYTES);
    requireLength("ciphertext", ciphertext, MIN_CIPHERTEXT, MAX_CIPHERTEXT);
    keyId = keyId.clone();
    ephemeralKey = ephemeralKey.clone();
    ciphertext = ciphertext.clone();
  }

  private static void requireLength(String field, byte[] b, int min, int max) {
    if (b == null || b.length < min || b.length > max) {
      throw new IllegalArgumentException(
          field
              + " must be "
              + (min == max ? min : min + ".." + max)
              + " bytes, was "
              + (b == null ? "null" : b.length));
    }
  }

  /** The header of {@code c} with the given sealing fields. */
  public static SealedCandidate of(
      Candidate c, byte[] keyId, byte[] ephemeralKey, byte[] ciphertext) {
    return new SealedCandidate(
        c.device(),
        c.sequence(),
        c.captureTimeMillis(),
        c.trackId(),
        c.qualityPermille(),
        c.box(),
        c.model(),
        keyId,
        ephemeralKey,
        ciphertext);
  }

  /** The plain candidate with this header and the opened {@code embedding}. */
  public Candidate withEmbedding(Int8Embedding embedding) {
    return new Candidate(
        device, sequence, captureTimeMillis, trackId, qualityPermille, box, model, embedding);
  }

  @Override
  public byte[] keyId() {
    return keyId.clone();
  }

  @Override
  public byte[] ephemeralKey() {
    return ephemeralKey.clone();
  }

  @Override
  public byte[] ciphertext() {
    return ciphertext.clone();
  }

  /** The key id as 8 lowercase hex digits, as {@code keys sealing} prints it. */
  public String keyIdHex() {
    return HexFormat.of().formatHex(keyId);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof SealedCandidate s
        && device.equals(s.device)
        && sequence == s.sequence
        && captureTimeMillis == s.captureTimeMillis
        && trackId == s.trackId
        && qualityPermille == s.qualityPermille
        && box.equals(s.box)
        && model.equals(s.model)
        && Arrays.equals(keyId, s.keyId)
        && Arrays.equals(ephemeralKey, s.ephemeralKey)
        && Arrays.equals(ciphertext, s.ciphertext);
  }

  @Override
  public int hashCode() {
    return 31 * Long.hashCode(sequence) + device.hashCode() + Arrays.hashCode(ciphertext);
  }

  @Override
  public String toString() {
    return "SealedCandidate["
        + device
        + " #"
        + sequence
        + ", key "
        + keyIdHex()
        + ", "
        + ciphertext.length
        + " bytes sealed]";
  }
}
