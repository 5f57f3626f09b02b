package io.edgecam.protocol;

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
 * @param threshold threshold the score was compared with
 * @param trackId tracker id on the device
 * @param box face box in source pixels
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
    Box box) {

  /** Throws {@link IllegalArgumentException} naming the first invalid field. */
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
    if (box == null) {
      throw new IllegalArgumentException("alert box must not be null");
    }
    label = label == null ? "" : label;
  }
}
