package io.edgecam.ctl.doctor;

import io.edgecam.agent.config.TlsConfig;
import io.edgecam.agent.publish.PemTls;
import io.edgecam.protocol.EdgecamException;
import java.io.IOException;
import java.net.URL;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * Is the clock plausible: not before this build of edgecam, and inside the validity window of every
 * configured certificate (a Pi without an RTC boots in 1970 until NTP syncs, and then TLS fails
 * with "certificate not yet valid").
 */
final class ClockCheck {
  static final String NAME = "clock";

  private ClockCheck() {}

  static CheckResult run(TlsConfig tls, Instant now) {
    Instant built = buildTime();
    if (built != null && now.isBefore(built)) {
      return CheckResult.fail(
          NAME,
          "clock says " + now + ", before this edgecam build (" + built + ")",
          "set the time: enable NTP (timedatectl set-ntp true) and check the network");
    }
    for (Path file : files(tls)) {
      List<X509Certificate> certs;
      try {
        certs = PemTls.certificates(file, "mqtt.tls");
      } catch (EdgecamException e) {
        continue; // unreadable files are the tls check's to report
      }
      for (X509Certificate c : certs) {
        if (now.isBefore(c.getNotBefore().toInstant())) {
          return CheckResult.fail(
              NAME,
              "clock says "
                  + now
                  + " but "
                  + file
                  + " ("
                  + c.getSubjectX500Principal().getName()
                  + ") is valid only from "
                  + c.getNotBefore().toInstant(),
              "set the time (timedatectl set-ntp true); if the clock is right, the certificate"
                  + " was issued with a future date: reissue it");
        }
      }
    }
    return CheckResult.ok(NAME, now + (built == null ? "" : ", after the build date " + built));
  }

  private static List<Path> files(TlsConfig tls) {
    List<Path> files = new ArrayList<>();
    if (tls.ca() != null) {
      files.add(tls.ca());
    }
    if (tls.cert() != null) {
      files.add(tls.cert());
    }
    return files;
  }

  /** When this class was compiled (jar entry or class file time), or null if unknown. */
  static @Nullable Instant buildTime() {
    URL self = ClockCheck.class.getResource("ClockCheck.class");
    if (self == null) {
      return null;
    }
    try {
      long t = self.openConnection().getLastModified();
      return t > 0 ? Instant.ofEpochMilli(t) : null;
    } catch (IOException e) {
      return null;
    }
  }
}
