package io.edgecam.protocol.tuf;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Snapshot metadata: the versions of all targets metadata ({@code targets.json} and every delegated
 * role's file), so that a client never mixes files from different repository states.
 *
 * @param version version
 * @param expires expiry
 * @param meta file name (e.g. {@code watchlist.json}) to the version it must have
 */
public record Snapshot(long version, Instant expires, Map<String, MetaFile> meta)
    implements Signed {
  /** Copies the map. */
  public Snapshot {
    meta = Map.copyOf(meta);
  }

  @Override
  public String type() {
    return TopLevel.SNAPSHOT;
  }

  @Override
  public ObjectNode toJson() {
    ObjectNode json = Signed.header(type(), version, expires);
    ObjectNode metaJson = json.putObject("meta");
    meta.forEach((name, file) -> metaJson.set(name, file.toJson()));
    return json;
  }

  static Snapshot fromJson(JsonNode json) {
    String what = "snapshot";
    Signed.checkHeader(json, TopLevel.SNAPSHOT, what);
    Map<String, MetaFile> meta = new LinkedHashMap<>();
    Json.object(json, "meta", what)
        .properties()
        .forEach(
            e ->
                meta.put(
                    e.getKey(), MetaFile.fromJson(e.getValue(), "snapshot meta " + e.getKey())));
    return new Snapshot(
        Json.integer(json, "version", what), Json.instant(json, "expires", what), meta);
  }
}
