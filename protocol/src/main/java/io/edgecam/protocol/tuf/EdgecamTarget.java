package io.edgecam.protocol.tuf;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.math.BigDecimal;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * What edgecam writes into a TUF target's {@code custom} field (docs/updates.md, "Target custom
 * metadata"):
 *
 * <pre>
 * {"edgecam": {"kind": "watchlist" | "model", "name": ..., "version": N,
 *              "rollout": {"devices": [...], "percent": 0..100, "seed": "..."},   (optional)
 *              "model": {"manifest": {...}, "minAgentVersion": "0.1.0",           (models only)
 *                        "selfTest": {"image": "models/...", "faces": 1, "dimensions": 192,
 *                                     "embedding": "&lt;base64 float32 LE&gt;", "minCosine": "0.95"}}}}
 * </pre>
 *
 * TUF metadata is canonical JSON, which has no floating-point numbers: the expected embedding is
 * therefore base64 of little-endian float32 values and {@code minCosine} a decimal string.
 *
 * <p>Device rule: for each (kind, name) a device uses the <b>highest-version target whose rollout
 * includes it</b> ({@link #select}); a device not included keeps what it has, so the maintainer
 * leaves the previous target listed until a rollout has reached everyone.
 *
 * <p>Parsing ({@link #parse}) is strict: unknown keys, wrong types and out-of-range values are
 * rejected with a MALFORMED {@link TufException} naming the target path and the key.
 *
 * @param kind watchlist or model
 * @param name what the device replaces: the watchlist's embedding space (model tag) or the model
 *     slot (e.g. {@code blazeface-short-range})
 * @param version monotonic per (kind, name), >= 1
 * @param rollout who may use it; null = every device
 * @param model the model details, present exactly for {@link Kind#MODEL}
 */
public record EdgecamTarget(
    Kind kind, String name, long version, @Nullable Rollout rollout, @Nullable ModelInfo model) {

  /** The key under {@code custom}. */
  public static final String KEY = "edgecam";

  /** What a target is. */
  public enum Kind {
    /** A watchlist bundle ({@code io.edgecam.protocol.bundle.WatchlistBundle}). */
    WATCHLIST("watchlist"),
    /** A TFLite model with its manifest and self-test. */
    MODEL("model");

    private final String wire;

    Kind(String wire) {
      this.wire = wire;
    }

    /** The JSON value. */
    public String wire() {
      return wire;
    }

    static Optional<Kind> of(String wire) {
      for (Kind k : values()) {
        if (k.wire.equals(wire)) {
          return Optional.of(k);
        }
      }
      return Optional.empty();
    }
  }

  /** Validates the fields; throws IllegalArgumentException naming the bad one. */
  public EdgecamTarget {
    if (kind == null) {
      throw new IllegalArgumentException("kind must be set");
    }
    if (name == null || !name.matches(NAME)) {
      throw new IllegalArgumentException(
          "name must be 1-64 characters of [A-Za-z0-9._@+-] starting with a letter or digit, was "
              + name);
    }
    if (version < 1) {
      throw new IllegalArgumentException("version must be >= 1, was " + version);
    }
    if ((kind == Kind.MODEL) != (model != null)) {
      throw new IllegalArgumentException(
          kind == Kind.MODEL ? "a model target needs model details" : "only models have details");
    }
  }

  private static final String NAME = "[A-Za-z0-9][A-Za-z0-9._@+-]{0,63}";

  /** Whether {@code deviceId} may use this target. */
  public boolean includes(String deviceId) {
    return rollout == null || rollout.includes(deviceId);
  }

  /** Status {@code versions} key of this target's kind and name: watchlist or model.NAME. */
  public String statusKey() {
    return kind == Kind.WATCHLIST ? "watchlist" : "model." + name;
  }

  /** The same target with another rollout (null: everyone). */
  public EdgecamTarget withRollout(@Nullable Rollout r) {
    return new EdgecamTarget(kind, name, version, r, model);
  }

  /**
   * The custom metadata of a target, or empty if it has no {@code edgecam} key.
   *
   * @param path the target path, for messages
   * @throws TufException MALFORMED naming path and key if the edgecam object is invalid
   */
  public static Optional<EdgecamTarget> parse(String path, JsonNode custom) {
    if (custom == null || !custom.isObject() || !custom.has(KEY)) {
      return Optional.empty();
    }
    String at = "target " + path + ": custom." + KEY;
    ObjectNode o = object(custom.get(KEY), at);
    only(o, at, "kind", "name", "version", "rollout", "model");
    String kindText = text(o, "kind", at);
    Kind kind =
        Kind.of(kindText)
            .orElseThrow(
                () -> bad(at + ".kind must be watchlist or model, was '" + kindText + "'"));
    String name = text(o, "name", at);
    long version = integer(o, "version", at, 1, Long.MAX_VALUE);
    Rollout rollout = o.has("rollout") ? Rollout.parse(o.get("rollout"), at + ".rollout") : null;
    ModelInfo model = null;
    if (kind == Kind.MODEL) {
      model = ModelInfo.parse(required(o, "model", at), at + ".model");
    } else if (o.has("model")) {
      throw bad(at + ".model is only allowed for kind model");
    }
    try {
      return Optional.of(new EdgecamTarget(kind, name, version, rollout, model));
    } catch (IllegalArgumentException e) {
      throw bad(at + ": " + e.getMessage());
    }
  }

  /** The {@code custom} object for this target: {@code {"edgecam": {...}}}. */
  public ObjectNode toCustom() {
    ObjectNode custom = JsonNodeFactory.instance.objectNode();
    ObjectNode o = custom.putObject(KEY);
    o.put("kind", kind.wire());
    o.put("name", name);
    o.put("version", version);
    if (rollout != null) {
      o.set("rollout", rollout.toJson());
    }
    if (model != null) {
      o.set("model", model.toJson());
    }
    return custom;
  }

  /** A target path and its parsed edgecam metadata. */
  public record Listed(String path, TargetFile file, EdgecamTarget target) {}

  /**
   * The device rule: among {@code targets} (path to file, e.g. all targets of a role), the
   * highest-version one of {@code kind} and {@code name} whose rollout includes {@code deviceId}.
   * Targets without edgecam metadata are skipped; invalid edgecam metadata throws (the role was
   * signed by the maintainer, so it is a maintainer bug worth reporting).
   */
  public static Optional<Listed> select(
      Map<String, TargetFile> targets, Kind kind, String name, String deviceId) {
    Listed best = null;
    for (Map.Entry<String, TargetFile> e : targets.entrySet()) {
      Optional<EdgecamTarget> t = parse(e.getKey(), e.getValue().custom());
      if (t.isEmpty() || t.get().kind() != kind || !t.get().name().equals(name)) {
        continue;
      }
      if (t.get().includes(deviceId)
          && (best == null || t.get().version() > best.target().version())) {
        best = new Listed(e.getKey(), e.getValue(), t.get());
      }
    }
    return Optional.ofNullable(best);
  }

  /**
   * Compares dotted numeric versions ({@code 0.1.0}, {@code 1.2}); a suffix after {@code -} is
   * ignored, missing parts are 0.
   *
   * @throws IllegalArgumentException if a part is not a number
   */
  public static int compareVersions(String a, String b) {
    String[] x = a.split("-", 2)[0].split("\\.");
    String[] y = b.split("-", 2)[0].split("\\.");
    for (int i = 0; i < Math.max(x.length, y.length); i++) {
      long p = i < x.length ? parseVersionPart(x[i], a) : 0;
      long q = i < y.length ? parseVersionPart(y[i], b) : 0;
      if (p != q) {
        return Long.compare(p, q);
      }
    }
    return 0;
  }

  private static long parseVersionPart(String part, String whole) {
    if (!part.matches("\\d{1,18}")) {
      throw new IllegalArgumentException("not a dotted numeric version: " + whole);
    }
    return Long.parseLong(part);
  }

  /**
   * Who gets a target. A device is included if it is listed, or if the first 8 bytes of {@code
   * sha256(seed + ":" + deviceId)} as an unsigned number, mod 100, are below {@code percent}. So
   * 100 includes everyone, 0 only the listed devices, and raising the percent (same seed) only adds
   * devices.
   *
   * @param devices device ids always included
   * @param percent 0..100
   * @param seed salt of the percentage draw (the maintainer uses name and version, so each rollout
   *     draws its own canaries)
   */
  public record Rollout(List<String> devices, int percent, String seed) {
    /** Validates; throws IllegalArgumentException naming the bad field. */
    public Rollout {
      devices = List.copyOf(devices);
      if (percent < 0 || percent > 100) {
        throw new IllegalArgumentException("rollout percent must be in 0..100, was " + percent);
      }
      if (seed == null || seed.length() > 128) {
        throw new IllegalArgumentException("rollout seed must be 0..128 characters");
      }
      if (devices.size() > 100_000) {
        throw new IllegalArgumentException("rollout lists more than 100000 devices");
      }
    }

    /** Whether {@code deviceId} is in this rollout. */
    public boolean includes(String deviceId) {
      return devices.contains(deviceId) || bucket(seed, deviceId) < percent;
    }

    /** The device's draw, 0..99. */
    public static int bucket(String seed, String deviceId) {
      try {
        byte[] h =
            MessageDigest.getInstance("SHA-256")
                .digest((seed + ":" + deviceId).getBytes(StandardCharsets.UTF_8));
        long first8 = ByteBuffer.wrap(h, 0, 8).getLong();
        return (int) Long.remainderUnsigned(first8, 100);
      } catch (NoSuchAlgorithmException e) {
        throw new IllegalStateException("SHA-256 missing from the JDK", e);
      }
    }

    static Rollout parse(JsonNode json, String at) {
      ObjectNode o = object(json, at);
      only(o, at, "devices", "percent", "seed");
      List<String> devices = new ArrayList<>();
      if (o.has("devices")) {
        JsonNode d = o.get("devices");
        if (!d.isArray()) {
          throw bad(at + ".devices must be an array of device ids");
        }
        Set<String> seen = new LinkedHashSet<>();
        for (JsonNode id : d) {
          if (!id.isTextual() || !io.edgecam.protocol.Ids.isValidDevice(id.textValue())) {
            throw bad(at + ".devices holds an invalid device id: " + id);
          }
          seen.add(id.textValue());
        }
        devices.addAll(seen);
      }
      int percent = o.has("percent") ? (int) integer(o, "percent", at, 0, 100) : 0;
      String seed = o.has("seed") ? text(o, "seed", at) : "";
      try {
        return new Rollout(devices, percent, seed);
      } catch (IllegalArgumentException e) {
        throw bad(at + ": " + e.getMessage());
      }
    }

    ObjectNode toJson() {
      ObjectNode o = JsonNodeFactory.instance.objectNode();
      ArrayNode d = o.putArray("devices");
      devices.forEach(d::add);
      o.put("percent", percent);
      o.put("seed", seed);
      return o;
    }
  }

  /**
   * One tensor as the model manifest declares it.
   *
   * @param name informative name
   * @param shape dimensions, each >= 1
   * @param dtype float32, int8, uint8, int32 or int64
   */
  public record Tensor(String name, List<Integer> shape, String dtype) {
    private static final Set<String> DTYPES = Set.of("float32", "int8", "uint8", "int32", "int64");

    /** Validates; throws IllegalArgumentException naming the bad field. */
    public Tensor {
      shape = List.copyOf(shape);
      if (shape.isEmpty() || shape.stream().anyMatch(d -> d < 1)) {
        throw new IllegalArgumentException("tensor " + name + ": shape must be dimensions >= 1");
      }
      if (!DTYPES.contains(dtype)) {
        throw new IllegalArgumentException(
            "tensor " + name + ": dtype must be one of " + DTYPES + ", was " + dtype);
      }
    }
  }

  /**
   * A model target's details.
   *
   * @param manifest the model manifest (the fields of {@code models/*.json} an agent reads: name,
   *     tag, kind, version, precision, file, source, derivedFrom, sha256, size, license, inputs,
   *     outputs, preprocessing, anchors), with sha256 and size of this target's file
   * @param inputs the manifest's input tensors (parsed, for the agent's check before a swap)
   * @param outputs the manifest's output tensors
   * @param minAgentVersion oldest agent version that may run it (dotted numeric)
   * @param selfTest what the new model must produce on the golden image
   */
  public record ModelInfo(
      ObjectNode manifest,
      List<Tensor> inputs,
      List<Tensor> outputs,
      String minAgentVersion,
      SelfTest selfTest) {
    /** Manifest keys copied into a target; the others (measurements with floats) are dropped. */
    public static final List<String> MANIFEST_KEYS =
        List.of(
            "name",
            "tag",
            "kind",
            "version",
            "precision",
            "file",
            "source",
            "derivedFrom",
            "sha256",
            "size",
            "license",
            "inputs",
            "outputs",
            "preprocessing",
            "anchors");

    /** Copies the lists; throws IllegalArgumentException naming a bad field. */
    public ModelInfo {
      manifest = manifest.deepCopy();
      inputs = List.copyOf(inputs);
      outputs = List.copyOf(outputs);
      compareVersions(minAgentVersion, "0");
    }

    /**
     * The details for a manifest (only {@link #MANIFEST_KEYS} are kept; tensors are read from its
     * {@code inputs} and {@code outputs}).
     *
     * @throws TufException MALFORMED naming the key if the manifest is not usable
     */
    public static ModelInfo of(JsonNode manifest, String minAgentVersion, SelfTest selfTest) {
      ObjectNode kept = JsonNodeFactory.instance.objectNode();
      for (String k : MANIFEST_KEYS) {
        if (manifest.has(k) && !manifest.get(k).isNull()) {
          kept.set(k, manifest.get(k).deepCopy());
        }
      }
      ObjectNode json = JsonNodeFactory.instance.objectNode();
      json.set("manifest", kept);
      json.put("minAgentVersion", minAgentVersion);
      json.set("selfTest", selfTest.toJson());
      return parse(json, "model");
    }

    /** Whether an agent of version {@code agentVersion} may run this model. */
    public boolean supportsAgent(String agentVersion) {
      return compareVersions(agentVersion, minAgentVersion) >= 0;
    }

    static ModelInfo parse(JsonNode json, String at) {
      ObjectNode o = object(json, at);
      only(o, at, "manifest", "minAgentVersion", "selfTest");
      ObjectNode manifest = object(required(o, "manifest", at), at + ".manifest");
      String m = at + ".manifest";
      for (Iterator<String> it = manifest.fieldNames(); it.hasNext(); ) {
        String k = it.next();
        if (!MANIFEST_KEYS.contains(k)) {
          throw bad(m + " has unknown key '" + k + "'");
        }
      }
      for (String k : List.of("name", "kind", "version", "file", "sha256")) {
        text(manifest, k, m);
      }
      String kind = manifest.get("kind").textValue();
      if (!kind.equals("detector") && !kind.equals("embedder")) {
        throw bad(m + ".kind must be detector or embedder, was '" + kind + "'");
      }
      if (!manifest.get("sha256").textValue().matches("[0-9a-f]{64}")) {
        throw bad(m + ".sha256 must be 64 lowercase hex digits");
      }
      integer(manifest, "size", m, 1, Long.MAX_VALUE);
      List<Tensor> inputs = tensors(manifest, "inputs", m);
      List<Tensor> outputs = tensors(manifest, "outputs", m);
      String minAgent = text(o, "minAgentVersion", at);
      try {
        compareVersions(minAgent, "0");
      } catch (IllegalArgumentException e) {
        throw bad(at + ".minAgentVersion: " + e.getMessage());
      }
      SelfTest selfTest = SelfTest.parse(required(o, "selfTest", at), at + ".selfTest");
      return new ModelInfo(manifest, inputs, outputs, minAgent, selfTest);
    }

    private static List<Tensor> tensors(ObjectNode manifest, String key, String at) {
      JsonNode list = required(manifest, key, at);
      if (!list.isArray() || list.isEmpty()) {
        throw bad(at + "." + key + " must be a non-empty array of tensors");
      }
      List<Tensor> out = new ArrayList<>();
      for (int i = 0; i < list.size(); i++) {
        String t = at + "." + key + "[" + i + "]";
        ObjectNode o = object(list.get(i), t);
        only(o, t, "name", "shape", "dtype");
        JsonNode shape = required(o, "shape", t);
        if (!shape.isArray()) {
          throw bad(t + ".shape must be an array of integers");
        }
        List<Integer> dims = new ArrayList<>();
        for (JsonNode d : shape) {
          if (!d.isIntegralNumber() || !d.canConvertToInt()) {
            throw bad(t + ".shape must be an array of integers, has " + d);
          }
          dims.add(d.intValue());
        }
        try {
          out.add(
              new Tensor(
                  text(o, "name", t), dims, o.has("dtype") ? text(o, "dtype", t) : "float32"));
        } catch (IllegalArgumentException e) {
          throw bad(t + ": " + e.getMessage());
        }
      }
      return out;
    }

    ObjectNode toJson() {
      ObjectNode o = JsonNodeFactory.instance.objectNode();
      o.set("manifest", manifest.deepCopy());
      o.put("minAgentVersion", minAgentVersion);
      o.set("selfTest", selfTest.toJson());
      return o;
    }
  }

  /**
   * The self-test a device runs with a new model before it swaps: the golden image through the
   * whole pipeline must give {@code faces} faces, and the embedding of the main face must have a
   * cosine of at least {@code minCosine} with {@code embedding}.
   *
   * @param image target path of the golden image (a target of the same role, so it is verified like
   *     the model)
   * @param faces expected number of faces, >= 0
   * @param embedding expected L2-normalised embedding of the main face (empty when faces is 0)
   * @param minCosine tolerance, in (0, 1]
   */
  public record SelfTest(String image, int faces, float[] embedding, double minCosine) {
    /** Most dimensions of the expected embedding. */
    public static final int MAX_DIMENSIONS = 1024;

    /** Validates; throws IllegalArgumentException naming the bad field. */
    public SelfTest {
      if (image == null || image.isEmpty() || image.contains("..")) {
        throw new IllegalArgumentException("selfTest.image must be a target path");
      }
      if (faces < 0 || faces > 1000) {
        throw new IllegalArgumentException("selfTest.faces must be in 0..1000, was " + faces);
      }
      embedding = embedding.clone();
      if (faces > 0 && embedding.length == 0) {
        throw new IllegalArgumentException("selfTest.embedding is required when faces > 0");
      }
      if (embedding.length > MAX_DIMENSIONS) {
        throw new IllegalArgumentException("selfTest.embedding has more than 1024 dimensions");
      }
      for (float f : embedding) {
        if (!Float.isFinite(f)) {
          throw new IllegalArgumentException("selfTest.embedding has a non-finite value");
        }
      }
      if (!(minCosine > 0 && minCosine <= 1)) {
        throw new IllegalArgumentException(
            "selfTest.minCosine must be in (0, 1], was " + minCosine);
      }
    }

    @Override
    public float[] embedding() {
      return embedding.clone();
    }

    /** Cosine of {@code actual} with the expected embedding (NaN if dimensions differ). */
    public double cosine(float[] actual) {
      if (actual.length != embedding.length || actual.length == 0) {
        return Double.NaN;
      }
      double dot = 0;
      double na = 0;
      double nb = 0;
      for (int i = 0; i < actual.length; i++) {
        dot += (double) actual[i] * embedding[i];
        na += (double) actual[i] * actual[i];
        nb += (double) embedding[i] * embedding[i];
      }
      return dot / Math.sqrt(na * nb);
    }

    @Override
    public boolean equals(Object o) {
      return o instanceof SelfTest s
          && image.equals(s.image)
          && faces == s.faces
          && java.util.Arrays.equals(embedding, s.embedding)
          && Double.compare(minCosine, s.minCosine) == 0;
    }

    @Override
    public int hashCode() {
      return java.util.Objects.hash(image, faces, java.util.Arrays.hashCode(embedding), minCosine);
    }

    @Override
    public String toString() {
      return "SelfTest[" + image + ", " + faces + " faces, " + embedding.length + "d]";
    }

    static SelfTest parse(JsonNode json, String at) {
      ObjectNode o = object(json, at);
      only(o, at, "image", "faces", "dimensions", "embedding", "minCosine");
      String image = text(o, "image", at);
      int faces = (int) integer(o, "faces", at, 0, 1000);
      int dims = (int) integer(o, "dimensions", at, 0, MAX_DIMENSIONS);
      byte[] raw;
      try {
        raw = Base64.getDecoder().decode(text(o, "embedding", at));
      } catch (IllegalArgumentException e) {
        throw bad(at + ".embedding is not base64: " + e.getMessage());
      }
      if (raw.length != dims * 4) {
        throw bad(
            at
                + ".embedding holds "
                + raw.length
                + " bytes, expected "
                + dims
                + " float32 values ("
                + dims * 4
                + " bytes)");
      }
      float[] embedding = new float[dims];
      ByteBuffer.wrap(raw).order(ByteOrder.LITTLE_ENDIAN).asFloatBuffer().get(embedding);
      String cos = text(o, "minCosine", at);
      double minCosine;
      try {
        minCosine = new BigDecimal(cos).doubleValue();
      } catch (NumberFormatException e) {
        throw bad(at + ".minCosine must be a decimal string such as \"0.95\", was '" + cos + "'");
      }
      try {
        return new SelfTest(image, faces, embedding, minCosine);
      } catch (IllegalArgumentException e) {
        throw bad(at + ": " + e.getMessage());
      }
    }

    ObjectNode toJson() {
      ObjectNode o = JsonNodeFactory.instance.objectNode();
      o.put("image", image);
      o.put("faces", faces);
      o.put("dimensions", embedding.length);
      ByteBuffer b = ByteBuffer.allocate(embedding.length * 4).order(ByteOrder.LITTLE_ENDIAN);
      b.asFloatBuffer().put(embedding);
      o.put("embedding", Base64.getEncoder().encodeToString(b.array()));
      o.put("minCosine", BigDecimal.valueOf(minCosine).toPlainString());
      return o;
    }
  }

  // strict JSON helpers, all failing with MALFORMED naming the key

  private static ObjectNode object(JsonNode json, String at) {
    if (json == null || !json.isObject()) {
      throw bad(at + " must be an object");
    }
    return (ObjectNode) json;
  }

  private static JsonNode required(ObjectNode o, String key, String at) {
    JsonNode v = o.get(key);
    if (v == null || v.isNull()) {
      throw bad(at + "." + key + " is missing");
    }
    return v;
  }

  private static String text(ObjectNode o, String key, String at) {
    JsonNode v = required(o, key, at);
    if (!v.isTextual()) {
      throw bad(at + "." + key + " must be a string, was " + v.getNodeType());
    }
    return v.textValue();
  }

  private static long integer(ObjectNode o, String key, String at, long min, long max) {
    JsonNode v = required(o, key, at);
    if (!v.isIntegralNumber() || !v.canConvertToLong()) {
      throw bad(at + "." + key + " must be an integer, was " + v);
    }
    long n = v.longValue();
    if (n < min || n > max) {
      throw bad(at + "." + key + " must be in " + min + ".." + max + ", was " + n);
    }
    return n;
  }

  private static void only(ObjectNode o, String at, String... keys) {
    List<String> allowed = List.of(keys);
    for (Iterator<String> it = o.fieldNames(); it.hasNext(); ) {
      String k = it.next();
      if (!allowed.contains(k)) {
        throw bad(at + " has unknown key '" + k + "' (allowed: " + allowed + ")");
      }
    }
  }

  private static TufException bad(String message) {
    return new TufException(TufException.Kind.MALFORMED, message);
  }
}
