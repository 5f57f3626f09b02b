package io.edgecam.ctl.provision;

import io.edgecam.testing.MosquittoProcess;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Mosquitto running the shipped {@code device-config/mosquitto/edgecam.conf} and {@code
 * edgecam.acl}, copied into a temp folder with only these changes: {@code /etc/mosquitto/} mapped
 * to the folder, the listener on 127.0.0.1 and a free port, and {@code user} set to ours (as root,
 * Mosquitto would switch to user mosquitto, which cannot read the temp folder).
 */
final class SecureMosquitto implements AutoCloseable {
  final Path etc;
  final Path acl;
  final int port;
  private final MosquittoProcess process;

  private SecureMosquitto(Path etc, Path acl, int port, MosquittoProcess process) {
    this.etc = etc;
    this.acl = acl;
    this.port = port;
    this.process = process;
  }

  /** The shipped files. */
  static Path shipped(String name) {
    return Path.of(System.getProperty("edgecam.root", ".."))
        .resolve("device-config/mosquitto")
        .resolve(name);
  }

  /** Copies the shipped ACL to {@code etc/edgecam/edgecam.acl}, applying {@code edit}. */
  static Path installAcl(Path etc, java.util.function.UnaryOperator<String> edit)
      throws IOException {
    Path acl = Files.createDirectories(etc.resolve("edgecam")).resolve("edgecam.acl");
    Files.writeString(acl, edit.apply(Files.readString(shipped("edgecam.acl"))));
    return acl;
  }

  /**
   * Starts the broker on {@code port}; {@code etc/edgecam} must already hold ca.pem, crl.pem,
   * broker.pem, broker.key and edgecam.acl.
   */
  static SecureMosquitto start(Path etc, int port) throws IOException {
    String conf =
        Files.readString(shipped("edgecam.conf"))
            .replace("/etc/mosquitto/", etc + "/")
            .replace("\nlistener 8883\n", "\nlistener " + port + " 127.0.0.1\n");
    if (!conf.contains("listener " + port)) {
      throw new IllegalStateException("edgecam.conf has no 'listener 8883' line to rewrite");
    }
    conf += "\nuser " + System.getProperty("user.name") + "\n";
    Path file = etc.resolve("edgecam.conf");
    Files.writeString(file, conf);
    Path acl = etc.resolve("edgecam/edgecam.acl");
    return new SecureMosquitto(etc, acl, port, MosquittoProcess.startWithConfig(etc, file, port));
  }

  /** A shell command that makes this broker reload its configuration, ACL and CRL. */
  String reloadCommand() {
    return "kill -HUP " + process.pid();
  }

  String url() {
    return "ssl://127.0.0.1:" + port;
  }

  @Override
  public void close() {
    process.close();
  }
}
