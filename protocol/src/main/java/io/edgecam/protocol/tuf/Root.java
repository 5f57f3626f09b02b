package io.edgecam.protocol.tuf;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Root metadata: the keys and thresholds of the four top-level roles.
 *
 * @param version version, each rotation adds 1
 * @param expires expiry
 * @param consistentSnapshot whether files are published under version and hash prefixes
 * @param keys key id to key, for all top-level roles
 * @param roles the four top-level role names to their keys and threshold
 */
public record Root(
    long version,
    Instant expires,
    boolean consistentSnapshot,
    Map<String, TufKey> keys,
    Map<String, Role> roles)
    implements Signed {
  /** Validates that all four roles are present and their keys are listed. */
  public Root {
    keys = Map.copyOf(keys);
    roles = Map.copyOf(roles);
    for (String name : TopLevel.ALL) {
      Role role = roles.get(name);
      if (role == null) {
        throw Json.malformed("root v" + version + ": missing role " + name);
      }
      for (String id : role.keyIds()) {
        if (!keys.containsKey(id)) {
          throw Json.malformed("root v" + version + ": role " + name + " names unknown key " + id);
        }
      }
    }
    keys.forEach(
        (id, key) -> {
          if (!id.equals(key.keyId())) {
            throw Json.malformed("root v" + version + ": key id " + id + " does not match its key");
          }
        });
  }

  @Override
  public String type() {
    return TopLevel.ROOT;
  }

  /** The keys and threshold of top-level role {@code name}. */
  public Role role(String name) {
    return roles.get(name);
  }

  @Override
  public ObjectNode toJson() {
    ObjectNode json = Signed.header(type(), version, expires);
    json.put("consistent_snapshot", consistentSnapshot);
    ObjectNode keysJson = json.putObject("keys");
    keys.forEach((id, key) -> keysJson.set(id, key.toJson()));
    ObjectNode rolesJson = json.putObject("roles");
    roles.forEach((name, role) -> rolesJson.set(name, role.toJson()));
    return json;
  }

  static Root fromJson(JsonNode json) {
    String what = "root";
    Signed.checkHeader(json, TopLevel.ROOT, what);
    Map<String, TufKey> keys = new LinkedHashMap<>();
    Json.object(json, "keys", what)
        .properties()
        .forEach(e -> keys.put(e.getKey(), TufKey.fromJson(e.getValue(), "root key")));
    Map<String, Role> roles = new LinkedHashMap<>();
    Json.object(json, "roles", what)
        .properties()
        .forEach(
            e -> roles.put(e.getKey(), Role.fromJson(e.getValue(), "root role " + e.getKey())));
    return new Root(
        Json.integer(json, "version", what),
        Json.instant(json, "expires", what),
        json.has("consistent_snapshot") && Json.bool(json, "consistent_snapshot", what),
        keys,
        roles);
  }
}
