package io.edgecam.matcher.audit;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.edgecam.protocol.tuf.CanonicalJson;
import io.edgecam.protocol.tuf.SigningKey;
import io.edgecam.protocol.tuf.TufKey;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.HexFormat;
import org.jspecify.annotations.Nullable;

/**
 * A signed checkpoint of the chain's head kept outside the database: {@code {"seq":N,"hash":H,
 * "time":MS,"key_id":K,"signature":S}}, the signature being Ed25519 over the canonical JSON of the
 * other four fields. Deleting the newest records leaves a chain that is valid in itself; the head
 * file still names a seq and hash the database must contain, so {@code audit verify} sees the
 * truncation. Immutable.
 *
 * @param seq the newest record this matcher appended
 * @param hash its hash
 * @param timeMillis when the checkpoint was written
 * @param keyId the signing key
 * @param signature hex Ed25519 signature
 */
public record AuditHead(long seq, String hash, long timeMillis, String keyId, String signature) {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final HexFormat HEX = HexFormat.of();

  /** A checkpoint of {@code r}, signed by {@code key}. */
  static AuditHead of(AuditRecord r, long timeMillis, SigningKey key) {
    byte[] sig = key.sign(signed(r.seq(), r.hash(), timeMillis, key.keyId()));
    return new AuditHead(r.seq(), r.hash(), timeMillis, key.keyId(), HEX.formatHex(sig));
  }

  /** Whether the signature is {@code key}'s. */
  public boolean signedBy(TufKey key) {
    try {
      return key.keyId().equals(keyId)
          && key.verifies(signed(seq, hash, timeMillis, keyId), HEX.parseHex(signature));
    } catch (IllegalArgumentException e) {
      return false;
    }
  }

  private static byte[] signed(long seq, String hash, long time, String keyId) {
    ObjectNode o = JsonNodeFactory.instance.objectNode();
    o.put("seq", seq);
    o.put("hash", hash);
    o.put("time", time);
    o.put("key_id", keyId);
    return CanonicalJson.encode(o);
  }

  /** Writes the file atomically (a temp file moved over it). */
  void write(Path file) {
    ObjectNode o = JsonNodeFactory.instance.objectNode();
    o.put("seq", seq);
    o.put("hash", hash);
    o.put("time", timeMillis);
    o.put("key_id", keyId);
    o.put("signature", signature);
    try {
      Path dir = file.toAbsolutePath().getParent();
      Files.createDirectories(dir);
      Path tmp = Files.createTempFile(dir, ".audit-head", ".tmp");
      Files.writeString(tmp, o.toString() + "\n", StandardCharsets.UTF_8);
      Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    } catch (IOException e) {
      throw new AuditException("cannot write the audit head " + file + ": " + e.getMessage(), e);
    }
  }

  /** Reads a head file; null if there is none. */
  public static @Nullable AuditHead read(Path file) {
    try {
      JsonNode n = JSON.readTree(Files.readString(file, StandardCharsets.UTF_8));
      if (n == null
          || !n.path("seq").canConvertToLong()
          || !n.path("hash").isTextual()
          || !n.path("time").canConvertToLong()
          || !n.path("key_id").isTextual()
          || !n.path("signature").isTextual()) {
        throw new AuditException(file + ": not an audit head (seq, hash, time, key_id, signature)");
      }
      return new AuditHead(
          n.get("seq").asLong(),
          n.get("hash").asText(),
          n.get("time").asLong(),
          n.get("key_id").asText(),
          n.get("signature").asText());
    } catch (NoSuchFileException e) {
      return null;
    } catch (IOException e) {
      throw new AuditException("cannot read the audit head " + file + ": " + e.getMessage(), e);
    }
  }
}
