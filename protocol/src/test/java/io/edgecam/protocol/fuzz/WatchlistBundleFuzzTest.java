package io.edgecam.protocol.fuzz;

import com.code_intelligence.jazzer.junit.FuzzTest;
import io.edgecam.protocol.MalformedMessageException;
import io.edgecam.protocol.bundle.WatchlistBundle;
import io.edgecam.protocol.bundle.WatchlistBundleCodec;

/**
 * The watchlist bundle codec (devices decode what the update channel delivers): only {@link
 * MalformedMessageException}, and an accepted bundle re-encodes to the same value.
 */
class WatchlistBundleFuzzTest {
  @FuzzTest(maxDuration = "30s")
  void decode(byte[] payload) {
    WatchlistBundle b;
    try {
      b = WatchlistBundleCodec.decode(payload);
    } catch (MalformedMessageException e) {
      Findings.requireDeliberate(e, "watchlist bundle");
      return;
    }
    Findings.check(
        WatchlistBundleCodec.decode(WatchlistBundleCodec.encode(b)).equals(b),
        "bundle round trip changed " + b);
  }
}
