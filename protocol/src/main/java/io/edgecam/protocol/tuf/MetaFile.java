package io.edgecam.protocol.tuf;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A metadata file as another role refers to it (the snapshot's {@code meta} entries, the
 * timestamp's snapshot entry).
 *
 * @param version the version the file must have
 * @param length its exact length in bytes, or {@link #UNKNOWN_LENGTH} when not listed
 * @param hashes algorithm to lowercase hex digest; empty when not listed
 */
public record MetaFile(long version, long length, Map<String, String> hashes) {
  /** {@link #length()} when the referring metadata does not list one. */
  public static final long UNKNOWN_LENGTH = -1;

  /** Validates version and length. */
  public MetaFile {
    hashes = Map.copyOf(hashes);
    if (version < 1) {
      throw Json.malformed("meta version must be >= 1, was " + version);
    }
    if (length < UNKNOWN_LENGTH) {
      throw Json.malformed("meta length must be >= 0, was " + length);
    }
  }

  /** A reference by version only (how snapshot lists targets roles by default). */
  public static MetaFile ofVersion(long version) {
    return new MetaFile(version, UNKNOWN_LENGTH, Map.of());
  }

  /** A reference by version, length and SHA-256 of {@code bytes}. */
  public static MetaFile of(long version, byte[] bytes) {
    return new MetaFile(version, bytes.length, Map.of("sha256", Hashes.sha256Hex(bytes)));
  }

  static MetaFile fromJson(JsonNode json, String what) {
    long length = json.has("length") ? Json.integer(json, "length", what) : UNKNOWN_LENGTH;
    Map<String, String> hashes = json.has("hashes") ? Hashes.fromJson(json, what) : Map.of();
    return new MetaFile(Json.integer(json, "version", what), length, hashes);
  }

  ObjectNode toJson() {
    ObjectNode json = Json.newObject();
    json.put("version", version);
    if (length != UNKNOWN_LENGTH) {
      json.put("length", length);
    }
    if (!hashes.isEmpty()) {
      ObjectNode h = json.putObject("hashes");
      new LinkedHashMap<>(hashes).forEach(h::put);
    }
    return json;
  }
}
