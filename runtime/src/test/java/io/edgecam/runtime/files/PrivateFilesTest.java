package io.edgecam.runtime.files;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PrivateFilesTest {
  @TempDir Path dir;

  private static String mode(Path p) throws Exception {
    return PosixFilePermissions.toString(Files.getPosixFilePermissions(p));
  }

  @Test
  void newFoldersAreOwnerOnlyAndExistingOnesAreLeftAlone() throws Exception {
    Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwxr-xr-x"));
    PrivateFiles.createDirectories(dir.resolve("a/b"));
    assertThat(mode(dir.resolve("a"))).isEqualTo("rwx------");
    assertThat(mode(dir.resolve("a/b"))).isEqualTo("rwx------");
    assertThat(mode(dir)).isEqualTo("rwxr-xr-x");
  }

  @Test
  void aDatabaseIsCreatedOwnerOnlyAndAnExistingOneWithItsWalIsNarrowed() throws Exception {
    PrivateFiles.prepareDatabase(dir.resolve("new/m.db"));
    assertThat(mode(dir.resolve("new/m.db"))).isEqualTo("rw-------");

    Path old = Files.writeString(dir.resolve("old.db"), "x");
    Path wal = Files.writeString(dir.resolve("old.db-wal"), "x");
    Files.setPosixFilePermissions(old, PosixFilePermissions.fromString("rw-r--r--"));
    Files.setPosixFilePermissions(wal, PosixFilePermissions.fromString("rw-r--r--"));
    PrivateFiles.prepareDatabase(old);
    assertThat(mode(old)).isEqualTo("rw-------");
    assertThat(mode(wal)).isEqualTo("rw-------");
  }

  @Test
  void writeReplacesAFileOwnerOnly() throws Exception {
    Path f = Files.writeString(dir.resolve("r.json"), "old");
    Files.setPosixFilePermissions(f, PosixFilePermissions.fromString("rw-r--r--"));
    PrivateFiles.write(f, new byte[] {'n'});
    assertThat(mode(f)).isEqualTo("rw-------");
    assertThat(Files.readString(f)).isEqualTo("n");
  }
}
