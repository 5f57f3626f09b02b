package io.edgecam.agent.update;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AtomicFilesTest {
  @TempDir Path dir;

  /** Security review, issue 17: the device's watchlist bundle (embeddings) was 0644. */
  @Test
  void replacedFilesAreOwnerOnly() throws Exception {
    Path bundle = dir.resolve("updates/watchlist.bundle");
    AtomicFiles.write(bundle, new byte[] {1, 2, 3});
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(bundle)))
        .isEqualTo("rw-------");
    AtomicFiles.write(bundle, new byte[] {4});
    assertThat(Files.readAllBytes(bundle)).containsExactly(4);
    assertThat(dir.resolve("updates/watchlist.bundle.tmp")).doesNotExist();
  }
}
