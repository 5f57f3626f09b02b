package io.edgecam.protocol.tuf;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.MessageDigest;
import java.security.PublicKey;
import java.security.Signature;
import java.security.spec.X509EncodedKeySpec;
import java.util.Arrays;
import java.util.HexFormat;

/**
 * A TUF Ed25519 public key: {@code {"keytype":"ed25519","scheme":"ed25519",
 * "keyval":{"public":"<hex of 32 bytes>"}}}. Its key id is the hex SHA-256 of that object's
 * canonical JSON. Immutable.
 *
 * @param publicHex the 32 raw public key bytes, lowercase hex
 */
public record TufKey(String publicHex) {
  /** The only key type and scheme this library signs and verifies with. */
  public static final String ED25519 = "ed25519";

  // DER SubjectPublicKeyInfo header of an Ed25519 key (RFC 8410); the raw key follows it.
  private static final byte[] SPKI_PREFIX = HexFormat.of().parseHex("302a300506032b6570032100");

  /** Validates the hex form. */
  public TufKey {
    if (publicHex.length() != 64 || !publicHex.matches("[0-9a-f]+")) {
      throw Json.malformed("ed25519 public key must be 64 lowercase hex digits, was " + publicHex);
    }
  }

  /** The TUF key for a JDK Ed25519 public key (X.509 encoded). */
  public static TufKey of(PublicKey key) {
    byte[] der = key.getEncoded();
    if (der.length != SPKI_PREFIX.length + 32
        || !Arrays.equals(der, 0, SPKI_PREFIX.length, SPKI_PREFIX, 0, SPKI_PREFIX.length)) {
      throw new IllegalArgumentException("not an Ed25519 public key: " + key.getAlgorithm());
    }
    return new TufKey(HexFormat.of().formatHex(der, SPKI_PREFIX.length, der.length));
  }

  /** Reads the TUF key object; rejects key types and schemes other than ed25519. */
  public static TufKey fromJson(JsonNode json, String what) {
    String type = Json.text(json, "keytype", what);
    String scheme = Json.text(json, "scheme", what);
    if (!ED25519.equals(type) || !ED25519.equals(scheme)) {
      throw Json.malformed(what + ": unsupported key " + type + "/" + scheme);
    }
    return new TufKey(Json.text(Json.object(json, "keyval", what), "public", what));
  }

  /** The TUF key object. */
  public ObjectNode toJson() {
    ObjectNode json = Json.newObject();
    json.put("keytype", ED25519);
    json.put("scheme", ED25519);
    json.putObject("keyval").put("public", publicHex);
    return json;
  }

  /** Hex SHA-256 of the canonical JSON of {@link #toJson()}. */
  public String keyId() {
    try {
      byte[] digest = MessageDigest.getInstance("SHA-256").digest(CanonicalJson.encode(toJson()));
      return HexFormat.of().formatHex(digest);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("SHA-256 missing from the JDK", e);
    }
  }

  /** The JDK public key (adds the X.509 header back to the raw bytes). */
  public PublicKey toPublicKey() {
    byte[] raw = HexFormat.of().parseHex(publicHex);
    byte[] der = Arrays.copyOf(SPKI_PREFIX, SPKI_PREFIX.length + raw.length);
    System.arraycopy(raw, 0, der, SPKI_PREFIX.length, raw.length);
    try {
      return KeyFactory.getInstance("Ed25519").generatePublic(new X509EncodedKeySpec(der));
    } catch (GeneralSecurityException e) {
      throw Json.malformed("invalid ed25519 public key " + publicHex, e);
    }
  }

  /** True if {@code signature} is this key's Ed25519 signature over {@code data}. */
  public boolean verifies(byte[] data, byte[] signature) {
    try {
      Signature verifier = Signature.getInstance("Ed25519");
      verifier.initVerify(toPublicKey());
      verifier.update(data);
      return verifier.verify(signature);
    } catch (GeneralSecurityException | TufException e) {
      return false;
    }
  }
}
