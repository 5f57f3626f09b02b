package io.edgecam.agent.config;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.exc.InvalidFormatException;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import com.fasterxml.jackson.databind.exc.ValueInstantiationException;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import io.edgecam.protocol.EdgecamException;
import io.edgecam.protocol.seal.SealingPublicKey;
import io.edgecam.runtime.config.ConfigException;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * Binds agent.yaml: user tree checked against the defaults tree (unknown keys), merged onto it,
 * relative paths resolved, then bound to the records whose constructors validate values.
 */
final class ConfigLoader {
  /** Keys holding file system paths, resolved against the config file's directory. */
  private static final List<String> PATH_KEYS =
      List.of(
          "stateDir",
          "source.path",
          "pipeline.models",
          "spool.path",
          "mqtt.tls.ca",
          "mqtt.tls.cert",
          "mqtt.tls.key",
          "sealing.matcherPublicKey",
          "updates.root",
          "updates.dir",
          "updates.repository");

  private static final ObjectMapper YAML =
      YAMLMapper.builder()
          .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
          .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
          .enable(DeserializationFeature.FAIL_ON_NUMBERS_FOR_ENUMS)
          .disable(DeserializationFeature.ACCEPT_FLOAT_AS_INT)
          .build();

  private ConfigLoader() {}

  static AgentConfig load(Path file) {
    String name = file.getFileName() == null ? file.toString() : file.getFileName().toString();
    String text;
    try {
      text = Files.readString(file);
    } catch (NoSuchFileException e) {
      throw new ConfigException(file + ": no such file", e);
    } catch (IOException e) {
      throw new ConfigException(file + ": cannot read: " + e.getMessage(), e);
    }
    Path dir = file.toAbsolutePath().getParent();
    return parse(text, name, dir == null ? Path.of("").toAbsolutePath() : dir);
  }

  static AgentConfig parse(String yaml, String name, Path baseDir) {
    JsonNode user;
    try {
      user = YAML.readTree(yaml);
    } catch (JacksonException e) {
      throw new ConfigException(name + ": not valid YAML: " + e.getOriginalMessage(), e);
    }
    if (user == null || user.isMissingNode() || user.isNull()) {
      throw new ConfigException(name + ": empty file");
    }
    if (!user.isObject()) {
      throw new ConfigException(name + ": expected a mapping of keys at the top level");
    }
    ObjectNode merged = defaults();
    checkAndMerge(name, "", (ObjectNode) user, merged);
    resolvePaths(merged, baseDir);
    AgentConfig config;
    try {
      config = YAML.treeToValue(merged, AgentConfig.class);
    } catch (JacksonException e) {
      throw translate(name, e);
    }
    Path key = config.sealing().matcherPublicKey();
    if (key != null) {
      try {
        SealingPublicKey.read(key); // a missing or wrong key is a config error, not a crash later
      } catch (EdgecamException e) {
        throw new ConfigException(name + ": sealing.matcherPublicKey: " + e.getMessage(), e);
      }
    }
    return config;
  }

  private static ObjectNode defaults() {
    try (InputStream in = ConfigLoader.class.getResourceAsStream("agent-defaults.yaml")) {
      if (in == null) {
        throw new IllegalStateException("agent-defaults.yaml missing from the agent jar");
      }
      return (ObjectNode) YAML.readTree(in);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read agent-defaults.yaml", e);
    }
  }

  /** Copies user values onto the defaults, rejecting keys the defaults do not have. */
  private static void checkAndMerge(
      String name, String prefix, ObjectNode user, ObjectNode target) {
    for (Map.Entry<String, JsonNode> field : user.properties()) {
      String key = field.getKey();
      String path = prefix + key;
      if (!target.has(key)) {
        throw new ConfigException(name + ": unknown key '" + path + "'" + suggestion(key, target));
      }
      JsonNode value = field.getValue();
      JsonNode known = target.get(key);
      if (known.isObject()) {
        if (value.isNull()) {
          continue; // an empty section keeps its defaults
        }
        if (!value.isObject()) {
          throw new ConfigException(name + ": " + path + " must be a mapping of keys");
        }
        checkAndMerge(name, path + ".", (ObjectNode) value, (ObjectNode) known);
      } else {
        if (value.isContainerNode()) {
          throw new ConfigException(
              name
                  + ": "
                  + path
                  + " must be a single value, not a "
                  + (value.isArray() ? "list" : "mapping"));
        }
        target.set(key, value);
      }
    }
  }

  private static String suggestion(String key, ObjectNode known) {
    String best = null;
    int bestDistance = Integer.MAX_VALUE;
    Iterator<String> names = known.fieldNames();
    while (names.hasNext()) {
      String candidate = names.next();
      int d = distance(key.toLowerCase(), candidate.toLowerCase());
      if (d < bestDistance) {
        best = candidate;
        bestDistance = d;
      }
    }
    if (best != null && bestDistance <= Math.max(2, key.length() / 3)) {
      return " (did you mean '" + best + "'?)";
    }
    List<String> all = new ArrayList<>();
    known.fieldNames().forEachRemaining(all::add);
    return " (known keys: " + String.join(", ", all) + ")";
  }

  /** Levenshtein distance. */
  private static int distance(String a, String b) {
    int[] prev = new int[b.length() + 1];
    int[] cur = new int[b.length() + 1];
    for (int j = 0; j <= b.length(); j++) {
      prev[j] = j;
    }
    for (int i = 1; i <= a.length(); i++) {
      cur[0] = i;
      for (int j = 1; j <= b.length(); j++) {
        int cost = a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1;
        cur[j] = Math.min(Math.min(cur[j - 1] + 1, prev[j] + 1), prev[j - 1] + cost);
      }
      int[] t = prev;
      prev = cur;
      cur = t;
    }
    return prev[b.length()];
  }

  private static void resolvePaths(ObjectNode root, Path baseDir) {
    for (String key : PATH_KEYS) {
      String[] parts = key.split("\\.");
      JsonNode parent = root;
      for (int i = 0; i < parts.length - 1; i++) {
        parent = parent.get(parts[i]);
      }
      String leaf = parts[parts.length - 1];
      JsonNode value = parent.get(leaf);
      if (value != null && value.isTextual()) {
        Path p = Path.of(value.asText());
        ((ObjectNode) parent).set(leaf, new TextNode(baseDir.resolve(p).normalize().toString()));
      }
    }
  }

  private static ConfigException translate(String name, JacksonException e) {
    String path = e instanceof JsonMappingException m ? pathOf(m) : "";
    if (e instanceof ValueInstantiationException v && v.getCause() != null) {
      Throwable cause = v.getCause();
      String prefix = path.isEmpty() ? "" : path + ".";
      return new ConfigException(name + ": " + prefix + cause.getMessage(), e);
    }
    if (e instanceof InvalidFormatException f) {
      return new ConfigException(
          name + ": " + path + " " + expected(f.getTargetType()) + ", was '" + f.getValue() + "'",
          e);
    }
    if (e instanceof MismatchedInputException m) {
      return new ConfigException(
          name + ": " + path + " " + expected(m.getTargetType()) + ": " + m.getOriginalMessage(),
          e);
    }
    return new ConfigException(
        name + ": " + (path.isEmpty() ? "" : path + ": ") + e.getOriginalMessage(), e);
  }

  private static String pathOf(JsonMappingException e) {
    return e.getPath().stream()
        .map(r -> r.getFieldName() != null ? r.getFieldName() : "[" + r.getIndex() + "]")
        .collect(Collectors.joining("."));
  }

  /** The value written in YAML: the constant's {@code @JsonProperty}, else its lower-case name. */
  private static String yamlName(Enum<?> constant) {
    try {
      JsonProperty p =
          constant.getDeclaringClass().getField(constant.name()).getAnnotation(JsonProperty.class);
      if (p != null && !p.value().isEmpty()) {
        return p.value();
      }
    } catch (NoSuchFieldException e) {
      // every enum constant is a field of its class
    }
    return constant.name().toLowerCase(Locale.ROOT);
  }

  private static String expected(Class<?> type) {
    if (type == null) {
      return "has the wrong type";
    }
    if (type.isEnum()) {
      List<String> values = new ArrayList<>();
      for (Object c : type.getEnumConstants()) {
        values.add(yamlName((Enum<?>) c));
      }
      return "must be one of " + String.join(", ", values);
    }
    if (type == int.class || type == long.class || type == Integer.class || type == Long.class) {
      return "must be a whole number";
    }
    if (type == double.class || type == Double.class || type == float.class) {
      return "must be a number";
    }
    if (type == boolean.class || type == Boolean.class) {
      return "must be true or false";
    }
    return "must be a " + type.getSimpleName();
  }
}
