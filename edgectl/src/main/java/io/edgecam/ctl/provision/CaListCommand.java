package io.edgecam.ctl.provision;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code edgecam ca list}: the identities the CA issued. */
@Command(
    name = "list",
    mixinStandardHelpOptions = true,
    description = "List every certificate the fleet CA issued: role, name, site, expiry.")
public final class CaListCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Option(
      names = "--ca",
      paramLabel = "DIR",
      defaultValue = CaCommand.DEFAULT_DIR,
      description = "CA folder (default: $EDGECAM_CA or fleet-ca).")
  Path caDir;

  @Option(names = "--json", description = "Print [{role, name, site, serial, notAfter}].")
  boolean json;

  @Override
  public Integer call() throws Exception {
    PrintWriter out = spec.commandLine().getOut();
    ObjectMapper mapper = new ObjectMapper();
    ArrayNode all = mapper.createArrayNode();
    for (FleetCa.IssuedCertificate ic : FleetCa.open(caDir).issued()) {
      Identity id = ic.identity();
      String serial = ic.certificate().getSerialNumber().toString(16);
      String notAfter = ic.certificate().getNotAfter().toInstant().toString();
      if (json) {
        all.addObject()
            .put("role", id.role().lower())
            .put("name", id.name())
            .put("site", id.site())
            .put("serial", serial)
            .put("notAfter", notAfter);
      } else {
        out.printf(
            "%-8s %-24s %-16s expires %s  serial %s%n",
            id.role().lower(), id.name(), id.site() == null ? "-" : id.site(), notAfter, serial);
      }
    }
    if (json) {
      out.println(mapper.writeValueAsString(all));
    }
    out.flush();
    return 0;
  }
}
