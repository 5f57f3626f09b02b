package io.edgecam.matcher.audit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.edgecam.protocol.tuf.SigningKey;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AuditKeysTest {
  @TempDir Path dir;

  @Test
  void createsAnOwnerOnlyKeyOnceAndLoadsTheSameKeyAgain() throws Exception {
    Path file = dir.resolve("keys/audit.key");
    SigningKey first = AuditKeys.loadOrCreate(file);
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file)))
        .isEqualTo("rw-------");
    assertThat(Files.readString(file)).contains("BEGIN PRIVATE KEY").contains("BEGIN PUBLIC KEY");
    assertThat(Files.readString(AuditKeys.publicFile(file)))
        .contains("BEGIN PUBLIC KEY")
        .doesNotContain("PRIVATE");
    SigningKey again = AuditKeys.loadOrCreate(file);
    assertThat(again.keyId()).isEqualTo(first.keyId());
    assertThat(AuditKeys.readPublic(AuditKeys.publicFile(file))).isEqualTo(first.publicKey());
    byte[] data = {1, 2, 3};
    assertThat(first.publicKey().verifies(data, again.sign(data))).isTrue();
    assertThatThrownBy(() -> AuditKeys.create(file)).hasMessageContaining("already exists");
  }

  @Test
  void refusesAKeyOthersCanRead() throws Exception {
    Path file = dir.resolve("audit.key");
    AuditKeys.create(file);
    Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-r--r--"));
    assertThatThrownBy(() -> AuditKeys.load(file))
        .isInstanceOf(AuditException.class)
        .hasMessageContaining("readable by others")
        .hasMessageContaining("chmod 600 " + file);
  }

  @Test
  void namesTheFileWhenItIsNotAKey() throws Exception {
    Path file = dir.resolve("audit.key");
    Files.writeString(file, "hello");
    Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
    assertThatThrownBy(() -> AuditKeys.load(file))
        .hasMessageContaining(file.toString())
        .hasMessageContaining("no PRIVATE KEY block");
  }
}
