package io.edgecam.matcher.ingest;

import io.edgecam.matcher.config.ConfigException;
import io.edgecam.matcher.config.RevocationConfig;
import io.edgecam.protocol.EdgecamException;
import io.edgecam.protocol.RevocationList;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.security.PublicKey;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.time.Clock;
import java.time.Instant;
import java.util.Set;
import java.util.function.Predicate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The device ids the fleet CA revoked, from its signed list ({@link RevocationList}), verified with
 * the fleet CA certificate. The file is checked for changes at most once a second, on the thread
 * that asks: a changed file that verifies replaces the list, one that does not (or is older than
 * the list held) is logged and ignored, so a damaged or replayed file never un-revokes a device.
 * Thread-safe.
 */
public final class RevokedIds implements Predicate<String> {
  private static final Logger log = LoggerFactory.getLogger(RevokedIds.class);
  static final long CHECK_EVERY_MILLIS = 1_000;

  private final Path file;
  private final PublicKey caKey;
  private final Clock clock;
  private volatile Set<String> devices;
  private Instant issued;
  private String stamp;
  private long nextCheck;

  private RevokedIds(Path file, PublicKey caKey, Clock clock, RevocationList list, String stamp) {
    this.file = file;
    this.caKey = caKey;
    this.clock = clock;
    this.devices = list.devices();
    this.issued = list.issued();
    this.stamp = stamp;
    this.nextCheck = clock.millis() + CHECK_EVERY_MILLIS;
  }

  /**
   * Reads and verifies the list now.
   *
   * @throws ConfigException naming the file (list or CA certificate) that is missing, unreadable,
   *     malformed or not signed by the CA
   */
  public static RevokedIds load(RevocationConfig config, Clock clock) {
    return open(config.file(), caKey(config.ca()), clock);
  }

  /** Like {@link #load}, with the CA's public key at hand. */
  static RevokedIds open(Path file, PublicKey caKey, Clock clock) {
    try {
      String stamp = stamp(file);
      RevocationList list = RevocationList.read(file, caKey);
      log.info(
          "revocation list {}: {} revoked device(s), signed {}",
          file,
          list.devices().size(),
          list.issued());
      return new RevokedIds(file, caKey, clock, list, stamp);
    } catch (EdgecamException e) {
      throw new ConfigException("broker.external.revocation.file: " + e.getMessage(), e);
    }
  }

  private static PublicKey caKey(Path ca) {
    try (InputStream in = Files.newInputStream(ca)) {
      return CertificateFactory.getInstance("X.509").generateCertificate(in).getPublicKey();
    } catch (IOException | CertificateException e) {
      throw new ConfigException(
          "broker.external.revocation.ca: cannot read the fleet CA certificate " + ca + ": " + e,
          e);
    }
  }

  private static String stamp(Path f) {
    try {
      BasicFileAttributes a = Files.readAttributes(f, BasicFileAttributes.class);
      return a.lastModifiedTime() + "/" + a.size() + "/" + a.fileKey();
    } catch (IOException e) {
      throw new EdgecamException("cannot read " + f + ": " + e, e);
    }
  }

  /** True if {@code device} is revoked. */
  @Override
  public boolean test(String device) {
    reloadIfChanged();
    return devices.contains(device);
  }

  /** The revoked device ids now. */
  public Set<String> devices() {
    reloadIfChanged();
    return devices;
  }

  private synchronized void reloadIfChanged() {
    long now = clock.millis();
    if (now < nextCheck) {
      return;
    }
    nextCheck = now + CHECK_EVERY_MILLIS;
    try {
      String s = stamp(file);
      if (s.equals(stamp)) {
        return;
      }
      RevocationList list = RevocationList.read(file, caKey);
      stamp = s;
      if (list.issued().isBefore(issued)) {
        log.warn(
            "revocation list {} signed {} is older than the one in use ({}): ignored",
            file,
            list.issued(),
            issued);
        return;
      }
      issued = list.issued();
      devices = list.devices();
      log.info("revocation list {} reloaded: {} revoked device(s)", file, devices.size());
    } catch (EdgecamException e) {
      log.warn("revocation list {} not reloaded, keeping the one in use: {}", file, e.getMessage());
    }
  }
}
