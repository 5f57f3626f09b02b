package io.edgecam.matcher.config;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonProperty;
import java.nio.file.Path;
import org.jspecify.annotations.Nullable;

/**
 * The audit log's key and head checkpoint ({@code audit} in matcher.yaml). Relative paths are
 * resolved against the config file's folder.
 *
 * @param keyFile the matcher's Ed25519 key (PEM, mode 0600), created at first start
 * @param headFile the signed head checkpoint rewritten after every append; keep it (or a copy) out
 *     of reach of whoever can write the database, since it is what reveals a truncated tail
 */
public record AuditConfig(Path keyFile, Path headFile) {
  public static final Path DEFAULT_KEY_FILE = Path.of("audit.key");
  public static final Path DEFAULT_HEAD_FILE = Path.of("audit-head.json");

  /** Binds the YAML form, filling defaults for missing keys. */
  @JsonCreator
  public static AuditConfig fromYaml(
      @JsonProperty("keyFile") @Nullable Path keyFile,
      @JsonProperty("headFile") @Nullable Path headFile) {
    return new AuditConfig(
        keyFile == null ? DEFAULT_KEY_FILE : keyFile,
        headFile == null ? DEFAULT_HEAD_FILE : headFile);
  }

  public AuditConfig {
    if (keyFile == null || headFile == null) {
      throw new IllegalArgumentException("audit.keyFile and audit.headFile must not be null");
    }
  }

  /** Key and head file in {@code dir}, under their default names. */
  public static AuditConfig in(Path dir) {
    return new AuditConfig(dir.resolve(DEFAULT_KEY_FILE), dir.resolve(DEFAULT_HEAD_FILE));
  }

  AuditConfig resolve(Path base) {
    return new AuditConfig(base.resolve(keyFile), base.resolve(headFile));
  }
}
