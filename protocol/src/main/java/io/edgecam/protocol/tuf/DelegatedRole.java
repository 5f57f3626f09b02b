package io.edgecam.protocol.tuf;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;

/**
 * A targets role delegated by a targets role: its name, keys, threshold, the target paths it may
 * sign for, and whether the search stops at it.
 *
 * @param name role name, also its metadata file name ({@code <name>.json})
 * @param role key ids and threshold
 * @param paths shell-style patterns ({@code *} and {@code ?} never match {@code /})
 * @param terminating if true, roles after this one are not searched for a matching path
 */
public record DelegatedRole(String name, Role role, List<String> paths, boolean terminating) {
  /** Validates the name (it becomes a file name). */
  public DelegatedRole {
    paths = List.copyOf(paths);
    if (!name.matches("[A-Za-z0-9][A-Za-z0-9_.-]*") || TopLevel.isTopLevel(name)) {
      throw Json.malformed("delegated role name must be a plain file name, was " + name);
    }
  }

  /** True if this role may sign for {@code targetPath}. */
  public boolean matches(String targetPath) {
    return paths.stream().anyMatch(p -> PathPattern.matches(p, targetPath));
  }

  static DelegatedRole fromJson(JsonNode json, String what) {
    if (json.has("path_hash_prefixes")) {
      throw Json.malformed(what + ": path_hash_prefixes delegations are not supported");
    }
    return new DelegatedRole(
        Json.text(json, "name", what),
        Role.fromJson(json, what),
        Json.strings(json, "paths", what),
        Json.bool(json, "terminating", what));
  }

  ObjectNode toJson() {
    ObjectNode json = role.toJson();
    json.put("name", name);
    json.set("paths", Json.array(paths));
    json.put("terminating", terminating);
    return json;
  }
}
