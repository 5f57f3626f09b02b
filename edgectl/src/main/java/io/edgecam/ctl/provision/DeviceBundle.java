package io.edgecam.ctl.provision;

import io.edgecam.agent.config.AgentConfig;
import io.edgecam.runtime.config.ConfigException;
import java.nio.file.Path;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import org.jspecify.annotations.Nullable;

/**
 * The provisioning bundle of one camera: its key and certificate, the fleet CA certificate, the
 * agent configuration pointing at them where they sit on the device ({@value Bundle#ETC}), and the
 * TUF root metadata the device trusts for updates.
 */
final class DeviceBundle {
  static final String CONFIG = "agent.yaml";
  static final String CA = "ca.pem";
  static final String CERT = "device.pem";
  static final String KEY = "device.key";
  static final String ROOT = "root.json";

  /** The agent unit's StateDirectory (systemd/edgecam-agent.service). */
  static final String STATE_DIR = "/var/lib/edgecam-agent";

  private DeviceBundle() {}

  /**
   * The bundle of {@code issued}.
   *
   * @param rootMetadata the TUF root.json bytes, already checked, or null
   * @throws ConfigException if the agent configuration would not load (names the key)
   */
  static Bundle of(
      FleetCa.Issued issued,
      String caPem,
      String brokerUrl,
      Camera camera,
      byte @Nullable [] rootMetadata,
      Instant now) {
    Identity id = issued.identity();
    String yaml = agentYaml(id, brokerUrl, camera, rootMetadata != null, now);
    // The agent's own loader, so a bundle the agent would reject is never written.
    AgentConfig.parse(yaml, CONFIG, Path.of(Bundle.ETC));
    Bundle b =
        new Bundle(
            id.name(), id.describe(), "edgecam-agent", "edgecam doctor --config $dest/" + CONFIG);
    b.add(CONFIG, yaml, false)
        .add(CA, caPem, false)
        .add(CERT, Pem.certificate(issued.certificate()), false)
        .add(KEY, Pem.privateKey(issued.keys().getPrivate()), true);
    if (rootMetadata != null) {
      b.add(ROOT, rootMetadata, false);
    }
    return b;
  }

  static String agentYaml(
      Identity id, String brokerUrl, Camera camera, boolean withRoot, Instant now) {
    String etc = Bundle.ETC + "/";
    return "# edgecam agent configuration of "
        + id.describe()
        + ", written by `edgecam provision` on "
        + now.truncatedTo(ChronoUnit.SECONDS)
        + ".\n"
        + "# The files it names come in the same bundle and sit in "
        + Bundle.ETC
        + " on the device.\n"
        + "# Every other key keeps its default: see /usr/share/doc/edgecam-agent/examples/agent.yaml\n"
        + (withRoot
            ? "# TUF root metadata for updates: " + etc + ROOT + "\n"
            : "# No TUF root metadata was given: this device accepts no watchlist or model update\n"
                + "# until "
                + etc
                + ROOT
                + " is installed (provision again with --root-metadata).\n")
        + "device: "
        + quote(id.name())
        + "\nsite: "
        + quote(id.site())
        + "\n# The StateDirectory of edgecam-agent.service.\nstateDir: "
        + STATE_DIR
        + "\nsource:\n  type: "
        + camera.type()
        + "\n  "
        + (camera.isUrl() ? "url: " : "path: ")
        + quote(camera.location())
        + "\nmqtt:\n  url: "
        + quote(brokerUrl)
        + "\n  tls:\n    ca: "
        + etc
        + CA
        + "\n    cert: "
        + etc
        + CERT
        + "\n    key: "
        + etc
        + KEY
        + "\n";
  }

  /** A double-quoted YAML scalar, so no id is read as a number or boolean ("on", "1e3"). */
  static String quote(@Nullable String s) {
    if (s == null) {
      throw new IllegalArgumentException("null value");
    }
    return "\"" + s.replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
  }

  /**
   * The camera of the device, from {@code --camera}: a V4L2 device ({@code /dev/video0}), an RTSP
   * URL ({@code rtsp://}, {@code rtsps://}), an MJPEG URL ({@code http(s)://}), or a folder of
   * images (the simulated camera).
   */
  record Camera(String type, String location, boolean isUrl) {
    static Camera parse(String spec) {
      String lower = spec.toLowerCase(java.util.Locale.ROOT);
      if (lower.startsWith("rtsp://") || lower.startsWith("rtsps://")) {
        return new Camera("rtsp", spec, true);
      }
      if (lower.startsWith("http://") || lower.startsWith("https://")) {
        return new Camera("mjpeg", spec, true);
      }
      if (spec.contains("://")) {
        throw new IllegalArgumentException(
            "--camera: unknown URL scheme in '"
                + spec
                + "' (rtsp://, rtsps://, http://, https://)");
      }
      if (spec.startsWith("/dev/")) {
        return new Camera("v4l2", spec, false);
      }
      if (!spec.startsWith("/")) {
        throw new IllegalArgumentException(
            "--camera: a folder must be an absolute path on the device, was '" + spec + "'");
      }
      return new Camera("folder", spec, false);
    }
  }
}
