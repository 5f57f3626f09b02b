package io.edgecam.ctl.provision;

import static org.assertj.core.api.Assertions.assertThat;

import io.edgecam.agent.config.AgentConfig;
import io.edgecam.ctl.EdgecamCli;
import io.edgecam.matcher.config.MatcherConfig;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import picocli.CommandLine;

/**
 * Given/when/then helpers: a fleet made by the real {@code ca} and {@code provision} commands in a
 * temp folder, and the bundles' configurations loaded as the device or matcher would load them,
 * with {@code /etc/edgecam} (and the state folders) mapped into the bundle.
 */
final class Fleet {
  final Path root;
  final Path ca;
  final Path bundles;

  Fleet(Path root) {
    this.root = root;
    this.ca = root.resolve("ca");
    this.bundles = root.resolve("bundles");
  }

  /** Result of one CLI run. */
  record Run(int exit, String out, String err) {
    Run ok() {
      assertThat(exit).as("exit code; out:%n%s%nerr:%n%s", out, err).isZero();
      return this;
    }
  }

  static Run cli(String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    CommandLine cl = EdgecamCli.commandLine();
    cl.setOut(new PrintWriter(out, true));
    cl.setErr(new PrintWriter(err, true));
    int code = cl.execute(args);
    return new Run(code, out.toString(), err.toString());
  }

  Fleet init(String keyType) {
    cli("ca", "init", "--dir", ca.toString(), "--key-type", keyType).ok();
    return this;
  }

  /** The broker's ca.pem, crl.pem, broker.pem, broker.key in {@code out}. */
  Fleet broker(Path out, String hosts) {
    cli("ca", "broker", "--ca", ca.toString(), "--host", hosts, "--out", out.toString()).ok();
    return this;
  }

  Run provisionDevice(String id, String site, String brokerUrl, String... extra) {
    String[] base = {
      "provision",
      "--ca",
      ca.toString(),
      "--device",
      id,
      "--site",
      site,
      "--broker",
      brokerUrl,
      "--out",
      bundles.toString()
    };
    return cli(concat(base, extra));
  }

  Run provisionMatcher(String id, String brokerUrl) {
    return cli(
        "provision",
        "--ca",
        ca.toString(),
        "--matcher",
        id,
        "--broker",
        brokerUrl,
        "--out",
        bundles.toString());
  }

  Path bundle(String name) {
    return bundles.resolve(name);
  }

  /** The device's agent.yaml with /etc/edgecam and its state folder mapped into the bundle. */
  Path deviceConfig(String id) throws IOException {
    Path dir = bundle(id);
    Path state = Files.createDirectories(root.resolve("state-" + id));
    String yaml =
        Files.readString(dir.resolve("agent.yaml"))
            .replace("/etc/edgecam/", dir + "/")
            .replace(DeviceBundle.STATE_DIR, state.toString());
    Path file = root.resolve("agent-" + id + ".yaml");
    Files.writeString(file, yaml);
    return file;
  }

  AgentConfig agentConfig(String id) throws IOException {
    return AgentConfig.load(deviceConfig(id));
  }

  MatcherConfig matcherConfig(String id) throws IOException {
    Path dir = bundle(id);
    String yaml =
        Files.readString(dir.resolve("matcher.yaml"))
            .replace("/etc/edgecam/", dir + "/")
            .replace(MatcherBundle.STATE_DIR, root.toString());
    Path file = root.resolve("matcher-" + id + ".yaml");
    Files.writeString(file, yaml);
    return MatcherConfig.load(file);
  }

  static String[] concat(String[] a, String... b) {
    String[] all = new String[a.length + b.length];
    System.arraycopy(a, 0, all, 0, a.length);
    System.arraycopy(b, 0, all, a.length, b.length);
    return all;
  }
}
