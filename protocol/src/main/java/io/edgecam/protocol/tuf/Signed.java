package io.edgecam.protocol.tuf;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Instant;

/** The {@code signed} part of a TUF metadata file. Implementations are immutable records. */
public sealed interface Signed permits Root, Targets, Snapshot, Timestamp {
  /** The TUF specification version this library writes. */
  String SPEC_VERSION = "1.0.31";

  /** The {@code _type}: root, targets, snapshot or timestamp. */
  String type();

  /** The metadata version, starting at 1. */
  long version();

  /** When the metadata stops being trusted. */
  Instant expires();

  /** True if expired at {@code now} (the spec treats {@code now >= expires} as expired). */
  default boolean isExpired(Instant now) {
    return !now.isBefore(expires());
  }

  /** The JSON of the signed part, the common fields included. */
  ObjectNode toJson();

  /** The common fields every role writes first. */
  static ObjectNode header(String type, long version, Instant expires) {
    ObjectNode json = Json.newObject();
    json.put("_type", type);
    json.put("spec_version", SPEC_VERSION);
    json.put("version", version);
    json.put("expires", Json.format(expires));
    return json;
  }

  /** Checks {@code _type} and {@code spec_version} (major version 1) of a signed part. */
  static void checkHeader(JsonNode json, String type, String what) {
    String actual = Json.text(json, "_type", what);
    if (!type.equals(actual)) {
      throw Json.malformed(what + ": _type is " + actual + ", expected " + type);
    }
    String spec = Json.text(json, "spec_version", what);
    if (!spec.matches("1\\.\\d+(\\.\\d+)?")) {
      throw Json.malformed(what + ": unsupported spec_version " + spec);
    }
    if (Json.integer(json, "version", what) < 1) {
      throw Json.malformed(what + ": version must be >= 1");
    }
  }
}
