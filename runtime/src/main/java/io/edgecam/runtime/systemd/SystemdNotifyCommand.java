package io.edgecam.runtime.systemd;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.jspecify.annotations.Nullable;

/**
 * {@link NotifyTransport} through the {@code systemd-notify} program: the JDK has no AF_UNIX
 * datagram sockets, and this keeps native code out of the agent (docs/operations.md explains the
 * choice). The child process is the sender, so the unit needs {@code NotifyAccess=all}. {@code
 * systemd-notify} (systemd 246+) waits until the manager has processed the message, which avoids
 * the race where a short-lived sender exits before systemd can attribute it to the unit.
 */
final class SystemdNotifyCommand implements NotifyTransport {
  private static final List<String> LOCATIONS =
      List.of("/usr/bin/systemd-notify", "/bin/systemd-notify", "/usr/local/bin/systemd-notify");
  private static final long TIMEOUT_SECONDS = 5;

  private final Path program;
  private final String socket;

  SystemdNotifyCommand(Path program, String socket) {
    this.program = program;
    this.socket = socket;
  }

  /** The installed {@code systemd-notify}, or null if there is none. */
  static @Nullable Path find() {
    for (String p : LOCATIONS) {
      if (Files.isExecutable(Path.of(p))) {
        return Path.of(p);
      }
    }
    return null;
  }

  @Override
  public void send(String state) throws IOException {
    List<String> cmd = new ArrayList<>();
    cmd.add(program.toString());
    // One argument per line: systemd-notify joins them with newlines into one datagram.
    cmd.addAll(List.of(state.split("\n")));
    ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true);
    pb.environment().put("NOTIFY_SOCKET", socket);
    Process p = pb.start();
    try {
      if (!p.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
        p.destroyForcibly();
        throw new IOException(program + " did not finish within " + TIMEOUT_SECONDS + " s");
      }
    } catch (InterruptedException e) {
      p.destroyForcibly();
      Thread.currentThread().interrupt();
      throw new IOException("interrupted while running " + program, e);
    }
    if (p.exitValue() != 0) {
      String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
      throw new IOException(program + " exited with " + p.exitValue() + ": " + out);
    }
  }
}
