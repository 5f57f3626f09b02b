package io.edgecam.protocol.seal;

import java.security.GeneralSecurityException;
import java.security.InvalidKeyException;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * HKDF with HMAC-SHA256 (RFC 5869) over the JDK's {@code HmacSHA256}: {@link #extract} turns input
 * keying material into a pseudorandom key, {@link #expand} stretches that key into output keying
 * material bound to an {@code info} string. Stateless and thread-safe.
 */
public final class Hkdf {
  /** Output length of SHA-256, bytes. */
  public static final int HASH_LENGTH = 32;

  /** Longest output {@link #expand} can produce: 255 blocks. */
  public static final int MAX_OUTPUT = 255 * HASH_LENGTH;

  private Hkdf() {}

  /**
   * HKDF-Extract: {@code PRK = HMAC-SHA256(salt, ikm)}.
   *
   * @param salt optional salt; empty means {@value #HASH_LENGTH} zero bytes (RFC 5869 section 2.2)
   * @param ikm input keying material, may be empty
   * @return the 32-byte pseudorandom key
   */
  public static byte[] extract(byte[] salt, byte[] ikm) {
    Mac mac = hmac(salt.length == 0 ? new byte[HASH_LENGTH] : salt);
    return mac.doFinal(ikm);
  }

  /**
   * HKDF-Expand: {@code T(i) = HMAC-SHA256(prk, T(i-1) | info | i)}, concatenated and cut to {@code
   * length}.
   *
   * @param prk pseudorandom key, at least {@value #HASH_LENGTH} bytes
   * @param info context and application specific information, may be empty
   * @param length output length in bytes, {@code 0..}{@value #MAX_OUTPUT}
   * @throws IllegalArgumentException if {@code length} or {@code prk} is out of range
   */
  public static byte[] expand(byte[] prk, byte[] info, int length) {
    if (length < 0 || length > MAX_OUTPUT) {
      throw new IllegalArgumentException(
          "HKDF output length must be in 0.." + MAX_OUTPUT + ", was " + length);
    }
    if (prk.length < HASH_LENGTH) {
      throw new IllegalArgumentException(
          "HKDF pseudorandom key must be at least " + HASH_LENGTH + " bytes, was " + prk.length);
    }
    Mac mac = hmac(prk);
    byte[] out = new byte[length];
    byte[] t = new byte[0];
    int done = 0;
    for (int i = 1; done < length; i++) {
      mac.update(t);
      mac.update(info);
      mac.update((byte) i);
      t = mac.doFinal();
      int n = Math.min(t.length, length - done);
      System.arraycopy(t, 0, out, done, n);
      done += n;
    }
    return out;
  }

  /** Extract then expand. */
  public static byte[] derive(byte[] salt, byte[] ikm, byte[] info, int length) {
    return expand(extract(salt, ikm), info, length);
  }

  private static Mac hmac(byte[] key) {
    try {
      Mac mac = Mac.getInstance("HmacSHA256");
      mac.init(new SecretKeySpec(key, "HmacSHA256"));
      return mac;
    } catch (InvalidKeyException e) {
      throw new IllegalArgumentException("HMAC-SHA256 key rejected: " + e.getMessage(), e);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("HmacSHA256 missing from the JDK", e);
    }
  }
}
