package io.edgecam.ctl.provision;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.edgecam.protocol.EdgecamException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.Signature;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.Callable;
import java.util.stream.Collectors;
import org.jspecify.annotations.Nullable;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * {@code edgecam provision}: a new identity signed by the fleet CA, with everything the machine
 * needs, as a bundle folder and a {@code .tar.gz} (docs/operations.md, "Provisioning a device").
 */
@Command(
    name = "provision",
    mixinStandardHelpOptions = true,
    description =
        "Create a device's (or a matcher's) key and certificate, signed by the fleet CA, with its configuration, the CA certificate and the TUF root metadata: one bundle folder and a .tar.gz in OUT, with an install.sh for the machine. Refuses to replace an identity without --force.")
public final class ProvisionCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Mixin CaPassphrase passphrase;

  @ArgGroup(exclusive = true, multiplicity = "1")
  Who who;

  /** Exactly one of --device and --matcher. */
  static final class Who {
    @Option(names = "--device", paramLabel = "ID", description = "Device id (the certificate CN).")
    @Nullable String device;

    @Option(
        names = "--matcher",
        paramLabel = "ID",
        description = "Matcher id (the certificate CN).")
    @Nullable String matcher;
  }

  @Option(
      names = "--site",
      paramLabel = "SITE",
      description = "Site of the device (required with --device).")
  @Nullable String site;

  @Option(
      names = "--broker",
      paramLabel = "URL",
      required = true,
      description = "Broker URL, ssl://HOST:PORT (mutual TLS), e.g. ssl://broker.example:8883.")
  String broker;

  @Option(names = "--out", paramLabel = "DIR", required = true, description = "Output folder.")
  Path out;

  @Option(
      names = "--ca",
      paramLabel = "DIR",
      defaultValue = CaCommand.DEFAULT_DIR,
      description = "CA folder (default: $EDGECAM_CA or fleet-ca).")
  Path caDir;

  @Option(
      names = "--root-metadata",
      paramLabel = "FILE",
      description = "TUF root.json the device trusts for updates (from ./edgecam keys init).")
  @Nullable Path rootMetadata;

  @Option(
      names = "--camera",
      paramLabel = "SPEC",
      defaultValue = "/dev/video0",
      description =
          "Camera: /dev/videoN, rtsp(s)://..., http(s)://... (MJPEG) or an image"
              + " folder (default: ${DEFAULT-VALUE}).")
  String camera;

  @Option(
      names = "--days",
      paramLabel = "N",
      defaultValue = "730",
      description = "Certificate validity in days (default: ${DEFAULT-VALUE}).")
  int days;

  @Option(
      names = "--force",
      description = "Replace an existing identity (new key and certificate).")
  boolean force;

  @Option(
      names = "--renew",
      description =
          "Renew an identity the CA has issued: same id (and site), new key and certificate;"
              + " refuses an id the CA never issued. Use before the certificate expires"
              + " (./edgecam doctor warns 30 days ahead).")
  boolean renew;

  @Option(
      names = "--keep-key",
      description =
          "With --renew: certify the key already in the bundle (OUT/ID/device.key or matcher.key)"
              + " again instead of making a new one; it must match the CA's current certificate"
              + " of the id.")
  boolean keepKey;

  @Option(names = "--json", description = "Print what was made as JSON.")
  boolean json;

  @Mixin BrokerSync sync;

  @Override
  public Integer call() throws Exception {
    Instant now = Instant.now();
    Identity id = identity();
    if (!broker.startsWith("ssl://")) {
      throw new ParameterException(
          spec.commandLine(),
          "--broker must be ssl://HOST:PORT (mutual TLS), was '" + broker + "'");
    }
    if (days < 1) {
      throw new ParameterException(spec.commandLine(), "--days must be >= 1, was " + days);
    }
    DeviceBundle.Camera cam = null;
    RootMetadataFile root = null;
    if (id.role() == Identity.Role.DEVICE) {
      try {
        cam = DeviceBundle.Camera.parse(camera);
      } catch (IllegalArgumentException e) {
        throw new ParameterException(spec.commandLine(), e.getMessage());
      }
      root = rootMetadata == null ? null : RootMetadataFile.read(rootMetadata, now);
    }
    // Every check that can refuse runs before the CA issues anything.
    if (keepKey && !renew) {
      throw new ParameterException(spec.commandLine(), "--keep-key needs --renew");
    }
    FleetCa ca = FleetCa.open(caDir, passphrase.get());
    KeyPair kept = null;
    if (renew) {
      FleetCa.IssuedCertificate current =
          ca.issued().stream()
              .filter(
                  i ->
                      i.identity().role() == id.role()
                          && i.identity().name().equals(id.name())
                          && java.util.Objects.equals(i.identity().site(), id.site()))
              .findFirst()
              .orElse(null);
      if (current != null && keepKey) {
        kept = keptKey(current, ca.keyType());
      }
      if (current == null) {
        throw new ParameterException(
            spec.commandLine(),
            "--renew: the CA in "
                + caDir
                + " has no current certificate for "
                + id.describe()
                + " (./edgecam ca list; a revoked id is provisioned again without --renew)");
      }
    }
    Bundle.checkTarget(out, id.name(), force || renew);
    FleetCa.Issued issued = ca.issue(id, kept, Duration.ofDays(days), force || renew, now);
    Bundle bundle =
        cam != null
            ? DeviceBundle.of(
                issued,
                Pem.certificate(ca.certificate()),
                broker,
                cam,
                root == null ? null : root.bytes(),
                now)
            : MatcherBundle.of(
                issued, ca.certificate(), Revocations.currentSignedList(ca, now), broker, now);
    Path archive = bundle.write(out, force || renew, now);
    report(id, issued.certificate(), bundle, archive, root);
    if (sync.configured() && !json) {
      sync.apply(ca, now, spec.commandLine().getOut());
    } else if (sync.configured()) {
      sync.apply(ca, now, new PrintWriter(java.io.Writer.nullWriter()));
    }
    return 0;
  }

  /** The bundle's private key, if it belongs to {@code current}'s public key. */
  private KeyPair keptKey(FleetCa.IssuedCertificate current, KeyType type) {
    Path keyFile =
        out.resolve(current.identity().name())
            .resolve(
                current.identity().role() == Identity.Role.DEVICE
                    ? DeviceBundle.KEY
                    : "matcher.key");
    PrivateKey priv = Pem.readPrivateKey(keyFile);
    PublicKey pub = current.certificate().getPublicKey();
    try {
      byte[] probe = new byte[32];
      new java.security.SecureRandom().nextBytes(probe);
      Signature s = Signature.getInstance(type.signatureAlgorithm());
      s.initSign(priv);
      s.update(probe);
      byte[] sig = s.sign();
      s.initVerify(pub);
      s.update(probe);
      if (!s.verify(sig)) {
        throw new EdgecamException(
            "--keep-key: "
                + keyFile
                + " is not the key of "
                + current.identity().describe()
                + "'s current certificate (serial "
                + current.certificate().getSerialNumber().toString(16)
                + ")");
      }
    } catch (GeneralSecurityException e) {
      throw new EdgecamException(
          "--keep-key: " + keyFile + " does not fit the CA's key type " + type.name(), e);
    }
    return new KeyPair(pub, priv);
  }

  private Identity identity() {
    try {
      if (who.device != null) {
        if (site == null) {
          throw new ParameterException(spec.commandLine(), "--device needs --site");
        }
        return Identity.device(who.device, site);
      }
      if (site != null || rootMetadata != null) {
        throw new ParameterException(
            spec.commandLine(), "--site and --root-metadata are for devices, not --matcher");
      }
      return Identity.matcher(who.matcher);
    } catch (IllegalArgumentException e) {
      throw new ParameterException(spec.commandLine(), e.getMessage());
    }
  }

  private void report(
      Identity id,
      X509Certificate cert,
      Bundle bundle,
      Path archive,
      @Nullable RootMetadataFile root)
      throws Exception {
    PrintWriter o = spec.commandLine().getOut();
    Path dir = out.resolve(id.name());
    String files =
        bundle.entries().stream().map(Bundle.Entry::name).collect(Collectors.joining(", "))
            + ", install.sh";
    boolean device = id.role() == Identity.Role.DEVICE;
    if (device && root == null) {
      spec.commandLine()
          .getErr()
          .println(
              "edgecam provision: WARNING: no --root-metadata: this device will accept no"
                  + " watchlist or model update until a TUF root.json is installed in "
                  + Bundle.ETC
                  + " (create one with ./edgecam keys init, then provision again with --force"
                  + " --root-metadata FILE)");
    }
    if (json) {
      ObjectNode j = new ObjectMapper().createObjectNode();
      j.put("role", id.role().lower()).put("name", id.name()).put("site", id.site());
      j.put("serial", cert.getSerialNumber().toString(16));
      j.put("notAfter", cert.getNotAfter().toInstant().toString());
      j.put("bundle", dir.toString()).put("archive", archive.toString());
      j.putArray("files")
          .addAll(bundle.entries().stream().map(e -> j.textNode(e.name())).toList())
          .add("install.sh");
      if (root != null) {
        j.putObject("rootMetadata")
            .put("version", root.version())
            .put("expires", root.expires().toString());
      } else {
        j.putNull("rootMetadata");
      }
      o.println(j);
      o.flush();
      return;
    }
    o.printf("provisioned %s%n", id.describe());
    o.printf(
        "  certificate  CN=%s, serial %s, valid until %s%n",
        id.name(), cert.getSerialNumber().toString(16), cert.getNotAfter().toInstant());
    o.printf("  bundle       %s/ (%s)%n", dir, files);
    o.printf("  archive      %s%n", archive);
    if (device) {
      o.printf(
          "  root.json    %s%n",
          root == null
              ? "NONE (no updates until one is installed)"
              : "TUF root v"
                  + root.version()
                  + ", threshold "
                  + root.threshold()
                  + ", expires "
                  + root.expires());
    }
    String pkg = device ? "edgecam-agent" : "edgecam-matcher";
    String host = device ? "DEVICE" : "MATCHER_HOST";
    o.printf(
        "next:%n"
            + "  1. %s%n"
            + "  2. scp %s %s:%n"
            + "  3. on the %s: sudo apt install ./%s_VERSION_ARCH.deb%n"
            + "  4. on the %s: tar -xzf %s && sudo %s/install.sh"
            + "   (installs into %s, %sstarts %s)%n",
        sync.configured()
            ? "broker: brought in step by --acl/--crl/--reload-command (below)"
            : "./edgecam ca acl --ca "
                + caDir
                + " --acl /etc/mosquitto/edgecam/edgecam.acl   (on the broker; then: sudo"
                + " systemctl reload mosquitto; or pass --acl/--reload-command to provision)",
        archive,
        host,
        device ? "device" : "matcher host",
        pkg,
        device ? "device" : "matcher host",
        archive.getFileName(),
        id.name(),
        Bundle.ETC,
        device ? "runs edgecam doctor, " : "",
        pkg);
    o.flush();
  }
}
