package io.edgecam.protocol;

import com.fasterxml.jackson.annotation.JsonCreator;

/**
 * A watchlist match raised by the matcher, published on {@code edgecam/v1/alerts}.
 *
 * @param v message version (1)
 * @param id alert id (unique per matcher store)
 * @param site site of the device
 * @param device device that saw the face
 * @param sequence the candidate's sequence number on that device
 * @param captureTimeMillis when the device captured the face
 * @param matchTimeMillis when the matcher decided
 * @param entryId watchlist entry id
 * @param label watchlist entry label
 * @param score cosine similarity
 * @param threshold threshold the score was compared with: the matcher's effective threshold, or the
 *     entry's own when higher
 * @param trackId tracker id on the device
 * @param box face box in source pixels
 * @param secondScore cosine of the best other watchlist entry, or -1 (the lowest cosine) when the
 *     list has no other entry
 * @param margin {@code score - secondScore}: how far ahead of the runner-up the match is (negative
 *     when a higher-scoring entry stayed below its own, higher threshold)
 * @param expectedFpir expected false alarms per stranger of the operating point at match time, in
 *     [0, 1] (docs/matcher.md, "Operating point")
 */
public record Alert(
    int v,
    String id,
    String site,
    String device,
    long sequence,
    long captureTimeMillis,
    long matchTimeMillis,
    String entryId,
    String label,
    double score,
    double threshold,
    int trackId,
    Box box,
    double secondScore,
    double margin,
    double expectedFpir) {

  /** {@link #secondScore} when the watchlist had no other entry. */
  public static final double NO_SECOND = -1.0;

  /**
   * An alert without operating-point figures: no runner-up, and expected false alarms bounded by 1
   * only (nothing is known). For tests and tools.
   */
  public Alert(
      int v,
      String id,
      String site,
      String device,
      long sequence,
      long captureTimeMillis,
      long matchTimeMillis,
      String entryId,
      String label,
      double score,
      double threshold,
      int trackId,
      Box box) {
    this(
        v,
        id,
        site,
        device,
        sequence,
        captureTimeMillis,
        matchTimeMillis,
        entryId,
        label,
        score,
        threshold,
        trackId,
        box,
        NO_SECOND,
        score - NO_SECOND,
        1.0);
  }

  /** Throws {@link IllegalArgumentException} naming the first invalid field. */
  @JsonCreator
  public Alert {
    Ids.require("site", site);
    Ids.requireDevice("device", device);
    if (id == null || id.isEmpty() || entryId == null || entryId.isEmpty()) {
      throw new IllegalArgumentException("alert id and entryId must not be empty");
    }
    if (!Double.isFinite(score) || !Double.isFinite(threshold)) {
      throw new IllegalArgumentException("alert score and threshold must be finite");
    }
    if (sequence < 0 || captureTimeMillis < 0 || matchTimeMillis < 0 || trackId < 0) {
      throw new IllegalArgumentException(
          "alert sequence, captureTimeMillis, matchTimeMillis and trackId must be >= 0");
    }
    if (!Double.isFinite(secondScore) || !Double.isFinite(margin)) {
      throw new IllegalArgumentException("alert secondScore and margin must be finite");
    }
    if (!(expectedFpir >= 0 && expectedFpir <= 1)) {
      throw new IllegalArgumentException(
          "alert expectedFpir must be in [0, 1], was " + expectedFpir);
    }
    if (box == null) {
      throw new IllegalArgumentException("alert box must not be null");
    }
    label = label == null ? "" : label;
  }
}
