package io.edgecam.matcher.ingest;

/**
 * Why a candidate was rejected before matching; a small fixed set so that counters stay bounded.
 */
public enum MalformedReason {
  /** The topic is not {@code edgecam/v1/{site}/{device}/candidates}. */
  TOPIC("topic"),
  /** The payload is not a valid version-1 candidate (the log says exactly why). */
  PAYLOAD("payload"),
  /** The payload's device differs from the topic's device: a device speaking for another. */
  DEVICE_MISMATCH("device-mismatch"),
  /** The embedding's dimension differs from the watchlist's (another model). */
  DIMENSIONS("dimensions"),
  /** The candidate's model tag differs from the watchlist's: another embedding space. */
  MODEL("model"),
  /**
   * A sealed candidate the matcher cannot open: sealed to a key it does not hold, or failing
   * authentication (changed in transit).
   */
  SEALED("sealed"),
  /** A plain candidate while the matcher requires sealed ones ({@code sealing.required}). */
  UNSEALED("unsealed"),
  /** From a device id the fleet CA revoked ({@code broker.external.revocation}). */
  REVOKED("revoked");

  private final String key;

  MalformedReason(String key) {
    this.key = key;
  }

  /** Stable name used in counters and JSON. */
  public String key() {
    return key;
  }
}
