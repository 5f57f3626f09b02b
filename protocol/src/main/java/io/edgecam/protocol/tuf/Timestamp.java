package io.edgecam.protocol.tuf;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Instant;

/**
 * Timestamp metadata: short-lived, re-signed often, names the current snapshot.
 *
 * @param version version
 * @param expires expiry
 * @param snapshot version (and length and hashes) of {@code snapshot.json}
 */
public record Timestamp(long version, Instant expires, MetaFile snapshot) implements Signed {
  /** The file name under which timestamp lists the snapshot. */
  public static final String SNAPSHOT_FILE = "snapshot.json";

  @Override
  public String type() {
    return TopLevel.TIMESTAMP;
  }

  @Override
  public ObjectNode toJson() {
    ObjectNode json = Signed.header(type(), version, expires);
    json.putObject("meta").set(SNAPSHOT_FILE, snapshot.toJson());
    return json;
  }

  static Timestamp fromJson(JsonNode json) {
    String what = "timestamp";
    Signed.checkHeader(json, TopLevel.TIMESTAMP, what);
    ObjectNode meta = Json.object(json, "meta", what);
    if (meta.size() != 1) {
      throw Json.malformed(what + ": meta must list only " + SNAPSHOT_FILE);
    }
    return new Timestamp(
        Json.integer(json, "version", what),
        Json.instant(json, "expires", what),
        MetaFile.fromJson(Json.object(meta, SNAPSHOT_FILE, what), "timestamp meta"));
  }
}
