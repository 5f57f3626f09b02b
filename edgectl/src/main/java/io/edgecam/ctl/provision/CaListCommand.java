package io.edgecam.ctl.provision;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Instant;
import java.util.concurrent.Callable;
import org.jspecify.annotations.Nullable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code edgecam ca list}: the identities the CA issued. */
@Command(
    name = "list",
    mixinStandardHelpOptions = true,
    description =
        "List every certificate the fleet CA issued: role, name, site, state (valid, expired,"
            + " revoked), expiry. Revoked certificates are listed after the current ones.")
public final class CaListCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Option(
      names = "--ca",
      paramLabel = "DIR",
      defaultValue = CaCommand.DEFAULT_DIR,
      description = "CA folder (default: $EDGECAM_CA or fleet-ca).")
  Path caDir;

  @Option(
      names = "--json",
      description = "Print [{role, name, site, serial, notAfter, state, revoked, reason}].")
  boolean json;

  @Override
  public Integer call() throws Exception {
    PrintWriter out = spec.commandLine().getOut();
    ObjectMapper mapper = new ObjectMapper();
    ArrayNode all = mapper.createArrayNode();
    Instant now = Instant.now();
    for (FleetCa.IssuedCertificate ic : FleetCa.open(caDir).issued()) {
      Identity id = ic.identity();
      Instant notAfter = ic.certificate().getNotAfter().toInstant();
      row(
          out,
          all,
          id.role().lower(),
          id.name(),
          id.site(),
          ic.certificate().getSerialNumber().toString(16),
          notAfter.toString(),
          notAfter.isBefore(now) ? "expired" : "valid",
          null,
          null);
    }
    for (Revocations.Revoked r : Revocations.read(caDir)) {
      row(
          out,
          all,
          r.role(),
          r.name(),
          r.site(),
          r.serial(),
          r.notAfter(),
          "revoked",
          r.revoked(),
          r.reason());
    }
    if (json) {
      out.println(mapper.writeValueAsString(all));
    }
    out.flush();
    return 0;
  }

  private void row(
      PrintWriter out,
      ArrayNode all,
      String role,
      String name,
      @Nullable String site,
      String serial,
      String notAfter,
      String state,
      @Nullable String revoked,
      @Nullable String reason) {
    if (json) {
      ObjectNode o =
          all.addObject()
              .put("role", role)
              .put("name", name)
              .put("site", site)
              .put("serial", serial)
              .put("notAfter", notAfter)
              .put("state", state);
      if (revoked != null) {
        o.put("revoked", revoked).put("reason", reason);
      }
      return;
    }
    out.printf(
        "%-8s %-24s %-16s %-8s expires %s  serial %s%s%n",
        role,
        name,
        site == null ? "-" : site,
        state,
        notAfter,
        serial,
        revoked == null
            ? ""
            : "  revoked " + revoked + (reason == null ? "" : " (" + reason + ")"));
  }
}
