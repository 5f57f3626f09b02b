package io.edgecam.ctl.doctor;

import io.edgecam.agent.config.AgentConfig;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** Room for the store-and-forward spool: its directory exists, is writable and has space. */
final class DiskCheck {
  static final String NAME = "disk";

  /** Below this the spool may fill the disk during a long broker outage. */
  static final long WARN_BELOW_BYTES = 100L * 1024 * 1024;

  private DiskCheck() {}

  static CheckResult run(AgentConfig config) {
    Path spool = config.spoolFile();
    Path dir = spool.toAbsolutePath().getParent();
    if (dir == null || !Files.isDirectory(dir)) {
      return CheckResult.fail(
          NAME,
          "spool directory " + dir + " does not exist",
          "create it (systemd's StateDirectory= does so for the service) or fix stateDir/spool.path");
    }
    if (!Files.isWritable(dir)) {
      return CheckResult.fail(
          NAME,
          "spool directory " + dir + " is not writable",
          "give the edgecam user write access, or fix stateDir/spool.path");
    }
    long free;
    try {
      free = Files.getFileStore(dir).getUsableSpace();
    } catch (IOException e) {
      return CheckResult.warn(
          NAME,
          "cannot read free space of " + dir + ": " + e.getMessage(),
          "check the file system with df");
    }
    String detail = mb(free) + " free for the spool in " + dir;
    if (free < WARN_BELOW_BYTES) {
      return CheckResult.warn(
          NAME,
          detail + " (under " + mb(WARN_BELOW_BYTES) + ")",
          "free disk space or lower spool.maxCandidates");
    }
    return CheckResult.ok(NAME, detail);
  }

  private static String mb(long bytes) {
    return (bytes / (1024 * 1024)) + " MB";
  }
}
