package io.edgecam.ctl.provision;

import io.edgecam.agent.publish.PemTls;
import io.edgecam.protocol.EdgecamException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.PrivateKey;
import java.security.cert.CertificateParsingException;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;
import org.jspecify.annotations.Nullable;

/**
 * The fleet's certificate authority, kept in one folder:
 *
 * <pre>
 * ca.pem            the CA certificate: goes to the broker and into every bundle
 * ca.key            its private key, PKCS#8, mode 0600, optionally passphrase-encrypted
 *                   (ENCRYPTED PRIVATE KEY, PBES2): keep the folder offline
 * issued/*.pem      every certificate issued ({role}-{name}.pem): the registry that
 *                   {@code ca acl} and the collision checks read
 * revocations.json, revoked/, crl.pem, revoked.json: what {@code ca revoke} revoked
 *                   ({@link Revocations})
 * </pre>
 *
 * Not thread-safe; one command at a time per folder.
 */
public final class FleetCa {
  static final String CERT = "ca.pem";
  static final String KEY = "ca.key";
  static final String ISSUED = "issued";

  private final Path dir;
  private final X509Certificate cert;
  private final char @Nullable [] passphrase;
  private @Nullable PrivateKey key;

  private FleetCa(
      Path dir, X509Certificate cert, @Nullable PrivateKey key, char @Nullable [] passphrase) {
    this.dir = dir;
    this.cert = cert;
    this.key = key;
    this.passphrase = passphrase;
  }

  /**
   * Creates a CA in {@code dir}.
   *
   * @throws EdgecamException if {@code dir} already holds a CA and {@code force} is false
   */
  public static FleetCa init(
      Path dir, String name, KeyType type, Duration validity, boolean force, Instant now) {
    return init(dir, name, type, validity, force, now, null);
  }

  /**
   * Creates a CA in {@code dir}, its key encrypted with {@code passphrase} when not null.
   *
   * @throws EdgecamException if {@code dir} already holds a CA and {@code force} is false
   */
  public static FleetCa init(
      Path dir,
      String name,
      KeyType type,
      Duration validity,
      boolean force,
      Instant now,
      char @Nullable [] passphrase) {
    Path certFile = dir.resolve(CERT);
    Path keyFile = dir.resolve(KEY);
    if (!force && (Files.exists(certFile) || Files.exists(keyFile))) {
      throw new EdgecamException(
          dir
              + " already holds a fleet CA ("
              + (Files.exists(keyFile) ? KEY : CERT)
              + "); --force replaces it, and then no device or broker certificate it issued is"
              + " trusted any more");
    }
    SecureFiles.directory(dir, SecureFiles.PRIVATE_DIR);
    KeyPair keys = type.generate();
    X509Certificate cert = Certificates.ca(keys, name, now, validity);
    SecureFiles.write(
        keyFile,
        passphrase == null
            ? Pem.privateKey(keys.getPrivate())
            : Pem.encryptedPrivateKey(keys.getPrivate(), passphrase),
        SecureFiles.PRIVATE);
    SecureFiles.write(certFile, Pem.certificate(cert), SecureFiles.PUBLIC);
    deleteIssued(dir.resolve(ISSUED));
    return new FleetCa(dir, cert, keys.getPrivate(), passphrase);
  }

  /**
   * Opens the CA in {@code dir}.
   *
   * @throws EdgecamException naming the folder and file if it holds no usable CA
   */
  public static FleetCa open(Path dir) {
    return open(dir, null);
  }

  /**
   * Opens the CA in {@code dir}; the key is read (and decrypted with {@code passphrase}) when the
   * first certificate is issued, so listing needs no passphrase.
   *
   * @throws EdgecamException naming the folder and file if it holds no usable CA
   */
  public static FleetCa open(Path dir, char @Nullable [] passphrase) {
    Path certFile = dir.resolve(CERT);
    if (!Files.isRegularFile(certFile)) {
      throw new EdgecamException(
          dir
              + ": no fleet CA here (no "
              + CERT
              + "); create one with ./edgecam ca init --dir "
              + dir);
    }
    X509Certificate cert = PemTls.certificates(certFile, CERT).get(0);
    if (cert.getBasicConstraints() < 0) {
      throw new EdgecamException(certFile + " is not a CA certificate");
    }
    return new FleetCa(dir, cert, null, passphrase);
  }

  /** Whether {@code ca.key} is passphrase-encrypted. */
  public boolean keyEncrypted() {
    return Pem.isEncrypted(dir.resolve(KEY));
  }

  private PrivateKey key() {
    PrivateKey k = key;
    if (k == null) {
      k = Pem.readPrivateKey(dir.resolve(KEY), passphrase);
      key = k;
    }
    return k;
  }

  /** The CA certificate. */
  public X509Certificate certificate() {
    return cert;
  }

  /** The file of the CA certificate ({@code ca.pem}). */
  public Path certificateFile() {
    return dir.resolve(CERT);
  }

  public KeyType keyType() {
    return KeyType.of(key());
  }

  /**
   * Issues a key and certificate for {@code who}, valid for {@code validity} but never beyond the
   * CA's own expiry, and records the certificate under {@code issued/}.
   *
   * @throws EdgecamException if the name is already issued (as another role, or as the same role
   *     without {@code force})
   */
  public Issued issue(Identity who, Duration validity, boolean force, Instant now) {
    return issue(who, null, validity, force, now);
  }

  /**
   * Like {@link #issue(Identity, Duration, boolean, Instant)}, certifying {@code keys} (an
   * identity's existing key, for a renewal that keeps it) instead of a new key; null: a new key.
   */
  public Issued issue(
      Identity who, @Nullable KeyPair keys, Duration validity, boolean force, Instant now) {
    for (IssuedCertificate existing : issued()) {
      Identity e = existing.identity();
      boolean clientNameTaken =
          e.name().equals(who.name())
              && e.role() != Identity.Role.BROKER
              && who.role() != Identity.Role.BROKER;
      if (clientNameTaken && e.role() != who.role()) {
        throw new EdgecamException(
            "the name '"
                + who.name()
                + "' is already issued to "
                + e.describe()
                + ": devices and matchers share the broker's user names; pick another");
      }
      if (e.role() == who.role() && e.name().equals(who.name()) && !force) {
        throw new EdgecamException(
            e.describe()
                + " already has a certificate (serial "
                + existing.certificate().getSerialNumber().toString(16)
                + ", expires "
                + existing.certificate().getNotAfter().toInstant()
                + "); --force issues a new key and certificate");
      }
    }
    Instant caExpiry = cert.getNotAfter().toInstant();
    Duration capped =
        now.plus(validity).isAfter(caExpiry) ? Duration.between(now, caExpiry) : validity;
    if (capped.isNegative() || capped.isZero()) {
      throw new EdgecamException("the fleet CA expired on " + caExpiry + "; create a new one");
    }
    if (keys == null) {
      keys = keyType().generate();
    }
    X509Certificate leaf = Certificates.leaf(who, keys.getPublic(), cert, key(), now, capped);
    SecureFiles.directory(dir.resolve(ISSUED), SecureFiles.PRIVATE_DIR);
    SecureFiles.write(issuedFile(who), Pem.certificate(leaf), SecureFiles.PUBLIC);
    Revocations.afterIssue(this, now);
    return new Issued(who, keys, leaf);
  }

  /** The CA folder. */
  Path dir() {
    return dir;
  }

  /** The CA's private key: signs the CRL and the revocation list. */
  PrivateKey privateKey() {
    return key;
  }

  Path issuedFile(Identity who) {
    return dir.resolve(ISSUED).resolve(who.role().lower() + "-" + who.name() + ".pem");
  }

  /** Every certificate recorded under {@code issued/}, by file name. */
  public List<IssuedCertificate> issued() {
    Path issuedDir = dir.resolve(ISSUED);
    if (!Files.isDirectory(issuedDir)) {
      return List.of();
    }
    List<IssuedCertificate> out = new ArrayList<>();
    try (Stream<Path> files = Files.list(issuedDir)) {
      for (Path f : files.filter(p -> p.toString().endsWith(".pem")).sorted().toList()) {
        X509Certificate c = PemTls.certificates(f, ISSUED).get(0);
        Identity id = identityOf(c);
        if (id == null) {
          throw new EdgecamException(f + ": not an edgecam identity (no urn:edgecam: name)");
        }
        out.add(new IssuedCertificate(id, c));
      }
    } catch (IOException e) {
      throw new EdgecamException("cannot list " + issuedDir + ": " + e.getMessage(), e);
    }
    out.sort(
        Comparator.comparing((IssuedCertificate i) -> i.identity().role())
            .thenComparing(i -> i.identity().name()));
    return out;
  }

  /** The identity in a certificate's URI subject alternative name, or null. */
  static @Nullable Identity identityOf(X509Certificate c) {
    try {
      Collection<List<?>> sans = c.getSubjectAlternativeNames();
      if (sans == null) {
        return null;
      }
      List<String> hosts = new ArrayList<>();
      String uri = null;
      for (List<?> san : sans) {
        int type = (Integer) san.get(0);
        String value = String.valueOf(san.get(1));
        if (type == 6) {
          uri = value;
        } else if (type == 2 || type == 7) {
          hosts.add(value);
        }
      }
      return uri == null ? null : Identity.fromUri(uri, hosts);
    } catch (CertificateParsingException e) {
      return null;
    }
  }

  private static void deleteIssued(Path issued) {
    if (!Files.isDirectory(issued)) {
      return;
    }
    try (Stream<Path> files = Files.list(issued)) {
      for (Path f : files.toList()) {
        Files.delete(f);
      }
      Files.delete(issued);
    } catch (IOException e) {
      throw new EdgecamException("cannot clear " + issued + ": " + e.getMessage(), e);
    }
  }

  /** A new identity: its key pair and certificate. */
  public record Issued(Identity identity, KeyPair keys, X509Certificate certificate) {}

  /** A certificate recorded under {@code issued/}. */
  public record IssuedCertificate(Identity identity, X509Certificate certificate) {}
}
