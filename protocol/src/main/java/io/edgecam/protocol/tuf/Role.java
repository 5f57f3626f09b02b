package io.edgecam.protocol.tuf;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.HashSet;
import java.util.List;

/**
 * The keys trusted for a role and how many of them must sign, as listed in root metadata.
 *
 * @param keyIds ids of the keys allowed to sign the role, without duplicates
 * @param threshold minimum number of distinct keys whose signatures must verify, at least 1
 */
public record Role(List<String> keyIds, int threshold) {
  /** Validates threshold and key ids. */
  public Role {
    keyIds = List.copyOf(keyIds);
    if (threshold < 1) {
      throw Json.malformed("role threshold must be >= 1, was " + threshold);
    }
    if (new HashSet<>(keyIds).size() != keyIds.size()) {
      throw Json.malformed("role key ids must be unique: " + keyIds);
    }
  }

  static Role fromJson(JsonNode json, String what) {
    long threshold = Json.integer(json, "threshold", what);
    if (threshold > Integer.MAX_VALUE) {
      throw Json.malformed(what + ": threshold too large: " + threshold);
    }
    return new Role(Json.strings(json, "keyids", what), (int) threshold);
  }

  ObjectNode toJson() {
    ObjectNode json = Json.newObject();
    json.set("keyids", Json.array(keyIds));
    json.put("threshold", threshold);
    return json;
  }
}
