package io.edgecam.protocol;

/**
 * One face that left a device: its embedding and where and when it was seen. Never an image.
 *
 * @param device device id; must equal the {device} level of the topic it arrives on
 * @param sequence per-device sequence number, strictly increasing across restarts (dedup key)
 * @param captureTimeMillis capture time, Unix epoch milliseconds
 * @param trackId tracker id of the face on the device
 * @param qualityPermille quality score 0..1000
 * @param box face box in source pixels
 * @param model embedder model tag ({@code name@version}), so the matcher only compares
 *     embeddings of one model
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
    Int8Embedding embedding) {

  public static final int MAX_MODEL_TAG = 64;

  public Candidate {
    Ids.require("device", device);
    if (sequence < 0) {
      throw new IllegalArgumentException("sequence must be >= 0, was " + sequence);
    }
    if (captureTimeMillis < 0) {
      throw new IllegalArgumentException("captureTimeMillis must be >= 0, was " + captureTimeMillis);
    }
    if (trackId < 0) {
      throw new IllegalArgumentException("trackId must be >= 0, was " + trackId);
    }
    if (qualityPermille < 0 || qualityPermille > 1000) {
      throw new IllegalArgumentException("qualityPermille must be in 0..1000, was " + qualityPermille);
    }
    if (box == null) {
      throw new IllegalArgumentException("box must not be null");
    }
    if (model == null || model.isEmpty() || model.length() > MAX_MODEL_TAG) {
      throw new IllegalArgumentException("model tag must be 1.." + MAX_MODEL_TAG + " characters");
    }
    if (embedding == null) {
      throw new IllegalArgumentException("embedding must not be null");
    }
  }
}
