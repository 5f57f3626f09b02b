package io.edgecam.protocol;

/**
 * One face that left a device: its embedding and where and when it was seen. Never an image.
 * Encoded by {@link CandidateCodec}; immutable and validated on construction.
 *
 * @param device device id ({@link Ids#requireDevice}); must equal the {device} level of the topic
 *     it arrives on
 * @param sequence per-device sequence number, strictly increasing across restarts (dedup key),
 *     {@code >= 0}
 * @param captureTimeMillis capture time, Unix epoch milliseconds, {@code 0..}{@link
 *     #MAX_CAPTURE_TIME_MILLIS}
 * @param trackId tracker id of the face on the device, {@code >= 0}
 * @param qualityPermille quality score 0..1000
 * @param box face box in source pixels
 * @param model embedder model tag ({@code name@version}, 1..{@link #MAX_MODEL_TAG} visible ASCII
 *     characters), so the matcher only compares embeddings of one model
 * @param embedding int8 embedding
 */
public record Candidate(
    String device,
    long sequence,
    long captureTimeMillis,
    int trackId,
    int qualityPermille,
    Box box,
    String model,
    Int8Embedding embedding)
    implements CandidatePayload {

  /** Longest model tag, in characters. */
  public static final int MAX_MODEL_TAG = 64;

  /** 9999-12-31T23:59:59.999Z: later capture times are corrupt, not clock skew. */
  public static final long MAX_CAPTURE_TIME_MILLIS = 253_402_300_799_999L;

  /** Throws {@link IllegalArgumentException} naming the first invalid field. */
  public Candidate {
    Ids.requireDevice("device", device);
    if (sequence < 0) {
      throw new IllegalArgumentException("sequence must be >= 0, was " + sequence);
    }
    if (captureTimeMillis < 0 || captureTimeMillis > MAX_CAPTURE_TIME_MILLIS) {
      throw new IllegalArgumentException(
          "captureTimeMillis must be in 0.."
              + MAX_CAPTURE_TIME_MILLIS
              + ", was "
              + captureTimeMillis);
    }
    if (trackId < 0) {
      throw new IllegalArgumentException("trackId must be >= 0, was " + trackId);
    }
    if (qualityPermille < 0 || qualityPermille > 1000) {
      throw new IllegalArgumentException(
          "qualityPermille must be in 0..1000, was " + qualityPermille);
    }
    if (box == null) {
      throw new IllegalArgumentException("box must not be null");
    }
    requireModelTag(model);
    if (embedding == null) {
      throw new IllegalArgumentException("embedding must not be null");
    }
  }

  /** Whether {@code model} is a valid model tag: 1..64 characters of visible ASCII (0x21-0x7e). */
  public static boolean isValidModelTag(String model) {
    if (model == null || model.isEmpty() || model.length() > MAX_MODEL_TAG) {
      return false;
    }
    for (int i = 0; i < model.length(); i++) {
      char c = model.charAt(i);
      if (c < 0x21 || c > 0x7e) {
        return false;
      }
    }
    return true;
  }

  private static void requireModelTag(String model) {
    if (!isValidModelTag(model)) {
      throw new IllegalArgumentException(
          "model tag must be 1.."
              + MAX_MODEL_TAG
              + " visible ASCII characters, was "
              + (model == null ? "null" : Printable.quote(model)));
    }
  }
}
