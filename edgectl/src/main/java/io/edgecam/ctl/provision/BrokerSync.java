package io.edgecam.ctl.provision;

import io.edgecam.protocol.EdgecamException;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.jspecify.annotations.Nullable;
import picocli.CommandLine.Option;

/**
 * Options of {@code provision} and {@code ca revoke} that keep a broker on the CA's host in step
 * with the CA, so that no manual step follows: regenerate the ACL file's generated section, install
 * the current CRL, then run a reload command (docs/operations.md, "Keeping the broker in step").
 * Each is optional; without them the command prints what to do instead.
 */
final class BrokerSync {
  static final long RELOAD_TIMEOUT_SECONDS = 60;

  @Option(
      names = "--acl",
      paramLabel = "FILE",
      description =
          "Mosquitto ACL file whose generated section to rewrite from the CA (e.g."
              + " /etc/mosquitto/edgecam/edgecam.acl).")
  @Nullable Path acl;

  @Option(
      names = "--crl",
      paramLabel = "FILE",
      description =
          "Where the broker reads the CRL (crlfile, e.g. /etc/mosquitto/edgecam/crl.pem).")
  @Nullable Path crl;

  @Option(
      names = "--reload-command",
      paramLabel = "CMD",
      description =
          "Shell command run after --acl/--crl were written, e.g. 'systemctl reload mosquitto'"
              + " or 'pkill -HUP -x mosquitto'.")
  @Nullable String reloadCommand;

  boolean configured() {
    return acl != null || crl != null || reloadCommand != null;
  }

  /** Brings the broker's files in step with {@code ca}, then reloads; reports to {@code out}. */
  void apply(FleetCa ca, Instant now, PrintWriter out) {
    if (acl != null) {
      List<FleetCa.IssuedCertificate> issued = ca.issued();
      String text;
      try {
        text = Files.readString(acl);
      } catch (NoSuchFileException e) {
        throw new EdgecamException(
            "--acl " + acl + ": no such file (start from device-config/mosquitto/edgecam.acl)", e);
      } catch (IOException e) {
        throw new EdgecamException("--acl: cannot read " + acl + ": " + e.getMessage(), e);
      }
      SecureFiles.write(
          acl, BrokerAcl.update(text, BrokerAcl.section(issued, now)), SecureFiles.PUBLIC);
      out.printf("  acl          %s rewritten from the CA%n", acl);
    }
    if (crl != null) {
      Path source = Revocations.currentCrl(ca, now);
      try {
        SecureFiles.write(crl, Files.readAllBytes(source), SecureFiles.PUBLIC);
      } catch (IOException e) {
        throw new EdgecamException("--crl: cannot write " + crl + ": " + e, e);
      }
      out.printf("  crl          %s installed%n", crl);
    }
    if (reloadCommand != null) {
      long start = System.nanoTime();
      run(reloadCommand);
      out.printf(
          "  reload       '%s' ok (%d ms)%n",
          reloadCommand, (System.nanoTime() - start) / 1_000_000);
    }
    out.flush();
  }

  /**
   * Runs {@code command} with {@code /bin/sh -c}.
   *
   * @throws EdgecamException naming the command, its exit status and output if it fails
   */
  static void run(String command) {
    try {
      Process p = new ProcessBuilder("/bin/sh", "-c", command).redirectErrorStream(true).start();
      p.getOutputStream().close();
      boolean done = p.waitFor(RELOAD_TIMEOUT_SECONDS, TimeUnit.SECONDS);
      if (!done) {
        p.destroyForcibly();
        throw new EdgecamException(
            "--reload-command '"
                + command
                + "' still running after "
                + RELOAD_TIMEOUT_SECONDS
                + " s; killed");
      }
      String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      if (p.exitValue() != 0) {
        throw new EdgecamException(
            "--reload-command '"
                + command
                + "' failed with exit status "
                + p.exitValue()
                + (output.isBlank() ? "" : ": " + output.strip()));
      }
    } catch (IOException e) {
      throw new EdgecamException("--reload-command '" + command + "': " + e.getMessage(), e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new EdgecamException("--reload-command '" + command + "' interrupted", e);
    }
  }
}
