package io.edgecam.ctl.provision;

import java.math.BigInteger;
import java.security.KeyPair;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.SecureRandom;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x500.X500NameBuilder;
import org.bouncycastle.asn1.x500.style.BCStyle;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.CertIOException;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509ExtensionUtils;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.ContentSigner;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.jspecify.annotations.Nullable;

/**
 * Builds the fleet's X.509 v3 certificates with Bouncy Castle's builder (the JDK has no public
 * one); keys and signatures come from the JDK's own providers. The only Bouncy Castle user.
 */
final class Certificates {
  /** Validity starts this much before now, for devices whose clock is slightly behind. */
  static final Duration BACKDATE = Duration.ofHours(1);

  private static final SecureRandom RANDOM = new SecureRandom();

  private Certificates() {}

  /**
   * A self-signed CA certificate: basic constraints CA with path length 0 (it signs end entities
   * only), key usage keyCertSign + cRLSign, both critical.
   */
  static X509Certificate ca(KeyPair keys, String commonName, Instant now, Duration validity) {
    X500Name subject = name(commonName, null);
    try {
      JcaX509ExtensionUtils ext = new JcaX509ExtensionUtils();
      X509v3CertificateBuilder b = builder(subject, subject, keys.getPublic(), now, validity);
      b.addExtension(Extension.basicConstraints, true, new BasicConstraints(0));
      b.addExtension(
          Extension.keyUsage, true, new KeyUsage(KeyUsage.keyCertSign | KeyUsage.cRLSign));
      b.addExtension(
          Extension.subjectKeyIdentifier, false, ext.createSubjectKeyIdentifier(keys.getPublic()));
      return sign(b, keys.getPrivate());
    } catch (CertIOException | java.security.NoSuchAlgorithmException e) {
      throw new IllegalStateException("cannot build the CA certificate", e);
    }
  }

  /**
   * An end-entity certificate for {@code who}, signed by the CA: not a CA (critical), key usage
   * digitalSignature (critical), extended key usage clientAuth (devices, matchers) or serverAuth
   * (brokers), and the identity URI plus, for brokers, DNS/IP names as subject alternative names.
   */
  static X509Certificate leaf(
      Identity who,
      PublicKey subjectKey,
      X509Certificate caCert,
      PrivateKey caKey,
      Instant now,
      Duration validity) {
    try {
      JcaX509ExtensionUtils ext = new JcaX509ExtensionUtils();
      X500Name issuer = X500Name.getInstance(caCert.getSubjectX500Principal().getEncoded());
      X509v3CertificateBuilder b =
          builder(issuer, name(who.name(), who.site()), subjectKey, now, validity);
      b.addExtension(Extension.basicConstraints, true, new BasicConstraints(false));
      b.addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.digitalSignature));
      KeyPurposeId purpose =
          who.role() == Identity.Role.BROKER
              ? KeyPurposeId.id_kp_serverAuth
              : KeyPurposeId.id_kp_clientAuth;
      b.addExtension(Extension.extendedKeyUsage, false, new ExtendedKeyUsage(purpose));
      List<GeneralName> names = new ArrayList<>();
      names.add(new GeneralName(GeneralName.uniformResourceIdentifier, who.uri()));
      for (String h : who.hosts()) {
        names.add(
            new GeneralName(Identity.isIp(h) ? GeneralName.iPAddress : GeneralName.dNSName, h));
      }
      b.addExtension(
          Extension.subjectAlternativeName,
          false,
          new GeneralNames(names.toArray(new GeneralName[0])));
      b.addExtension(
          Extension.subjectKeyIdentifier, false, ext.createSubjectKeyIdentifier(subjectKey));
      b.addExtension(
          Extension.authorityKeyIdentifier,
          false,
          ext.createAuthorityKeyIdentifier(caCert.getPublicKey()));
      return sign(b, caKey);
    } catch (CertIOException | java.security.NoSuchAlgorithmException e) {
      throw new IllegalStateException("cannot build the certificate of " + who.describe(), e);
    }
  }

  /** {@code O=edgecam, OU=<site>, CN=<name>}; OU only for devices. */
  private static X500Name name(String commonName, @Nullable String site) {
    X500NameBuilder n = new X500NameBuilder(BCStyle.INSTANCE).addRDN(BCStyle.O, "edgecam");
    if (site != null) {
      n.addRDN(BCStyle.OU, site);
    }
    return n.addRDN(BCStyle.CN, commonName).build();
  }

  private static X509v3CertificateBuilder builder(
      X500Name issuer, X500Name subject, PublicKey key, Instant now, Duration validity) {
    // 127 random bits: positive, unique without a serial counter on disk (CA/B forum: >= 64).
    BigInteger serial = new BigInteger(127, RANDOM).setBit(126);
    return new JcaX509v3CertificateBuilder(
        issuer,
        serial,
        Date.from(now.minus(BACKDATE)),
        Date.from(now.plus(validity)),
        subject,
        key);
  }

  private static X509Certificate sign(X509v3CertificateBuilder b, PrivateKey caKey) {
    try {
      ContentSigner signer =
          new JcaContentSignerBuilder(KeyType.of(caKey).signatureAlgorithm()).build(caKey);
      return new JcaX509CertificateConverter().getCertificate(b.build(signer));
    } catch (OperatorCreationException | CertificateException e) {
      throw new IllegalStateException("cannot sign a certificate with the CA key", e);
    }
  }
}
