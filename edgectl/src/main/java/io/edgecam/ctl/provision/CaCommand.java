package io.edgecam.ctl.provision;

import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** {@code edgecam ca ...}: the fleet certificate authority. */
@Command(
    name = "ca",
    mixinStandardHelpOptions = true,
    description =
        "Fleet certificate authority: create it, certify the broker, write the broker ACL, revoke.",
    subcommands = {
      CaInitCommand.class,
      CaBrokerCommand.class,
      CaAclCommand.class,
      CaListCommand.class,
      CaRevokeCommand.class
    })
public final class CaCommand implements Callable<Integer> {
  /** Default CA folder: {@code $EDGECAM_CA}, else {@code fleet-ca} in the working folder. */
  static final String DEFAULT_DIR = "${env:EDGECAM_CA:-fleet-ca}";

  @Spec CommandSpec spec;

  @Override
  public Integer call() {
    spec.commandLine()
        .getErr()
        .println("edgecam ca: name a subcommand (init, broker, acl, list, revoke)");
    spec.commandLine().usage(spec.commandLine().getErr());
    return 2;
  }
}
