package io.edgecam.ctl.provision;

import io.edgecam.protocol.EdgecamException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** {@code edgecam ca broker}: the MQTT broker's TLS server certificate. */
@Command(
    name = "broker",
    mixinStandardHelpOptions = true,
    description =
        "Issue the MQTT broker's server certificate (for device-config/mosquitto/edgecam.conf): writes ca.pem, broker.pem, broker.key (0600) and the CA's current crl.pem into OUT.")
public final class CaBrokerCommand implements Callable<Integer> {
  static final String CERT = "broker.pem";
  static final String KEY = "broker.key";

  @Spec CommandSpec spec;

  @Mixin CaPassphrase passphrase;

  @Option(
      names = "--ca",
      paramLabel = "DIR",
      defaultValue = CaCommand.DEFAULT_DIR,
      description = "CA folder (default: $EDGECAM_CA or fleet-ca).")
  Path caDir;

  @Option(
      names = "--host",
      paramLabel = "NAME",
      required = true,
      split = ",",
      description = "DNS name or IP address devices use to reach the broker; repeatable.")
  List<String> hosts;

  @Option(names = "--out", paramLabel = "DIR", required = true, description = "Output folder.")
  Path out;

  @Option(
      names = "--days",
      paramLabel = "N",
      defaultValue = "825",
      description = "Validity in days (default: ${DEFAULT-VALUE}).")
  int days;

  @Option(names = "--force", description = "Replace an existing broker key and certificate.")
  boolean force;

  @Override
  public Integer call() {
    Identity who;
    try {
      who = Identity.broker(hosts);
    } catch (IllegalArgumentException e) {
      throw new ParameterException(spec.commandLine(), "--host: " + e.getMessage());
    }
    if (days < 1) {
      throw new ParameterException(spec.commandLine(), "--days must be >= 1, was " + days);
    }
    if (!force && Files.exists(out.resolve(KEY))) {
      throw new EdgecamException(out.resolve(KEY) + " already exists; --force replaces it");
    }
    FleetCa ca = FleetCa.open(caDir, passphrase.get());
    FleetCa.Issued issued = ca.issue(who, Duration.ofDays(days), true, Instant.now());
    SecureFiles.directory(out, SecureFiles.PRIVATE_DIR);
    SecureFiles.write(out.resolve("ca.pem"), Pem.certificate(ca.certificate()), SecureFiles.PUBLIC);
    SecureFiles.write(out.resolve(CERT), Pem.certificate(issued.certificate()), SecureFiles.PUBLIC);
    SecureFiles.write(
        out.resolve(KEY), Pem.privateKey(issued.keys().getPrivate()), SecureFiles.PRIVATE);
    // edgecam.conf names a crlfile; Mosquitto will not start without one, even an empty CRL.
    SecureFiles.write(
        out.resolve(Revocations.CRL),
        Revocations.crl(ca, Revocations.read(caDir), Instant.now()),
        SecureFiles.PUBLIC);
    PrintWriter w = spec.commandLine().getOut();
    w.printf(
        "issued broker certificate for %s, valid until %s%n  %s: ca.pem, crl.pem, %s, %s (0600)%n"
            + "next (on the broker host, see docs/operations.md):%n"
            + "  sudo install -d -m 0750 -o root -g mosquitto /etc/mosquitto/edgecam%n"
            + "  sudo install -m 0644 %s/ca.pem %s/crl.pem %s/%s /etc/mosquitto/edgecam/%n"
            + "  sudo install -m 0640 -o root -g mosquitto %s/%s /etc/mosquitto/edgecam/%n",
        String.join(", ", who.hosts()),
        issued.certificate().getNotAfter().toInstant(),
        out,
        CERT,
        KEY,
        out,
        out,
        out,
        CERT,
        out,
        KEY);
    w.flush();
    return 0;
  }
}
