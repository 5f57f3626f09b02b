package io.edgecam.protocol.seal;

import java.nio.charset.StandardCharsets;
import java.util.Base64;

/** PEM armour (RFC 7468) for the DER encodings of keys. Stateless. */
final class Pem {
  private Pem() {}

  static String encode(String label, byte[] der) {
    String body =
        Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII)).encodeToString(der);
    return "-----BEGIN " + label + "-----\n" + body + "\n-----END " + label + "-----\n";
  }

  /**
   * The DER bytes of the first {@code label} block in {@code text}.
   *
   * @throws IllegalArgumentException naming what is missing or broken
   */
  static byte[] decode(String label, String text) {
    String begin = "-----BEGIN " + label + "-----";
    String end = "-----END " + label + "-----";
    int b = text.indexOf(begin);
    if (b < 0) {
      throw new IllegalArgumentException("no '" + begin + "' line");
    }
    int e = text.indexOf(end, b);
    if (e < 0) {
      throw new IllegalArgumentException("no '" + end + "' line");
    }
    String body = text.substring(b + begin.length(), e).replaceAll("\\s+", "");
    try {
      return Base64.getDecoder().decode(body);
    } catch (IllegalArgumentException ex) {
      throw new IllegalArgumentException("invalid base64 in the " + label + " block", ex);
    }
  }
}
