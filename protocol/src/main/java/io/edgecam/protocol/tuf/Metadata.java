package io.edgecam.protocol.tuf;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A TUF metadata file: {@code {"signatures":[{"keyid","sig"}],"signed":{...}}}. Signatures are
 * verified over the canonical JSON of the {@code signed} object exactly as received, unknown fields
 * included. Immutable and thread-safe.
 *
 * @param <T> the role type
 */
public final class Metadata<T extends Signed> {
  private final T signed;
  private final byte[] signedBytes;
  private final List<Signature> signatures;

  private Metadata(T signed, byte[] signedBytes, List<Signature> signatures) {
    this.signed = signed;
    this.signedBytes = signedBytes;
    this.signatures = List.copyOf(signatures);
  }

  /** Signs {@code signed} with each key (repository side). */
  public static <T extends Signed> Metadata<T> sign(T signed, List<SigningKey> keys) {
    byte[] bytes = CanonicalJson.encode(signed.toJson());
    List<Signature> sigs = new ArrayList<>();
    for (SigningKey key : keys) {
      sigs.add(new Signature(key.keyId(), HexFormat.of().formatHex(key.sign(bytes))));
    }
    return new Metadata<>(signed, bytes, sigs);
  }

  /**
   * Parses a metadata file of the given type, without verifying signatures.
   *
   * @throws TufException MALFORMED if it is not TUF metadata of that type
   */
  public static <T extends Signed> Metadata<T> parse(byte[] bytes, Class<T> type) {
    String what = type.getSimpleName().toLowerCase(java.util.Locale.ROOT) + " metadata";
    ObjectNode envelope = Json.parseObject(bytes, what);
    ObjectNode signedJson = Json.object(envelope, "signed", what);
    JsonNode sigsJson = Json.required(envelope, "signatures", what);
    if (!sigsJson.isArray()) {
      throw Json.malformed(what + ": signatures must be an array");
    }
    List<Signature> sigs = new ArrayList<>();
    for (JsonNode s : sigsJson) {
      sigs.add(new Signature(Json.text(s, "keyid", what), Json.text(s, "sig", what)));
    }
    Signed model;
    if (type == Root.class) {
      model = Root.fromJson(signedJson);
    } else if (type == Targets.class) {
      model = Targets.fromJson(signedJson);
    } else if (type == Snapshot.class) {
      model = Snapshot.fromJson(signedJson);
    } else {
      model = Timestamp.fromJson(signedJson);
    }
    return new Metadata<>(type.cast(model), CanonicalJson.encode(signedJson), sigs);
  }

  /** The parsed signed part. */
  public T signed() {
    return signed;
  }

  /** The signatures, as listed. */
  public List<Signature> signatures() {
    return signatures;
  }

  /** The same signed part with other signatures (for re-signing and for attack tests). */
  public Metadata<T> withSignatures(List<Signature> newSignatures) {
    return new Metadata<>(signed, signedBytes, newSignatures);
  }

  /** The file bytes: the envelope in canonical JSON. */
  public byte[] toBytes() {
    ObjectNode envelope = Json.newObject();
    ArrayNode sigs = envelope.putArray("signatures");
    for (Signature s : signatures) {
      sigs.addObject().put("keyid", s.keyId()).put("sig", s.sig());
    }
    envelope.set("signed", Json.parseObject(signedBytes, "signed"));
    return CanonicalJson.encode(envelope);
  }

  /**
   * Checks that at least {@code role.threshold()} distinct keys of {@code role} signed. Signatures
   * by keys outside the role are ignored, and several signatures by one key count once.
   *
   * @param roleName the role name for messages
   * @throws TufException BAD_SIGNATURE if too few verify and an authorized key's signature was
   *     invalid, THRESHOLD if too few authorized keys signed at all
   */
  public void verify(String roleName, Role role, Map<String, TufKey> keys) {
    Set<String> valid = new HashSet<>();
    int bad = 0;
    List<String> ignored = new ArrayList<>();
    for (Signature s : signatures) {
      TufKey key = keys.get(s.keyId());
      if (key == null || !role.keyIds().contains(s.keyId())) {
        ignored.add(s.keyId());
      } else if (!valid.contains(s.keyId())) {
        if (key.verifies(signedBytes, parseHex(s.sig()))) {
          valid.add(s.keyId());
        } else {
          bad++;
        }
      }
    }
    if (valid.size() < role.threshold()) {
      TufException.Kind kind =
          bad > 0 ? TufException.Kind.BAD_SIGNATURE : TufException.Kind.THRESHOLD;
      throw new TufException(
          kind,
          roleName
              + " v"
              + signed.version()
              + ": "
              + valid.size()
              + " valid signature(s) of "
              + role.threshold()
              + " required ("
              + bad
              + " invalid, ignored keys not in the role: "
              + ignored
              + ")");
    }
  }

  private static byte[] parseHex(String hex) {
    try {
      return HexFormat.of().parseHex(hex);
    } catch (IllegalArgumentException e) {
      return new byte[0];
    }
  }
}
