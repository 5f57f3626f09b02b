package io.edgecam.matcher.oversight;

/**
 * Why an operator rejected an alert. {@link #FALSE_MATCH} (the person seen is not the person
 * sought) is what the false-alarm statistics count.
 */
public enum RejectReason {
  FALSE_MATCH("false-match"),
  POOR_IMAGE("poor-image"),
  OUT_OF_SCOPE("out-of-scope"),
  OTHER("other");

  private final String key;

  RejectReason(String key) {
    this.key = key;
  }

  /** The name used in the API and the store. */
  public String key() {
    return key;
  }

  /**
   * Parses {@link #key()}.
   *
   * @throws IllegalArgumentException naming the accepted values
   */
  public static RejectReason parse(String key) {
    for (RejectReason r : values()) {
      if (r.key.equals(key)) {
        return r;
      }
    }
    throw new IllegalArgumentException(
        "reason must be false-match, poor-image, out-of-scope or other, was "
            + (key == null ? "null" : "'" + key + "'"));
  }
}
