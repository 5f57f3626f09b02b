package io.edgecam.ctl.provision;

import io.edgecam.protocol.EdgecamException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.Callable;
import org.jspecify.annotations.Nullable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code edgecam ca acl}: the per-identity part of Mosquitto's ACL file. */
@Command(
    name = "acl",
    mixinStandardHelpOptions = true,
    description =
        "Write the broker ACL entries of every issued device and matcher: each device reads its site's update topics and writes its own topics at its own site; each matcher reads candidates, status and events and writes alerts and updates. With --acl FILE the generated section of FILE (device-config/mosquitto/edgecam.acl) is replaced in place; without, the section is printed.")
public final class CaAclCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Option(
      names = "--ca",
      paramLabel = "DIR",
      defaultValue = CaCommand.DEFAULT_DIR,
      description = "CA folder (default: $EDGECAM_CA or fleet-ca).")
  Path caDir;

  @Option(names = "--acl", paramLabel = "FILE", description = "Mosquitto ACL file to update.")
  @Nullable Path acl;

  @Override
  public Integer call() {
    List<FleetCa.IssuedCertificate> issued = FleetCa.open(caDir).issued();
    String section = BrokerAcl.section(issued, Instant.now());
    long clients = issued.stream().filter(i -> i.identity().role() != Identity.Role.BROKER).count();
    if (acl == null) {
      spec.commandLine().getOut().print(section);
      spec.commandLine().getOut().flush();
      return 0;
    }
    String text;
    try {
      text = Files.readString(acl);
    } catch (NoSuchFileException e) {
      throw new EdgecamException(
          acl + ": no such file (start from device-config/mosquitto/edgecam.acl)", e);
    } catch (IOException e) {
      throw new EdgecamException("cannot read " + acl + ": " + e.getMessage(), e);
    }
    SecureFiles.write(acl, BrokerAcl.update(text, section), SecureFiles.PUBLIC);
    spec.commandLine()
        .getOut()
        .printf(
            "%s: %d identities (devices and matchers) written; reload Mosquitto to apply"
                + " (sudo systemctl reload mosquitto)%n",
            acl, clients);
    spec.commandLine().getOut().flush();
    return 0;
  }
}
