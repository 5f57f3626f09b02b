package io.edgecam.protocol;

import java.io.IOException;
import java.nio.file.Path;
import java.security.AlgorithmParameters;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.Arrays;
import javax.crypto.Cipher;
import javax.crypto.EncryptedPrivateKeyInfo;
import javax.crypto.SecretKey;
import javax.crypto.SecretKeyFactory;
import javax.crypto.spec.IvParameterSpec;
import javax.crypto.spec.PBEKeySpec;
import javax.crypto.spec.PBEParameterSpec;

/**
 * Passphrase encryption of private keys as PKCS#8 {@code ENCRYPTED PRIVATE KEY} (PBES2 with
 * PBKDF2-HMAC-SHA256, 600,000 iterations, AES-256-CBC), which OpenSSL reads too: the TUF root keys
 * (({@code KeyDirectory})) and the fleet CA key ({@code edgecam ca init --passphrase-file}). JDK
 * only. Stateless.
 */
public final class EncryptedKeys {
  private static final int PBKDF2_ITERATIONS = 600_000;
  private static final String PBE = "PBEWithHmacSHA256AndAES_256";

  private EncryptedKeys() {}

  /**
   * PKCS#8 DER encrypted with PBES2 (PBKDF2-HMAC-SHA256, AES-256-CBC): an EncryptedPrivateKeyInfo
   * DER.
   */
  public static byte[] encrypt(byte[] pkcs8, char[] passphrase) {
    try {
      byte[] salt = new byte[16];
      byte[] iv = new byte[16];
      SecureRandom r = new SecureRandom();
      r.nextBytes(salt);
      r.nextBytes(iv);
      SecretKey key = SecretKeyFactory.getInstance(PBE).generateSecret(new PBEKeySpec(passphrase));
      Cipher c = Cipher.getInstance(PBE);
      c.init(
          Cipher.ENCRYPT_MODE,
          key,
          new PBEParameterSpec(salt, PBKDF2_ITERATIONS, new IvParameterSpec(iv)));
      byte[] enc = c.doFinal(pkcs8);
      // EncryptedPrivateKeyInfo(AlgorithmParameters, byte[]) rejects PBES2 on JDK 17
      // ("unrecognized algorithm name"), so the DER is written here:
      // SEQUENCE { SEQUENCE { OID pbes2, PBES2-params }, OCTET STRING encrypted }
      byte[] algorithm = concat(PBES2_OID, c.getParameters().getEncoded());
      return der(0x30, concat(der(0x30, algorithm), der(0x04, enc)));
    } catch (GeneralSecurityException | IOException e) {
      throw new IllegalStateException("PBES2 key encryption failed", e);
    }
  }

  /** DER of OID 1.2.840.113549.1.5.13 (PBES2). */
  private static final byte[] PBES2_OID = {
    0x06, 0x09, 0x2a, (byte) 0x86, 0x48, (byte) 0x86, (byte) 0xf7, 0x0d, 0x01, 0x05, 0x0d
  };

  private static byte[] der(int tag, byte[] value) {
    java.io.ByteArrayOutputStream o = new java.io.ByteArrayOutputStream();
    o.write(tag);
    int n = value.length;
    if (n < 0x80) {
      o.write(n);
    } else if (n < 0x100) {
      o.write(0x81);
      o.write(n);
    } else {
      o.write(0x82);
      o.write(n >> 8);
      o.write(n & 0xff);
    }
    o.writeBytes(value);
    return o.toByteArray();
  }

  private static byte[] concat(byte[] a, byte[] b) {
    byte[] out = Arrays.copyOf(a, a.length + b.length);
    System.arraycopy(b, 0, out, a.length, b.length);
    return out;
  }

  /**
   * The PKCS#8 DER inside an EncryptedPrivateKeyInfo DER.
   *
   * @throws EdgecamException naming {@code file} if the passphrase is wrong or the data corrupt
   */
  public static byte[] decrypt(byte[] der, char[] passphrase, Path file) {
    try {
      EncryptedPrivateKeyInfo info = new EncryptedPrivateKeyInfo(der);
      AlgorithmParameters params = info.getAlgParameters();
      String alg = params.toString(); // e.g. PBEWithHmacSHA256AndAES_256 for PBES2
      SecretKey key = SecretKeyFactory.getInstance(alg).generateSecret(new PBEKeySpec(passphrase));
      Cipher c = Cipher.getInstance(alg);
      c.init(Cipher.DECRYPT_MODE, key, params);
      return info.getKeySpec(c).getEncoded();
    } catch (GeneralSecurityException | IOException e) {
      throw new EdgecamException(file + ": cannot decrypt the key (wrong passphrase?)", e);
    }
  }
}
