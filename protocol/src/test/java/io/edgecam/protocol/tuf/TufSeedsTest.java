package io.edgecam.protocol.tuf;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

/**
 * The seeds of {@link TufMetadataFuzzTest} (src/test/resources/corpus/tuf): the four top-level
 * files of a real repository, each prefixed with the byte that selects its type. {@code
 * -Dedgecam.writeCorpus=protocol/src/test/resources} rewrites them from {@link TufFixture}.
 */
class TufSeedsTest {
  private static final String[] ROLES = {"root", "targets", "snapshot", "timestamp"};

  @Test
  void seedsAreTheFilesOfARealRepositoryAndParseAsTheirType() throws IOException {
    String write = System.getProperty("edgecam.writeCorpus");
    if (write != null) {
      TufFixture fixture = new TufFixture();
      for (int i = 0; i < ROLES.length; i++) {
        byte[] meta = fixture.meta(ROLES[i] + ".json");
        if (meta == null) {
          meta = fixture.meta("1." + ROLES[i] + ".json");
        }
        assertThat(meta).as(ROLES[i]).isNotNull();
        byte[] seed = new byte[meta.length + 1];
        seed[0] = (byte) i;
        System.arraycopy(meta, 0, seed, 1, meta.length);
        Path file = Path.of(write, "corpus/tuf", "seed-" + ROLES[i]);
        Files.createDirectories(file.getParent());
        Files.write(file, seed);
      }
    }
    Class<?>[] types = {Root.class, Targets.class, Snapshot.class, Timestamp.class};
    for (int i = 0; i < ROLES.length; i++) {
      try (InputStream in = getClass().getResourceAsStream("/corpus/tuf/seed-" + ROLES[i])) {
        assertThat(in).as("seed %s", ROLES[i]).isNotNull();
        byte[] seed = in.readAllBytes();
        assertThat(seed[0]).isEqualTo((byte) i);
        @SuppressWarnings("unchecked") // Signed subtypes listed above
        Class<? extends Signed> type = (Class<? extends Signed>) types[i];
        assertThat(Metadata.parse(Arrays.copyOfRange(seed, 1, seed.length), type).signed())
            .isInstanceOf(type);
      }
    }
  }
}
