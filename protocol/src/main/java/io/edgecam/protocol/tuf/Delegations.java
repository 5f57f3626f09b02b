package io.edgecam.protocol.tuf;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The {@code delegations} of a targets role: the keys of its delegated roles and the roles in order
 * of trust (earlier roles are searched first).
 *
 * @param keys key id to public key
 * @param roles delegated roles, names unique
 */
public record Delegations(Map<String, TufKey> keys, List<DelegatedRole> roles) {
  /** No delegations. */
  public static final Delegations NONE = new Delegations(Map.of(), List.of());

  /** Validates that role names are unique and key ids match their keys. */
  public Delegations {
    keys = Map.copyOf(keys);
    roles = List.copyOf(roles);
    Set<String> names = new HashSet<>();
    for (DelegatedRole r : roles) {
      if (!names.add(r.name())) {
        throw Json.malformed("delegated role listed twice: " + r.name());
      }
    }
    keys.forEach(
        (id, key) -> {
          if (!id.equals(key.keyId())) {
            throw Json.malformed("key id " + id + " is not the id of its key " + key.keyId());
          }
        });
  }

  static Delegations fromJson(JsonNode json, String what) {
    Map<String, TufKey> keys = new LinkedHashMap<>();
    Json.object(json, "keys", what)
        .properties()
        .forEach(e -> keys.put(e.getKey(), TufKey.fromJson(e.getValue(), what + " key")));
    JsonNode rolesJson = Json.required(json, "roles", what);
    if (!rolesJson.isArray()) {
      throw Json.malformed(what + ": roles must be an array");
    }
    List<DelegatedRole> roles = new ArrayList<>();
    for (JsonNode r : rolesJson) {
      roles.add(DelegatedRole.fromJson(r, what + " role"));
    }
    return new Delegations(keys, roles);
  }

  ObjectNode toJson() {
    ObjectNode json = Json.newObject();
    ObjectNode keysJson = json.putObject("keys");
    keys.forEach((id, key) -> keysJson.set(id, key.toJson()));
    ArrayNode rolesJson = json.putArray("roles");
    roles.forEach(r -> rolesJson.add(r.toJson()));
    return json;
  }
}
