package io.edgecam.ctl.provision;

import io.edgecam.protocol.EdgecamException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import org.jspecify.annotations.Nullable;
import picocli.CommandLine.Option;

/**
 * {@code --passphrase-file FILE}: the fleet CA key's passphrase, from the file's first line or else
 * the environment variable {@value #ENV}; the commands that sign with the CA key mix it in.
 */
final class CaPassphrase {
  static final String ENV = "EDGECAM_CA_PASSPHRASE";

  @Option(
      names = "--passphrase-file",
      paramLabel = "FILE",
      description =
          "File whose first line is the passphrase of the CA key (else env "
              + ENV
              + "); without one the key is stored unencrypted.")
  @Nullable Path file;

  /** The passphrase, or null if neither the file nor the variable gives one. */
  char @Nullable [] get() {
    if (file != null) {
      String s;
      try {
        s = Files.readString(file, StandardCharsets.UTF_8);
      } catch (NoSuchFileException e) {
        throw new EdgecamException("--passphrase-file " + file + ": no such file", e);
      } catch (IOException e) {
        throw new EdgecamException(
            "--passphrase-file " + file + ": cannot read: " + e.getMessage(), e);
      }
      int nl = s.indexOf('\n');
      s = (nl < 0 ? s : s.substring(0, nl)).replace("\r", "");
      if (s.isEmpty()) {
        throw new EdgecamException("--passphrase-file " + file + ": the first line is empty");
      }
      return s.toCharArray();
    }
    String env = System.getenv(ENV);
    return env == null || env.isEmpty() ? null : env.toCharArray();
  }
}
