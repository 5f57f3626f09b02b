package io.edgecam.ctl.provision;

import io.edgecam.protocol.EdgecamException;
import io.edgecam.protocol.Topics;
import java.time.Instant;
import java.util.List;

/**
 * The part of Mosquitto's ACL file that depends on the fleet: one {@code user} block per issued
 * device and matcher, generated from the CA's {@code issued/} certificates (their URI names carry
 * role and site). Mosquitto's {@code pattern} lines can only substitute the user name ({@code %u},
 * the certificate's CN = the device id), never the site, so whatever is bound to a device's
 * <em>site</em> is listed here per device: reading the site's update topics, and publishing under
 * its own id at its own site only (docs/operations.md, "Broker access control").
 */
final class BrokerAcl {
  static final String BEGIN =
      "# --- BEGIN edgecam ca acl: generated from the fleet CA's issued certificates; do not edit";
  static final String END = "# --- END edgecam ca acl ---";

  /** Root of a site's update topics (TUF metadata and targets) below {@code edgecam/v1/{site}}. */
  static final String UPDATES = "updates";

  private BrokerAcl() {}

  /** The generated section, markers included. */
  static String section(List<FleetCa.IssuedCertificate> issued, Instant now) {
    StringBuilder s = new StringBuilder(BEGIN).append("\n");
    s.append("# Rewritten by provision and ca revoke with --acl THIS_FILE (and reloaded with\n");
    s.append("# --reload-command), or by ./edgecam ca acl --ca DIR --acl THIS_FILE + a reload.\n");
    for (FleetCa.IssuedCertificate ic : issued) {
      Identity id = ic.identity();
      if (id.role() == Identity.Role.BROKER) {
        continue;
      }
      Instant expires = ic.certificate().getNotAfter().toInstant();
      s.append("\n# ")
          .append(id.describe())
          .append(", certificate ")
          .append(ic.certificate().getSerialNumber().toString(16))
          .append(expires.isBefore(now) ? ", EXPIRED " : ", expires ")
          .append(expires)
          .append("\nuser ")
          .append(id.name())
          .append("\n");
      if (id.role() == Identity.Role.DEVICE) {
        String site = Topics.ROOT + "/" + id.site() + "/";
        s.append("topic read ").append(site).append(UPDATES).append("/#\n");
        for (String kind : List.of(Topics.CANDIDATES, Topics.STATUS, Topics.EVENTS)) {
          s.append("topic write ")
              .append(site)
              .append(id.name())
              .append("/")
              .append(kind)
              .append("\n");
        }
      } else {
        s.append("topic read ").append(Topics.ALL_CANDIDATES).append("\n");
        s.append("topic read ").append(Topics.ALL_STATUS).append("\n");
        s.append("topic read ").append(Topics.ALL_EVENTS).append("\n");
        s.append("topic write ").append(Topics.ALERTS).append("\n");
        // Verified alerts for action systems (two-person verification, docs/console.md) and the
        // matcher's own retained status with its operating point (docs/matcher.md).
        s.append("topic write ").append(Topics.VERIFIED_ALERTS).append("\n");
        s.append("topic write ").append(Topics.matcherStatus(id.name())).append("\n");
        s.append("topic write ").append(Topics.ROOT).append("/+/").append(UPDATES).append("/#\n");
      }
    }
    return s.append(END).append("\n").toString();
  }

  /**
   * {@code acl} with its generated section replaced by {@code section} (appended when it has none).
   *
   * @throws EdgecamException if the file has a BEGIN marker without END, or the other way round
   */
  static String update(String acl, String section) {
    int begin = acl.indexOf(BEGIN);
    int end = acl.indexOf(END);
    if (begin < 0 && end < 0) {
      return acl + (acl.isEmpty() || acl.endsWith("\n") ? "" : "\n") + "\n" + section;
    }
    if (begin < 0 || end < begin) {
      throw new EdgecamException(
          "the generated section's markers are damaged (need one '"
              + BEGIN
              + "' line before one '"
              + END
              + "' line); restore them or remove the section");
    }
    int after = acl.indexOf('\n', end);
    return acl.substring(0, begin) + section + (after < 0 ? "" : acl.substring(after + 1));
  }
}
