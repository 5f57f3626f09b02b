package io.edgecam.protocol;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.edgecam.protocol.tuf.CanonicalJson;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.Signature;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.jspecify.annotations.Nullable;

/**
 * The identities (device and matcher ids) the fleet CA has revoked and not issued again, signed by
 * the fleet CA's key: what the matcher reads to refuse a stolen camera's candidates and status
 * ({@code revoked.json}, written by {@code ./edgecam ca revoke}). The broker enforces revocation by
 * certificate serial (the CRL); this list is by id, because the matcher sees ids, not certificates.
 *
 * <pre>
 * {"signed": {"type": "edgecam-revocations", "version": 1, "issued": "2026-...Z",
 *             "identities": [{"role": "device", "name": "cam-01", "site": "site-1",
 *                             "revoked": "2026-...Z", "reason": "stolen"}]},
 *  "signature": "base64 of the CA key's signature over the canonical JSON of signed"}
 * </pre>
 *
 * Immutable.
 *
 * @param issued when the list was signed; a matcher never replaces a list by an older one
 * @param identities the revoked identities
 */
public record RevocationList(Instant issued, List<Entry> identities) {
  /** The {@code type} field. */
  public static final String TYPE = "edgecam-revocations";

  private static final int MAX_BYTES = 4 * 1024 * 1024;
  private static final ObjectMapper MAPPER = new ObjectMapper();

  public RevocationList {
    identities = List.copyOf(identities);
  }

  /**
   * One revoked identity.
   *
   * @param role {@code device} or {@code matcher}
   * @param name the device or matcher id (certificate CN)
   * @param site the device's site, or null
   * @param revoked when it was revoked
   * @param reason free text, or null
   */
  public record Entry(
      String role, String name, @Nullable String site, Instant revoked, @Nullable String reason) {}

  /** The ids of the revoked devices. */
  public Set<String> devices() {
    return identities.stream()
        .filter(e -> "device".equals(e.role()))
        .map(Entry::name)
        .collect(Collectors.toUnmodifiableSet());
  }

  /** The signed document, signed with {@code key} using {@code algorithm} (a JCA name). */
  public byte[] sign(PrivateKey key, String algorithm) {
    ObjectNode signed = MAPPER.createObjectNode();
    signed.put("type", TYPE);
    signed.put("version", 1);
    signed.put("issued", issued.toString());
    ArrayNode list = signed.putArray("identities");
    for (Entry e : identities) {
      ObjectNode o = list.addObject();
      o.put("role", e.role());
      o.put("name", e.name());
      if (e.site() != null) {
        o.put("site", e.site());
      }
      o.put("revoked", e.revoked().toString());
      if (e.reason() != null) {
        o.put("reason", e.reason());
      }
    }
    byte[] signature;
    try {
      Signature s = Signature.getInstance(algorithm);
      s.initSign(key);
      s.update(CanonicalJson.encode(signed));
      signature = s.sign();
    } catch (GeneralSecurityException e) {
      throw new EdgecamException("cannot sign the revocation list: " + e.getMessage(), e);
    }
    ObjectNode doc = MAPPER.createObjectNode();
    doc.set("signed", signed);
    doc.put("signature", Base64.getEncoder().encodeToString(signature));
    try {
      return (MAPPER.writerWithDefaultPrettyPrinter().writeValueAsString(doc) + "\n")
          .getBytes(StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }

  /**
   * Reads and verifies {@code file} against the fleet CA's public key.
   *
   * @throws EdgecamException naming the file and what is wrong: unreadable, malformed, or a
   *     signature that does not verify with {@code caKey}
   */
  public static RevocationList read(Path file, PublicKey caKey) {
    byte[] bytes;
    try {
      if (Files.size(file) > MAX_BYTES) {
        throw new EdgecamException(file + ": larger than " + MAX_BYTES + " bytes");
      }
      bytes = Files.readAllBytes(file);
    } catch (IOException e) {
      throw new EdgecamException("cannot read revocation list " + file + ": " + e, e);
    }
    return parse(bytes, caKey, file.toString());
  }

  /** Like {@link #read} on bytes; {@code what} names the source in messages. */
  public static RevocationList parse(byte[] bytes, PublicKey caKey, String what) {
    JsonNode doc;
    try {
      doc = MAPPER.readTree(bytes);
    } catch (IOException e) {
      throw new EdgecamException(what + ": not JSON: " + e.getMessage(), e);
    }
    if (doc == null || !doc.path("signed").isObject() || !doc.path("signature").isTextual()) {
      throw new EdgecamException(what + ": needs an object 'signed' and a string 'signature'");
    }
    JsonNode signed = doc.get("signed");
    if (!TYPE.equals(signed.path("type").asText())) {
      throw new EdgecamException(what + ": signed.type must be '" + TYPE + "'");
    }
    byte[] sig;
    try {
      sig = Base64.getDecoder().decode(doc.get("signature").asText());
    } catch (IllegalArgumentException e) {
      throw new EdgecamException(what + ": signature is not base64", e);
    }
    try {
      Signature v = Signature.getInstance(algorithmFor(caKey));
      v.initVerify(caKey);
      v.update(CanonicalJson.encode(signed));
      if (!v.verify(sig)) {
        throw new EdgecamException(what + ": signature does not verify with the fleet CA's key");
      }
    } catch (GeneralSecurityException | RuntimeException e) {
      if (e instanceof EdgecamException ee) {
        throw ee;
      }
      throw new EdgecamException(
          what + ": signature does not verify with the fleet CA's key (" + e.getMessage() + ")", e);
    }
    List<Entry> entries = new ArrayList<>();
    JsonNode ids = signed.path("identities");
    if (!ids.isArray()) {
      throw new EdgecamException(what + ": signed.identities must be an array");
    }
    for (int i = 0; i < ids.size(); i++) {
      JsonNode e = ids.get(i);
      String at = what + ": signed.identities[" + i + "]";
      if (!e.path("role").isTextual() || !e.path("name").isTextual()) {
        throw new EdgecamException(at + ": needs strings 'role' and 'name'");
      }
      entries.add(
          new Entry(
              e.get("role").asText(),
              e.get("name").asText(),
              e.path("site").isTextual() ? e.get("site").asText() : null,
              instant(e.path("revoked"), at + ".revoked"),
              e.path("reason").isTextual() ? e.get("reason").asText() : null));
    }
    return new RevocationList(instant(signed.path("issued"), what + ": signed.issued"), entries);
  }

  private static Instant instant(JsonNode n, String what) {
    try {
      return Instant.parse(n.asText());
    } catch (DateTimeParseException e) {
      throw new EdgecamException(what + ": not an ISO-8601 instant: '" + n.asText() + "'", e);
    }
  }

  /** The JCA signature algorithm for a fleet CA key (P-256, Ed25519, or RSA). */
  public static String algorithmFor(java.security.Key key) {
    return switch (key.getAlgorithm()) {
      case "EC" -> "SHA256withECDSA";
      case "Ed25519", "EdDSA" -> "Ed25519";
      case "RSA" -> "SHA256withRSA";
      default -> throw new EdgecamException("unsupported fleet CA key " + key.getAlgorithm());
    };
  }
}
