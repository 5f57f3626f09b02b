package io.edgecam.protocol.tuf;

import com.fasterxml.jackson.databind.JsonNode;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;

/** Hash checks shared by metadata and target verification. */
final class Hashes {
  private static final Map<String, String> JDK_NAMES =
      Map.of("sha256", "SHA-256", "sha512", "SHA-512");

  private Hashes() {}

  static String sha256Hex(byte[] data) {
    return hex("sha256", data);
  }

  static String hex(String algorithm, byte[] data) {
    try {
      return HexFormat.of()
          .formatHex(MessageDigest.getInstance(JDK_NAMES.get(algorithm)).digest(data));
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(algorithm + " missing from the JDK", e);
    }
  }

  /**
   * Checks every listed hash this library knows (sha256, sha512); at least one must be known.
   *
   * @throws TufException HASH_MISMATCH naming {@code what}
   */
  static void verify(Map<String, String> expected, byte[] data, String what) {
    int checked = 0;
    for (Map.Entry<String, String> e : expected.entrySet()) {
      if (!JDK_NAMES.containsKey(e.getKey())) {
        continue;
      }
      String actual = hex(e.getKey(), data);
      if (!actual.equalsIgnoreCase(e.getValue())) {
        throw new TufException(
            TufException.Kind.HASH_MISMATCH,
            what + ": " + e.getKey() + " is " + actual + ", expected " + e.getValue());
      }
      checked++;
    }
    if (checked == 0) {
      throw new TufException(
          TufException.Kind.HASH_MISMATCH, what + ": no supported hash among " + expected.keySet());
    }
  }

  static Map<String, String> fromJson(JsonNode parent, String what) {
    Map<String, String> out = new LinkedHashMap<>();
    Json.object(parent, "hashes", what)
        .properties()
        .forEach(
            e -> {
              if (!e.getValue().isTextual()) {
                throw Json.malformed(what + ": hash " + e.getKey() + " must be a string");
              }
              out.put(e.getKey(), e.getValue().textValue());
            });
    return out;
  }
}
