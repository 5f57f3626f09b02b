package io.edgecam.ctl.provision;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code edgecam ca init}: creates the fleet CA. */
@Command(
    name = "init",
    mixinStandardHelpOptions = true,
    description =
        "Create the fleet certificate authority: ca.pem (public) and ca.key (0600, passphrase-encrypted with --passphrase-file) in DIR. Keep DIR offline; it signs every device, matcher and broker certificate.")
public final class CaInitCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Option(
      names = "--dir",
      paramLabel = "DIR",
      defaultValue = CaCommand.DEFAULT_DIR,
      description = "CA folder (default: $EDGECAM_CA or fleet-ca; now ${DEFAULT-VALUE}).")
  Path dir;

  @Option(
      names = "--name",
      paramLabel = "NAME",
      defaultValue = "edgecam fleet CA",
      description = "Common name of the CA certificate (default: ${DEFAULT-VALUE}).")
  String name;

  @Option(
      names = "--key-type",
      paramLabel = "TYPE",
      defaultValue = "p256",
      converter = KeyTypeConverter.class,
      description =
          "p256 (ECDSA P-256) or ed25519; every certificate of the fleet uses it"
              + " (default: ${DEFAULT-VALUE}).")
  KeyType keyType;

  @Option(
      names = "--days",
      paramLabel = "N",
      defaultValue = "3650",
      description = "Validity of the CA certificate in days (default: ${DEFAULT-VALUE}).")
  int days;

  @Option(
      names = "--force",
      description = "Replace an existing CA (its certificates stop working).")
  boolean force;

  @Option(
      names = "--json",
      description = "Print {dir, certificate, key, keyType, notAfter, encrypted}.")
  boolean json;

  @Mixin CaPassphrase passphrase;

  @Override
  public Integer call() throws Exception {
    if (days < 1 || days > 36_500) {
      throw new picocli.CommandLine.ParameterException(
          spec.commandLine(), "--days must be in 1..36500, was " + days);
    }
    char[] secret = passphrase.get();
    FleetCa ca =
        FleetCa.init(dir, name, keyType, Duration.ofDays(days), force, Instant.now(), secret);
    X509Certificate c = ca.certificate();
    PrintWriter out = spec.commandLine().getOut();
    if (json) {
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("dir", dir.toAbsolutePath().toString());
      m.put("certificate", ca.certificateFile().toAbsolutePath().toString());
      m.put("key", dir.resolve(FleetCa.KEY).toAbsolutePath().toString());
      m.put("keyType", keyType.cliName());
      m.put("notAfter", c.getNotAfter().toInstant().toString());
      m.put("encrypted", secret != null);
      out.println(new ObjectMapper().writeValueAsString(m));
    } else {
      out.printf(
          "created fleet CA '%s' (%s) in %s%n  %s  certificate, valid until %s%n  %s  private key"
              + " (0600%s): keep this folder offline and backed up%n"
              + "next:%n  ./edgecam ca broker --ca %s --host BROKER_HOST --out broker-tls%n"
              + "  ./edgecam provision --ca %s --device ID --site SITE --broker ssl://BROKER_HOST:8883"
              + " --out bundles%n",
          name,
          keyType.cliName(),
          dir,
          FleetCa.CERT,
          c.getNotAfter().toInstant(),
          FleetCa.KEY,
          secret == null
              ? ", unencrypted: --passphrase-file encrypts it"
              : ", passphrase-encrypted",
          dir,
          dir);
    }
    out.flush();
    return 0;
  }
}
