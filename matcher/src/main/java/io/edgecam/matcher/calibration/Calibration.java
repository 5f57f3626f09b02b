package io.edgecam.matcher.calibration;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import org.jspecify.annotations.Nullable;

/**
 * An embedder's calibration, the {@code calibration} object of its model manifest: the impostor
 * score tail (pairs of different people) and the genuine scores (pairs of the same person) measured
 * on a set of real photos, counted on the {@link ScoreTail} grid. It is what the matcher's
 * operating point starts from (docs/matcher.md, "Operating point"); {@code edgecam model calibrate}
 * writes it. Immutable.
 *
 * @param manifest the manifest file it was read from (for messages)
 * @param modelTag the embedding space it describes (the manifest's {@code tag})
 * @param images which images, how many, where from
 * @param produced how it was produced (command, date)
 * @param impostors impostor pairs and their tail
 * @param genuinePairs genuine pairs scored (0: no genuine scores, miss rate unknown)
 * @param genuineBelow per grid point, genuine pairs scoring below it (missed at that threshold)
 */
public record Calibration(
    String manifest,
    String modelTag,
    String images,
    String produced,
    ScoreTail impostors,
    long genuinePairs,
    long[] genuineBelow) {

  private static final ObjectMapper JSON = new ObjectMapper();

  /** No calibration: no evidence, so every false match rate is bounded by 1 only. */
  public static final Calibration NONE =
      new Calibration(
          "none", "unknown", "none", "none", ScoreTail.EMPTY, 0, new long[ScoreTail.POINTS]);

  public Calibration {
    if (genuineBelow.length != ScoreTail.POINTS) {
      throw new IllegalArgumentException(
          "genuineBelow must have " + ScoreTail.POINTS + " counts, has " + genuineBelow.length);
    }
    genuineBelow = genuineBelow.clone();
  }

  /**
   * Expected miss rate (FNMR) at grid point {@code i}: the share of genuine pairs scoring below it;
   * NaN without genuine pairs.
   */
  public double fnmr(int i) {
    return genuinePairs == 0 ? Double.NaN : (double) genuineBelow[i] / genuinePairs;
  }

  /** The genuine counts, a copy. */
  @Override
  public long[] genuineBelow() {
    return genuineBelow.clone();
  }

  /**
   * Reads the {@code calibration} object of a model manifest.
   *
   * @throws CalibrationException naming the file and the field if it is missing or malformed
   */
  public static Calibration read(Path manifest) {
    byte[] bytes;
    try {
      bytes = Files.readAllBytes(manifest);
    } catch (NoSuchFileException e) {
      throw new CalibrationException(manifest + ": no such model manifest", e);
    } catch (IOException e) {
      throw new CalibrationException(manifest + ": cannot read: " + e.getMessage(), e);
    }
    return parse(bytes, manifest.toString());
  }

  /**
   * Parses manifest JSON; {@code name} is used in messages.
   *
   * @throws CalibrationException naming {@code name} and the field for anything that is not a valid
   *     calibration
   */
  public static Calibration parse(byte[] manifestJson, String name) {
    JsonNode root;
    try {
      root = JSON.readTree(manifestJson);
    } catch (IOException e) {
      throw new CalibrationException(name + ": not JSON: " + e.getMessage(), e);
    }
    if (root == null || !root.isObject()) {
      throw new CalibrationException(name + ": not a JSON object");
    }
    JsonNode c = root.get("calibration");
    if (c == null || !c.isObject()) {
      throw new CalibrationException(
          name
              + ": no calibration object (write one with: edgecam model calibrate DIR --manifest "
              + name
              + ")");
    }
    String tag = text(root, "tag", name, "tag");
    String where = name + ": calibration.";
    long impostorPairs = count(c, "impostorPairs", where);
    long genuinePairs = count(c, "genuinePairs", where);
    try {
      ScoreTail tail = ScoreTail.of(impostorPairs, counts(c, "impostorAtOrAbove", where));
      long[] below = counts(c, "genuineBelow", where);
      check(below, genuinePairs, where + "genuineBelow");
      return new Calibration(
          name,
          tag,
          text(c, "images", name, "calibration.images"),
          text(c, "produced", name, "calibration.produced"),
          tail,
          genuinePairs,
          below);
    } catch (IllegalArgumentException e) {
      throw new CalibrationException(where + "impostorAtOrAbove " + e.getMessage(), e);
    }
  }

  private static void check(long[] below, long pairs, String key) {
    for (int i = 0; i < below.length; i++) {
      if (below[i] < 0 || below[i] > pairs || (i > 0 && below[i] < below[i - 1])) {
        throw new CalibrationException(
            key
                + " must be non-decreasing counts in 0.."
                + pairs
                + ", was "
                + below[i]
                + " at "
                + ScoreTail.threshold(i));
      }
    }
  }

  private static String text(JsonNode node, String field, String name, String key) {
    JsonNode v = node.get(field);
    if (v == null || !v.isTextual() || v.asText().isBlank()) {
      throw new CalibrationException(name + ": " + key + " must be a non-empty string");
    }
    return v.asText();
  }

  private static long count(JsonNode c, String field, String where) {
    JsonNode v = c.get(field);
    if (v == null || !v.canConvertToLong() || !v.isIntegralNumber() || v.asLong() < 0) {
      throw new CalibrationException(where + field + " must be a count >= 0, was " + v);
    }
    return v.asLong();
  }

  private static long[] counts(JsonNode c, String field, String where) {
    JsonNode v = c.get(field);
    if (v == null || !v.isArray() || v.size() != ScoreTail.POINTS) {
      throw new CalibrationException(
          where
              + field
              + " must be an array of "
              + ScoreTail.POINTS
              + " counts (thresholds 0.00 to 1.00 in steps of 0.01), was "
              + (v == null ? "missing" : v.isArray() ? v.size() + " values" : v.getNodeType()));
    }
    long[] out = new long[ScoreTail.POINTS];
    for (int i = 0; i < out.length; i++) {
      JsonNode n = v.get(i);
      if (!n.isIntegralNumber() || !n.canConvertToLong()) {
        throw new CalibrationException(where + field + "[" + i + "] must be a count, was " + n);
      }
      out[i] = n.asLong();
    }
    return out;
  }

  /** The {@code calibration} object as written into a manifest. */
  public ObjectNode toJson() {
    ObjectNode c = JSON.createObjectNode();
    c.put("images", images);
    c.put("produced", produced);
    c.put(
        "method",
        "cosine of int8-quantized embeddings of every pair of images; per threshold 0.00..1.00"
            + " (step 0.01): impostor pairs at or above it, genuine pairs below it");
    c.put("impostorPairs", impostors.pairs());
    ArrayNode tail = c.putArray("impostorAtOrAbove");
    for (long n : impostors.counts()) {
      tail.add(n);
    }
    c.put("genuinePairs", genuinePairs);
    ArrayNode below = c.putArray("genuineBelow");
    for (long n : genuineBelow) {
      below.add(n);
    }
    return c;
  }

  /** Highest impostor grid point with a count, or -1 if no impostor scored at 0 or above. */
  public int highestImpostorPoint() {
    for (int i = ScoreTail.POINTS - 1; i >= 0; i--) {
      if (impostors.atOrAbove(i) > 0) {
        return i;
      }
    }
    return -1;
  }

  @Override
  public boolean equals(@Nullable Object o) {
    return o instanceof Calibration c
        && c.manifest.equals(manifest)
        && c.modelTag.equals(modelTag)
        && c.impostors.equals(impostors)
        && c.genuinePairs == genuinePairs
        && java.util.Arrays.equals(c.genuineBelow, genuineBelow);
  }

  @Override
  public int hashCode() {
    return manifest.hashCode() * 31 + impostors.hashCode();
  }
}
