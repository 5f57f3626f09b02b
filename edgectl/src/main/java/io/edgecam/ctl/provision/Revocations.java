package io.edgecam.ctl.provision;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.edgecam.protocol.EdgecamException;
import io.edgecam.protocol.RevocationList;
import java.io.IOException;
import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Date;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.bouncycastle.asn1.x509.CRLNumber;
import org.bouncycastle.asn1.x509.CRLReason;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.cert.X509CRLHolder;
import org.bouncycastle.cert.X509v2CRLBuilder;
import org.bouncycastle.cert.jcajce.JcaX509ExtensionUtils;
import org.bouncycastle.cert.jcajce.JcaX509v2CRLBuilder;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.jspecify.annotations.Nullable;

/**
 * Revoked certificates of a fleet CA, kept in the CA folder next to {@code issued/}:
 *
 * <pre>
 * revocations.json   the record: serial, role, name, site, when, why, the certificate's expiry
 * revoked/*.pem      the revoked certificates, moved out of issued/ (the id can be issued again)
 * crl.pem            X.509 CRL signed by the CA: every revoked serial (Mosquitto's crlfile)
 * revoked.json       the ids revoked and not issued again, signed by the CA key (the matcher's
 *                    revocation.file, {@link RevocationList})
 * </pre>
 *
 * The broker needs serials (it sees certificates), the matcher needs ids (it sees topics): a
 * re-provisioned id has a new serial, so it connects again and drops out of revoked.json while its
 * old serial stays in the CRL. Not thread-safe; one command at a time per CA folder.
 */
final class Revocations {
  static final String RECORD = "revocations.json";
  static final String REVOKED = "revoked";
  static final String CRL = "crl.pem";
  static final String SIGNED_LIST = "revoked.json";

  private static final ObjectMapper MAPPER = new ObjectMapper();

  private Revocations() {}

  /** One revoked certificate, as kept in {@code revocations.json}. */
  record Revoked(
      String serial,
      String role,
      String name,
      @Nullable String site,
      String revoked,
      @Nullable String reason,
      String notAfter) {}

  /** The record; empty if nothing was ever revoked. */
  static List<Revoked> read(Path caDir) {
    Path f = caDir.resolve(RECORD);
    if (!Files.exists(f)) {
      return List.of();
    }
    try {
      return MAPPER.readValue(f.toFile(), new TypeReference<List<Revoked>>() {});
    } catch (IOException e) {
      throw new EdgecamException(f + ": unreadable revocation record: " + e.getMessage(), e);
    }
  }

  /**
   * Revokes the certificate currently issued to {@code role}/{@code name}: records it, moves it to
   * {@code revoked/} and rewrites crl.pem and revoked.json.
   *
   * @throws EdgecamException if no such identity holds a certificate
   */
  static Revoked revoke(
      FleetCa ca, Identity.Role role, String name, @Nullable String reason, Instant now) {
    FleetCa.IssuedCertificate found = null;
    for (FleetCa.IssuedCertificate ic : ca.issued()) {
      if (ic.identity().role() == role && ic.identity().name().equals(name)) {
        found = ic;
      }
    }
    if (found == null) {
      throw new EdgecamException(
          "no "
              + role.lower()
              + " '"
              + name
              + "' holds a certificate of the CA in "
              + ca.dir()
              + " (./edgecam ca list shows the issued ones)");
    }
    X509Certificate cert = found.certificate();
    Revoked r =
        new Revoked(
            cert.getSerialNumber().toString(16),
            role.lower(),
            name,
            found.identity().site(),
            now.toString(),
            reason,
            cert.getNotAfter().toInstant().toString());
    List<Revoked> all = new ArrayList<>(read(ca.dir()));
    all.add(r);
    Path record = ca.dir().resolve(RECORD);
    try {
      SecureFiles.write(
          record,
          MAPPER.writerWithDefaultPrettyPrinter().writeValueAsString(all) + "\n",
          SecureFiles.PUBLIC);
      Path revokedDir = ca.dir().resolve(REVOKED);
      SecureFiles.directory(revokedDir, SecureFiles.PRIVATE_DIR);
      Files.move(
          ca.issuedFile(found.identity()),
          revokedDir.resolve(role.lower() + "-" + name + "-" + r.serial() + ".pem"));
    } catch (IOException e) {
      throw new EdgecamException("cannot record the revocation in " + ca.dir() + ": " + e, e);
    }
    write(ca, now);
    return r;
  }

  /** Rewrites crl.pem and revoked.json from the record and the current {@code issued/}. */
  static void write(FleetCa ca, Instant now) {
    List<Revoked> all = read(ca.dir());
    SecureFiles.write(ca.dir().resolve(CRL), crl(ca, all, now), SecureFiles.PUBLIC);
    Set<String> issued = new HashSet<>();
    for (FleetCa.IssuedCertificate ic : ca.issued()) {
      issued.add(ic.identity().role().lower() + "/" + ic.identity().name());
    }
    List<RevocationList.Entry> entries = new ArrayList<>();
    Set<String> listed = new HashSet<>();
    for (int i = all.size() - 1; i >= 0; i--) { // the latest revocation of an id wins
      Revoked r = all.get(i);
      String key = r.role() + "/" + r.name();
      if (!issued.contains(key) && listed.add(key)) {
        entries.add(
            new RevocationList.Entry(
                r.role(), r.name(), r.site(), Instant.parse(r.revoked()), r.reason()));
      }
    }
    byte[] signed =
        new RevocationList(now, entries)
            .sign(ca.privateKey(), RevocationList.algorithmFor(ca.privateKey()));
    SecureFiles.write(
        ca.dir().resolve(SIGNED_LIST),
        new String(signed, java.nio.charset.StandardCharsets.UTF_8),
        SecureFiles.PUBLIC);
  }

  /** After an identity was issued: if anything was ever revoked, the lists change. */
  static void afterIssue(FleetCa ca, Instant now) {
    if (Files.exists(ca.dir().resolve(RECORD))) {
      write(ca, now);
    }
  }

  /** The CRL (PEM) listing every revoked serial; valid until the CA itself expires. */
  static String crl(FleetCa ca, List<Revoked> all, Instant now) {
    X509Certificate caCert = ca.certificate();
    try {
      X509v2CRLBuilder b =
          new JcaX509v2CRLBuilder(caCert, Date.from(now.minus(Certificates.BACKDATE)));
      // OpenSSL refuses every client once a CRL's nextUpdate has passed: tying it to the CA's
      // own expiry means a forgotten CRL can never lock the fleet out before the CA would.
      b.setNextUpdate(caCert.getNotAfter());
      for (Revoked r : all) {
        b.addCRLEntry(
            new BigInteger(r.serial(), 16),
            Date.from(Instant.parse(r.revoked())),
            CRLReason.unspecified);
      }
      b.addExtension(
          Extension.cRLNumber, false, new CRLNumber(BigInteger.valueOf(now.toEpochMilli())));
      b.addExtension(
          Extension.authorityKeyIdentifier,
          false,
          new JcaX509ExtensionUtils().createAuthorityKeyIdentifier(caCert));
      X509CRLHolder h =
          b.build(
              new JcaContentSignerBuilder(ca.keyType().signatureAlgorithm())
                  .build(ca.privateKey()));
      return "-----BEGIN X509 CRL-----\n"
          + Base64.getMimeEncoder(64, "\n".getBytes(java.nio.charset.StandardCharsets.US_ASCII))
              .encodeToString(h.getEncoded())
          + "\n-----END X509 CRL-----\n";
    } catch (Exception e) {
      throw new EdgecamException("cannot sign the CRL with the CA in " + ca.dir() + ": " + e, e);
    }
  }

  /**
   * The signed list of revoked ids (revoked.json), signed afresh: a file left from before a {@code
   * ca init --force} would not verify with the new CA certificate.
   */
  static byte[] currentSignedList(FleetCa ca, Instant now) {
    write(ca, now);
    Path f = ca.dir().resolve(SIGNED_LIST);
    try {
      return Files.readAllBytes(f);
    } catch (IOException e) {
      throw new EdgecamException("cannot read " + f + ": " + e.getMessage(), e);
    }
  }

  /** The CRL to install on the broker now: crl.pem, signed afresh by the current CA. */
  static Path currentCrl(FleetCa ca, Instant now) {
    write(ca, now);
    return ca.dir().resolve(CRL);
  }
}
