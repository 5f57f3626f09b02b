package io.edgecam.runtime.systemd;

import static org.awaitility.Awaitility.await;

import io.edgecam.testing.Services;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A real unix datagram socket standing in for systemd's notify socket, bound by a small Python
 * process (the JDK cannot bind AF_UNIX datagram sockets). Each datagram becomes one line of {@link
 * #datagrams()}, its newlines shown as {@code |}. Closing the received file descriptors (as systemd
 * does) lets {@code systemd-notify}'s barrier complete. Skips the test when python3 or
 * systemd-notify is missing, or fails it with EDGECAM_REQUIRE_SERVICES=1. Public for the matcher's
 * notify test.
 */
public final class NotifySocketReceiver implements AutoCloseable {
  private static final String SCRIPT =
      String.join(
          "\n",
          "import socket, sys",
          "addr = sys.argv[1]",
          "if addr.startswith('@'): addr = '\\0' + addr[1:]",
          "s = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)",
          "s.bind(addr)",
          "print('BOUND', flush=True)",
          "while True:",
          "    msg, anc, flags, _ = s.recvmsg(4096, socket.CMSG_SPACE(64))",
          "    for level, kind, data in anc:",
          "        if level == socket.SOL_SOCKET and kind == socket.SCM_RIGHTS:",
          "            import array",
          "            fds = array.array('i'); fds.frombytes(data[:len(data) - len(data) % 4])",
          "            for fd in fds:",
          "                import os; os.close(fd)",
          "    print(msg.decode().replace('\\n', '|'), flush=True)",
          "");

  private final Process process;
  private final Path out;
  private final String address;

  private NotifySocketReceiver(Process process, Path out, String address) {
    this.process = process;
    this.out = out;
    this.address = address;
  }

  /** Binds {@code address}: a file path, or {@code @name} in the abstract namespace. */
  public static NotifySocketReceiver bind(Path dir, String address) throws IOException {
    String python = find(List.of("/usr/bin/python3", "/usr/local/bin/python3", "/bin/python3"));
    if (python == null) {
      skip("python3 is not installed: cannot bind a unix datagram socket for the notify test");
    }
    if (SystemdNotifyCommand.find() == null) {
      skip(
          "systemd-notify is not installed (apt-get install systemd): the agent notifies through it");
    }
    Path script = dir.resolve("notify-receiver.py");
    Files.writeString(script, SCRIPT);
    Path out = dir.resolve("datagrams.txt");
    Process p =
        new ProcessBuilder(python, script.toString(), address)
            .redirectErrorStream(true)
            .redirectOutput(out.toFile())
            .start();
    NotifySocketReceiver r = new NotifySocketReceiver(p, out, address);
    await().atMost(Duration.ofSeconds(10)).until(() -> r.text().contains("BOUND") || !p.isAlive());
    if (!p.isAlive()) {
      throw new IllegalStateException("notify receiver failed: " + r.text());
    }
    return r;
  }

  private static void skip(String reason) {
    Services.unavailable(reason);
  }

  private static String find(List<String> paths) {
    for (String p : paths) {
      if (Files.isExecutable(Path.of(p))) {
        return p;
      }
    }
    return null;
  }

  /** The NOTIFY_SOCKET value for this socket. */
  public String address() {
    return address;
  }

  public String text() throws IOException {
    return Files.exists(out) ? Files.readString(out, StandardCharsets.UTF_8) : "";
  }

  /** Datagrams received so far, in order. */
  public List<String> datagrams() throws IOException {
    return text().lines().filter(l -> !l.equals("BOUND")).toList();
  }

  /** How many datagrams so far contain {@code part}. */
  public long count(String part) throws IOException {
    return datagrams().stream().filter(d -> d.contains(part)).count();
  }

  @Override
  public void close() {
    process.destroy();
    try {
      if (!process.waitFor(5, TimeUnit.SECONDS)) {
        process.destroyForcibly();
      }
    } catch (InterruptedException e) {
      process.destroyForcibly();
      Thread.currentThread().interrupt();
    }
  }
}
