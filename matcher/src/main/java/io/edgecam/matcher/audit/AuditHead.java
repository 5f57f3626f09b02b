package io.edgecam.matcher.audit;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.edgecam.protocol.tuf.TufKey;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Instant;
import org.jspecify.annotations.Nullable;

/**
 * A checkpoint of the chain's head kept outside the database: {@code {"seq":N,"hash":H,"key_id":K,
 * "signature":S}}, copied from the newest record this matcher appended. Its signature is that
 * record's own (over the hash, which commits to the seq), so writing a checkpoint costs no extra
 * signing. Deleting the newest records leaves a chain that is valid in itself; the head file still
 * names a seq and hash the database must contain, so {@code audit verify} sees the truncation.
 * Immutable.
 *
 * @param seq the newest record this matcher appended
 * @param hash its hash
 * @param keyId the key that signed it
 * @param signature its signature (hex)
 */
public record AuditHead(long seq, String hash, String keyId, String signature) {
  private static final ObjectMapper JSON = new ObjectMapper();

  /** The checkpoint of {@code r}. */
  static AuditHead of(AuditRecord r) {
    return new AuditHead(r.seq(), r.hash(), r.keyId(), r.signature());
  }

  /** Whether the signature is {@code key}'s over the hash. */
  public boolean signedBy(TufKey key) {
    return key.keyId().equals(keyId)
        && AuditChain.signatureValid(
            new AuditRecord(seq, Instant.EPOCH, "", "", "", "", "", hash, keyId, signature), key);
  }

  /** Writes the file atomically (a temp file moved over it). */
  void write(Path file) {
    ObjectNode o = JsonNodeFactory.instance.objectNode();
    o.put("seq", seq);
    o.put("hash", hash);
    o.put("key_id", keyId);
    o.put("signature", signature);
    try {
      Path dir = file.toAbsolutePath().getParent();
      Files.createDirectories(dir);
      // One temp name per process (callers serialize their writes): cheaper than a random one.
      Path tmp =
          dir.resolve("." + file.getFileName() + "." + ProcessHandle.current().pid() + ".tmp");
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
          || !n.path("key_id").isTextual()
          || !n.path("signature").isTextual()) {
        throw new AuditException(file + ": not an audit head (seq, hash, key_id, signature)");
      }
      return new AuditHead(
          n.get("seq").asLong(),
          n.get("hash").asText(),
          n.get("key_id").asText(),
          n.get("signature").asText());
    } catch (NoSuchFileException e) {
      return null;
    } catch (IOException e) {
      throw new AuditException("cannot read the audit head " + file + ": " + e.getMessage(), e);
    }
  }
}
