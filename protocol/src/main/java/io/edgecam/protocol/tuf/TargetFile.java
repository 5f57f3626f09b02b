package io.edgecam.protocol.tuf;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.MissingNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Map;

/**
 * A target as a targets role lists it.
 *
 * @param length exact length in bytes
 * @param hashes algorithm to lowercase hex digest, at least one
 * @param custom free JSON (model name, version, self-test data...), or a {@link MissingNode}
 */
public record TargetFile(long length, Map<String, String> hashes, JsonNode custom) {
  /** Validates length and hashes. */
  public TargetFile {
    hashes = Map.copyOf(hashes);
    if (length < 0) {
      throw Json.malformed("target length must be >= 0, was " + length);
    }
    if (hashes.isEmpty()) {
      throw Json.malformed("target must list at least one hash");
    }
  }

  /** The entry for {@code content}: its length and SHA-256. */
  public static TargetFile of(byte[] content, JsonNode custom) {
    return new TargetFile(content.length, Map.of("sha256", Hashes.sha256Hex(content)), custom);
  }

  /** The SHA-256 hex digest, used as the consistent-snapshot file name prefix. */
  public String sha256() {
    String h = hashes.get("sha256");
    return h != null ? h : hashes.values().iterator().next();
  }

  static TargetFile fromJson(JsonNode json, String what) {
    JsonNode custom = json.has("custom") ? json.get("custom") : MissingNode.getInstance();
    return new TargetFile(Json.integer(json, "length", what), Hashes.fromJson(json, what), custom);
  }

  ObjectNode toJson() {
    ObjectNode json = Json.newObject();
    json.put("length", length);
    ObjectNode h = json.putObject("hashes");
    hashes.forEach(h::put);
    if (!custom.isMissingNode()) {
      json.set("custom", custom);
    }
    return json;
  }
}
