package io.edgecam.ctl.provision;

import io.edgecam.protocol.EdgecamException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.jspecify.annotations.Nullable;

/**
 * The files one machine needs, as they will sit in {@code /etc/edgecam}: written as a folder and as
 * a {@code .tar.gz} of that folder, with an {@code install.sh} that puts each file in place with
 * its owner and mode. Private files (keys, key stores, configs with passwords) are 0600 in the
 * bundle and {@code root:edgecam 0640} on the machine, so only root and the service read them.
 */
final class Bundle {
  /** Where the files go on the machine. */
  static final String ETC = "/etc/edgecam";

  private final String name;
  private final String description;
  private final String service;
  private final @Nullable String checkCommand;
  private final List<Entry> entries = new ArrayList<>();

  /** One file of the bundle. */
  record Entry(String name, byte[] content, boolean secret) {}

  /**
   * @param name folder and archive name (the device or matcher id)
   * @param description what it is, for install.sh's messages ("device cam-01 (site s1)")
   * @param service the systemd unit install.sh restarts
   * @param checkCommand what install.sh runs as user edgecam before (re)starting the service (may
   *     use {@code $dest}, the install folder), or null for none
   */
  Bundle(String name, String description, String service, @Nullable String checkCommand) {
    this.name = name;
    this.description = description;
    this.service = service;
    this.checkCommand = checkCommand;
  }

  Bundle add(String file, String text, boolean secret) {
    return add(file, text.getBytes(StandardCharsets.UTF_8), secret);
  }

  Bundle add(String file, byte[] content, boolean secret) {
    entries.add(new Entry(file, content, secret));
    return this;
  }

  List<Entry> entries() {
    return List.copyOf(entries);
  }

  /**
   * Fails unless {@code outDir/name} and {@code outDir/name.tar.gz} can be written: neither exists,
   * or {@code force}. Call before issuing anything, so a refusal leaves no trace.
   */
  static void checkTarget(Path outDir, String name, boolean force) {
    Path dir = outDir.resolve(name);
    Path archive = outDir.resolve(name + ".tar.gz");
    if (!force && (Files.exists(dir) || Files.exists(archive))) {
      throw new EdgecamException(
          (Files.exists(dir) ? dir : archive)
              + " already exists (an identity provisioned before); --force replaces it with a new"
              + " key and certificate");
    }
  }

  /** Writes the folder and the archive; returns the archive. */
  Path write(Path outDir, boolean force, Instant now) {
    checkTarget(outDir, name, force);
    Path dir = outDir.resolve(name);
    clear(dir);
    SecureFiles.directory(outDir, SecureFiles.PRIVATE_DIR);
    SecureFiles.directory(dir, SecureFiles.PRIVATE_DIR);
    TarGz tar = new TarGz(now.getEpochSecond()).directory(name, 0700);
    for (Entry e : entries) {
      SecureFiles.write(
          dir.resolve(e.name()),
          e.content(),
          e.secret() ? SecureFiles.PRIVATE : SecureFiles.PUBLIC);
      tar.file(name + "/" + e.name(), e.content(), e.secret() ? 0600 : 0644);
    }
    byte[] script = installScript().getBytes(StandardCharsets.UTF_8);
    SecureFiles.write(dir.resolve("install.sh"), script, SecureFiles.EXECUTABLE);
    tar.file(name + "/install.sh", script, 0755);
    Path archive = outDir.resolve(name + ".tar.gz");
    SecureFiles.write(archive, tar.toGzip(), SecureFiles.PRIVATE);
    return archive;
  }

  /** POSIX sh, checked with {@code sh -n} by the tests. */
  String installScript() {
    StringBuilder s = new StringBuilder();
    s.append("#!/bin/sh\n")
        .append("# Installs the edgecam bundle of ")
        .append(description)
        .append(" into ")
        .append(ETC)
        .append(".\n")
        .append(
            "# Install the package first (it creates the user edgecam), then: sudo ./install.sh\n")
        .append(
            "# EDGECAM_ETC=DIR installs elsewhere; EDGECAM_NO_START=1 skips the check and start.\n")
        .append("set -eu\n")
        .append("here=$(cd \"$(dirname \"$0\")\" && pwd)\n")
        .append("dest=${EDGECAM_ETC:-")
        .append(ETC)
        .append("}\n")
        .append("say() { echo \"install.sh: $*\" >&2; }\n")
        .append("[ \"$(id -u)\" = 0 ] || { say \"run as root: sudo $0\"; exit 2; }\n")
        .append("getent group edgecam >/dev/null 2>&1 || { say \"no group edgecam: install the")
        .append(" edgecam package first\"; exit 1; }\n")
        .append("install -d -m 0755 \"$dest\"\n");
    for (Entry e : entries) {
      s.append("install -m ")
          .append(e.secret() ? "0640 -o root -g edgecam" : "0644 -o root -g root")
          .append(" \"$here/")
          .append(e.name())
          .append("\" \"$dest/")
          .append(e.name())
          .append("\"\n");
    }
    s.append("say \"installed ")
        .append(description)
        .append(" into $dest\"\n")
        .append("[ \"${EDGECAM_NO_START:-0}\" = 1 ] && exit 0\n")
        .append("if ! command -v edgecam >/dev/null 2>&1; then\n")
        .append("  say \"edgecam is not installed: install the package, then run this again\"\n")
        .append("  exit 1\n")
        .append("fi\n");
    if (checkCommand != null) {
      s.append("say \"checking: ")
          .append(checkCommand)
          .append(" (as user edgecam)\"\n")
          .append("if ! runuser -u edgecam -- ")
          .append(checkCommand)
          .append("; then\n")
          .append("  say \"fix what the check reports, then: sudo systemctl restart ")
          .append(service)
          .append("\"\n")
          .append("  exit 1\n")
          .append("fi\n");
    }
    s.append("if [ -d /run/systemd/system ]; then\n")
        .append("  systemctl enable ")
        .append(service)
        .append(" >/dev/null 2>&1 || true\n")
        .append("  systemctl restart ")
        .append(service)
        .append("\n")
        .append("  say \"")
        .append(service)
        .append(" started: systemctl status ")
        .append(service)
        .append("\"\n")
        .append("fi\n");
    return s.toString();
  }

  private static void clear(Path dir) {
    if (!Files.isDirectory(dir)) {
      return;
    }
    try (Stream<Path> files = Files.list(dir)) {
      for (Path f : files.toList()) {
        if (Files.isDirectory(f)) {
          throw new EdgecamException(
              dir + " holds a folder (" + f.getFileName() + "): not a bundle; remove it by hand");
        }
        Files.delete(f);
      }
    } catch (IOException e) {
      throw new EdgecamException("cannot clear " + dir + ": " + e.getMessage(), e);
    }
  }
}
