package io.edgecam.ctl.provision;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Instant;
import java.util.concurrent.Callable;
import org.jspecify.annotations.Nullable;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** {@code edgecam ca revoke}: a stolen or retired device's (or matcher's) certificate. */
@Command(
    name = "revoke",
    mixinStandardHelpOptions = true,
    description =
        "Revoke the certificate of a device or matcher: records it in the CA folder, writes crl.pem (the broker's crlfile: the certificate can no longer connect) and revoked.json (signed by the CA: the matcher refuses the id's candidates and status). The id can be provisioned again later with a new key. With --acl/--crl/--reload-command the broker is brought in step at once.")
public final class CaRevokeCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @ArgGroup(exclusive = true, multiplicity = "1")
  ProvisionCommand.Who who;

  @Option(
      names = "--reason",
      paramLabel = "TEXT",
      description = "Why (kept in the record and the signed list), e.g. stolen, retired.")
  @Nullable String reason;

  @Option(
      names = "--ca",
      paramLabel = "DIR",
      defaultValue = CaCommand.DEFAULT_DIR,
      description = "CA folder (default: $EDGECAM_CA or fleet-ca).")
  Path caDir;

  @Mixin BrokerSync sync;

  @Override
  public Integer call() {
    if (reason != null && (reason.isBlank() || reason.length() > 200 || hasControl(reason))) {
      throw new ParameterException(
          spec.commandLine(), "--reason must be 1..200 printable characters");
    }
    Identity.Role role = who.device != null ? Identity.Role.DEVICE : Identity.Role.MATCHER;
    String name = who.device != null ? who.device : who.matcher;
    Instant now = Instant.now();
    FleetCa ca = FleetCa.open(caDir);
    Revocations.Revoked r = Revocations.revoke(ca, role, name, reason, now);
    PrintWriter out = spec.commandLine().getOut();
    out.printf(
        "revoked %s %s (serial %s%s)%n  crl          %s%n  signed list  %s%n",
        r.role(),
        r.name(),
        r.serial(),
        reason == null ? "" : ", reason " + reason,
        caDir.resolve(Revocations.CRL),
        caDir.resolve(Revocations.SIGNED_LIST));
    if (sync.configured()) {
      sync.apply(ca, now, out);
    } else {
      out.printf(
          "next (on the broker): install %s as /etc/mosquitto/edgecam/crl.pem, rewrite the ACL"
              + " (./edgecam ca acl --acl ...) and reload Mosquitto; copy %s to every matcher"
              + " (revocation.file). --crl, --acl and --reload-command do the broker part.%n",
          caDir.resolve(Revocations.CRL), caDir.resolve(Revocations.SIGNED_LIST));
    }
    out.flush();
    return 0;
  }

  private static boolean hasControl(String s) {
    return s.chars().anyMatch(Character::isISOControl);
  }
}
