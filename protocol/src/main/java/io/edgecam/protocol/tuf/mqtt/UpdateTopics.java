package io.edgecam.protocol.tuf.mqtt;

import io.edgecam.protocol.Ids;
import io.edgecam.protocol.MalformedMessageException;
import io.edgecam.protocol.Topics;
import java.util.regex.Pattern;

/**
 * Topics of the update channel of a site (docs/protocol.md, "Updates"). Everything is retained, QoS
 * 1, published by the maintainer only (broker ACL); devices only subscribe.
 *
 * <pre>
 * edgecam/v1/{site}/updates/meta/{file}                 TUF metadata file, e.g. 3.root.json,
 *                                                      timestamp.json, 7.snapshot.json
 * edgecam/v1/{site}/updates/targets/{target path}/{i}  chunk i of a target file, e.g.
 *                                                      .../targets/models/&lt;sha256&gt;.m.tflite/0
 * </pre>
 *
 * The device id {@code updates} is reserved ({@link Ids#RESERVED_DEVICE_IDS}) so that a per-device
 * ACL on {@code edgecam/v1/{site}/{device}/#} can never grant write access to these topics.
 * Thread-safe (stateless).
 */
public final class UpdateTopics {
  /** The level after the site. */
  public static final String UPDATES = "updates";

  /** Longest metadata file name. */
  public static final int MAX_NAME = 128;

  /** Longest target path. */
  public static final int MAX_PATH = 200;

  private static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,122}\\.json");
  private static final Pattern SEGMENT = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._@+=-]{0,127}");

  private UpdateTopics() {}

  /** {@code edgecam/v1/{site}/updates}. */
  public static String prefix(String site) {
    return Topics.ROOT + "/" + Ids.require("site", site) + "/" + UPDATES;
  }

  /**
   * The topic of metadata file {@code name}.
   *
   * @throws IllegalArgumentException if site or name is invalid
   */
  public static String metadata(String site, String name) {
    requireName(name);
    return prefix(site) + "/meta/" + name;
  }

  /** {@code edgecam/v1/{site}/updates/meta/+}: every metadata file. */
  public static String metadataFilter(String site) {
    return prefix(site) + "/meta/+";
  }

  /**
   * The topic of chunk {@code index} of target {@code path} (as the repository stores it, e.g.
   * {@code watchlist/<sha256>.bundle-v3.cbor}).
   *
   * @throws IllegalArgumentException if site, path or index is invalid
   */
  public static String chunk(String site, String path, int index) {
    requirePath(path);
    if (index < 0) {
      throw new IllegalArgumentException("chunk index must be >= 0, was " + index);
    }
    return prefix(site) + "/targets/" + path + "/" + index;
  }

  /** {@code edgecam/v1/{site}/updates/targets/{path}/+}: every chunk of one target. */
  public static String chunkFilter(String site, String path) {
    requirePath(path);
    return prefix(site) + "/targets/" + path + "/+";
  }

  /** {@code edgecam/v1/{site}/updates/targets/#}: every chunk of every target (maintainer). */
  public static String allChunksFilter(String site) {
    return prefix(site) + "/targets/#";
  }

  /**
   * The metadata file name of a metadata topic of {@code site}.
   *
   * @throws MalformedMessageException if {@code topic} is not one
   */
  public static String parseMetadata(String site, String topic) {
    String p = prefix(site) + "/meta/";
    if (topic == null || !topic.startsWith(p)) {
      throw new MalformedMessageException("update topic: not below " + p);
    }
    String name = topic.substring(p.length());
    if (!isValidName(name)) {
      throw new MalformedMessageException("update topic: invalid metadata file name");
    }
    return name;
  }

  /** A parsed chunk topic. */
  public record ChunkTopic(String path, int index) {}

  /**
   * Target path and chunk index of a chunk topic of {@code site}.
   *
   * @throws MalformedMessageException if {@code topic} is not one
   */
  public static ChunkTopic parseChunk(String site, String topic) {
    String p = prefix(site) + "/targets/";
    if (topic == null || !topic.startsWith(p)) {
      throw new MalformedMessageException("update topic: not below " + p);
    }
    String rest = topic.substring(p.length());
    int slash = rest.lastIndexOf('/');
    if (slash < 1) {
      throw new MalformedMessageException("update topic: chunk topic without a target path");
    }
    String path = rest.substring(0, slash);
    String index = rest.substring(slash + 1);
    if (!isValidPath(path) || !index.matches("0|[1-9][0-9]{0,8}")) {
      throw new MalformedMessageException("update topic: invalid target path or chunk index");
    }
    return new ChunkTopic(path, Integer.parseInt(index));
  }

  /** Whether {@code name} may be a metadata file name ({@code [A-Za-z0-9][A-Za-z0-9._-]*.json}). */
  public static boolean isValidName(String name) {
    return name != null && name.length() <= MAX_NAME && NAME.matcher(name).matches();
  }

  /**
   * Whether {@code path} may be a target path: 1..8 {@code /}-separated segments of {@code
   * [A-Za-z0-9][A-Za-z0-9._@+=-]*}, at most {@value #MAX_PATH} characters (no MQTT wildcards, no
   * {@code ..}, no empty level).
   */
  public static boolean isValidPath(String path) {
    if (path == null || path.isEmpty() || path.length() > MAX_PATH) {
      return false;
    }
    String[] segments = path.split("/", -1);
    if (segments.length > 8) {
      return false;
    }
    for (String s : segments) {
      if (!SEGMENT.matcher(s).matches() || s.contains("..")) {
        return false;
      }
    }
    return true;
  }

  private static void requireName(String name) {
    if (!isValidName(name)) {
      throw new IllegalArgumentException(
          "metadata file name must match [A-Za-z0-9][A-Za-z0-9._-]*.json, was " + name);
    }
  }

  private static void requirePath(String path) {
    if (!isValidPath(path)) {
      throw new IllegalArgumentException("invalid target path for MQTT topics: " + path);
    }
  }
}
