package io.edgecam.protocol;

import static org.assertj.core.api.Assertions.assertThat;

import io.edgecam.protocol.bundle.WatchlistBundle;
import io.edgecam.protocol.bundle.WatchlistBundleCodec;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Seeds of WatchlistBundleFuzzTest (src/test/resources/corpus/bundle): real bundles of 0, 1 and 3
 * entries. {@code -Dedgecam.writeCorpus=protocol/src/test/resources} rewrites them.
 */
class BundleSeedsTest {
  private static final String[] NAMES = {"empty", "one-1d", "three-192d"};

  @Test
  void seedsAreRealBundles() throws IOException {
    List<WatchlistBundle> bundles =
        List.of(
            new WatchlistBundle(1, 0, "mfn-1.0.24", List.of()),
            WatchlistBundleCodecTest.bundle(1, 1),
            WatchlistBundleCodecTest.bundle(3, 192));
    String write = System.getProperty("edgecam.writeCorpus");
    for (int i = 0; write != null && i < NAMES.length; i++) {
      Path file = Path.of(write, "corpus/bundle", "seed-" + NAMES[i] + ".cbor");
      Files.createDirectories(file.getParent());
      Files.write(file, WatchlistBundleCodec.encode(bundles.get(i)));
    }
    for (int i = 0; i < NAMES.length; i++) {
      try (InputStream in =
          getClass().getResourceAsStream("/corpus/bundle/seed-" + NAMES[i] + ".cbor")) {
        assertThat(in).as("seed %s", NAMES[i]).isNotNull();
        assertThat(WatchlistBundleCodec.decode(in.readAllBytes())).isEqualTo(bundles.get(i));
      }
    }
  }
}
