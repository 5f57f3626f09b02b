package io.edgecam.protocol.tuf;

/**
 * Upper bounds a {@link TufUpdater} applies to downloads whose length no trusted metadata gives
 * yet, and to how far it walks (the same defaults as tuf-js).
 *
 * @param rootMaxLength bytes per root version
 * @param timestampMaxLength bytes of timestamp.json
 * @param snapshotMaxLength bytes of snapshot when the timestamp lists no length
 * @param targetsMaxLength bytes of a targets role when the snapshot lists no length
 * @param maxRootRotations root versions fetched in one refresh
 * @param maxDelegations targets roles visited in one search
 */
public record FetchLimits(
    long rootMaxLength,
    long timestampMaxLength,
    long snapshotMaxLength,
    long targetsMaxLength,
    int maxRootRotations,
    int maxDelegations) {
  /** 512 kB, 16 kB, 2 MB, 5 MB, 256 rotations, 32 roles. */
  public static final FetchLimits DEFAULTS =
      new FetchLimits(512_000, 16_384, 2_000_000, 5_000_000, 256, 32);

  /** Validates that every bound is positive. */
  public FetchLimits {
    if (rootMaxLength < 1
        || timestampMaxLength < 1
        || snapshotMaxLength < 1
        || targetsMaxLength < 1
        || maxRootRotations < 1
        || maxDelegations < 1) {
      throw new IllegalArgumentException("fetch limits must be >= 1");
    }
  }
}
