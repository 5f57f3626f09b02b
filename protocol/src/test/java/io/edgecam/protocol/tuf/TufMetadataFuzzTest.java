package io.edgecam.protocol.tuf;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.util.Arrays;

/**
 * TUF metadata parsing: the first byte picks the role type (root, targets, snapshot, timestamp),
 * the rest is the file. {@link Metadata#parse} throws nothing but {@link TufException} of kind
 * MALFORMED. Seeds: the files of a real repository (TufFixture), written by {@code TufSeeds#write}.
 */
class TufMetadataFuzzTest {
  @SuppressWarnings("unchecked") // one of four Signed subtypes, chosen by the input
  private static final Class<? extends Signed>[] TYPES =
      new Class[] {Root.class, Targets.class, Snapshot.class, Timestamp.class};

  @FuzzTest(maxDuration = "30s")
  void parse(byte[] input) {
    if (input.length == 0) {
      return;
    }
    Class<? extends Signed> type = TYPES[Math.floorMod(input[0], TYPES.length)];
    byte[] json = Arrays.copyOfRange(input, 1, input.length);
    try {
      Metadata<? extends Signed> m = Metadata.parse(json, type);
      if (m.signed() == null) {
        throw new AssertionError("parsed " + type.getSimpleName() + " without a signed part");
      }
    } catch (TufException e) {
      if (e.kind() != TufException.Kind.MALFORMED) {
        throw new AssertionError("parse threw " + e.kind() + ", expected MALFORMED", e);
      }
    }
  }
}
