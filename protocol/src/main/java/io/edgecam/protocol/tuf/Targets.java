package io.edgecam.protocol.tuf;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Targets metadata, of the top-level targets role or of a delegated role.
 *
 * @param version version
 * @param expires expiry
 * @param targets target path (e.g. {@code watchlist/bundle.bin}) to its length and hashes
 * @param delegations roles this role delegates to, {@link Delegations#NONE} if none
 */
public record Targets(
    long version, Instant expires, Map<String, TargetFile> targets, Delegations delegations)
    implements Signed {
  /** Copies the maps. */
  public Targets {
    targets = Map.copyOf(targets);
  }

  @Override
  public String type() {
    return TopLevel.TARGETS;
  }

  @Override
  public ObjectNode toJson() {
    ObjectNode json = Signed.header(type(), version, expires);
    ObjectNode targetsJson = json.putObject("targets");
    targets.forEach((path, file) -> targetsJson.set(path, file.toJson()));
    if (!delegations.roles().isEmpty() || !delegations.keys().isEmpty()) {
      json.set("delegations", delegations.toJson());
    }
    return json;
  }

  static Targets fromJson(JsonNode json) {
    String what = "targets";
    Signed.checkHeader(json, TopLevel.TARGETS, what);
    Map<String, TargetFile> targets = new LinkedHashMap<>();
    Json.object(json, "targets", what)
        .properties()
        .forEach(e -> targets.put(e.getKey(), TargetFile.fromJson(e.getValue(), e.getKey())));
    Delegations delegations =
        json.has("delegations")
            ? Delegations.fromJson(Json.object(json, "delegations", what), "delegations")
            : Delegations.NONE;
    return new Targets(
        Json.integer(json, "version", what),
        Json.instant(json, "expires", what),
        targets,
        delegations);
  }
}
