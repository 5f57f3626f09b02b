package io.edgecam.protocol.bundle;

import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.HexFormat;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * The alias a watchlist entry carries in device bundles: {@code "p" + hex(HMAC-SHA256(key,
 * entryId))[0..32]}. Stable across publishes (so a device's prefilter statistics stay comparable),
 * not derivable from the matcher's entry id without the key, and the maintainer can map it back by
 * recomputing. The key is 32 random bytes kept with the maintainer's keys ({@code alias.key}, see
 * docs/updates.md); devices never see it. Thread-safe (stateless).
 */
public final class PseudonymousId {
  /** Bytes of a fresh alias key. */
  public static final int KEY_BYTES = 32;

  private PseudonymousId() {}

  /** A fresh random alias key. */
  public static byte[] newKey() {
    byte[] key = new byte[KEY_BYTES];
    new SecureRandom().nextBytes(key);
    return key;
  }

  /**
   * The alias of {@code entryId} under {@code key}: 33 characters, {@code p} and 128 bits of hex.
   *
   * @throws IllegalArgumentException if the key is shorter than 16 bytes
   */
  public static String of(byte[] key, String entryId) {
    if (key == null || key.length < 16) {
      throw new IllegalArgumentException("alias key must be at least 16 bytes");
    }
    try {
      Mac mac = Mac.getInstance("HmacSHA256");
      mac.init(new SecretKeySpec(key, "HmacSHA256"));
      byte[] h = mac.doFinal(entryId.getBytes(java.nio.charset.StandardCharsets.UTF_8));
      return "p" + HexFormat.of().formatHex(h, 0, 16);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("HmacSHA256 missing from the JDK", e);
    }
  }
}
