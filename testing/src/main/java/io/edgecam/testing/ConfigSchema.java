package io.edgecam.testing;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.DecimalNode;
import com.fasterxml.jackson.databind.node.LongNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import com.networknt.schema.Error;
import com.networknt.schema.InputFormat;
import com.networknt.schema.Schema;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.SpecificationVersion;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.reflect.Executable;
import java.lang.reflect.RecordComponent;
import java.math.BigDecimal;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;

/**
 * A config schema from {@code device-config/schema/} and the means to hold it against the code that
 * loads the config: its key tree, leaf types and enum values, numeric bounds as probes, and
 * validation of YAML documents (networknt json-schema-validator, draft 2020-12). Used by the
 * agent's and the matcher's schema tests.
 */
public final class ConfigSchema {
  public static final YAMLMapper YAML = new YAMLMapper();

  private final Path file;
  private final JsonNode root;
  private final Schema schema;

  private ConfigSchema(Path file, JsonNode root, Schema schema) {
    this.file = file;
    this.root = root;
    this.schema = schema;
  }

  /** Loads {@code file} (JSON Schema draft 2020-12). */
  public static ConfigSchema load(Path file) throws IOException {
    String text = Files.readString(file);
    JsonNode root = YAML.readTree(text);
    Schema schema =
        SchemaRegistry.withDefaultDialect(SpecificationVersion.DRAFT_2020_12)
            .getSchema(text, InputFormat.JSON);
    return new ConfigSchema(file, root, schema);
  }

  /** Schema errors for a parsed document, as "path: message" lines; empty when valid. */
  public List<String> errors(JsonNode document) {
    List<String> out = new ArrayList<>();
    for (Error e : schema.validate(document)) {
      out.add(e.getInstanceLocation() + ": " + e.getMessage());
    }
    return out;
  }

  /** Schema errors for a YAML file. */
  public List<String> errors(Path yaml) throws IOException {
    return errors(YAML.readTree(Files.readString(yaml)));
  }

  /** Every key the schema describes, dotted ("gpio.pir.pin"), sections included. */
  public Set<String> keys() {
    Set<String> keys = new TreeSet<>();
    walk(root, "", (path, node) -> keys.add(path));
    return keys;
  }

  /** The leaf keys with their schema (a local {@code $ref} merged in). */
  public Map<String, JsonNode> leaves() {
    Map<String, JsonNode> leaves = new LinkedHashMap<>();
    walk(
        root,
        "",
        (path, node) -> {
          if (!node.has("properties")) {
            leaves.put(path, resolve(node));
          }
        });
    return leaves;
  }

  /** Keys without a non-empty description. */
  public List<String> undescribed() {
    List<String> out = new ArrayList<>();
    walk(
        root,
        "",
        (path, node) -> {
          if (node.path("description").asText().isBlank()) {
            out.add(path);
          }
        });
    return out;
  }

  /** Sections (and the root) that would accept keys they do not list. */
  public List<String> openSections() {
    List<String> out = new ArrayList<>();
    if (!root.path("additionalProperties").isBoolean()
        || root.path("additionalProperties").asBoolean()) {
      out.add("(root)");
    }
    walk(
        root,
        "",
        (path, node) -> {
          if (node.has("properties")
              && (!node.path("additionalProperties").isBoolean()
                  || node.path("additionalProperties").asBoolean())) {
            out.add(path);
          }
        });
    return out;
  }

  private interface Visitor {
    void visit(String path, JsonNode node);
  }

  private static void walk(JsonNode section, String prefix, Visitor v) {
    for (Map.Entry<String, JsonNode> e : section.path("properties").properties()) {
      String path = prefix + e.getKey();
      v.visit(path, e.getValue());
      if (e.getValue().has("properties")) {
        walk(e.getValue(), path + ".", v);
      }
    }
  }

  private JsonNode resolve(JsonNode node) {
    if (!node.has("$ref")) {
      return node;
    }
    String ref = node.get("$ref").asText();
    if (!ref.startsWith("#/$defs/")) {
      throw new IllegalStateException(file + ": only local $defs refs are supported: " + ref);
    }
    ObjectNode merged = ((ObjectNode) root.at(ref.substring(1))).deepCopy();
    merged.setAll(((ObjectNode) node).deepCopy());
    merged.remove("$ref");
    return merged;
  }

  /** The schema's JSON types of a leaf, without "null"; "enum" for an enumeration. */
  public static Set<String> types(JsonNode leaf) {
    Set<String> types = new TreeSet<>();
    if (leaf.has("enum")) {
      types.add("enum");
      return types;
    }
    JsonNode t = leaf.path("type");
    (t.isArray() ? stream(t) : Stream.of(t)).map(JsonNode::asText).forEach(types::add);
    types.remove("null");
    return types;
  }

  /** The enum values of a leaf. */
  public static Set<String> enumValues(JsonNode leaf) {
    Set<String> values = new TreeSet<>();
    stream(leaf.path("enum")).map(JsonNode::asText).forEach(values::add);
    return values;
  }

  private static Stream<JsonNode> stream(JsonNode array) {
    List<JsonNode> l = new ArrayList<>();
    array.forEach(l::add);
    return l.stream();
  }

  /** A value for one key and whether the schema says it is allowed. */
  public record Probe(String key, JsonNode value, boolean allowed) {
    @Override
    public String toString() {
      return key + "=" + value + (allowed ? " (allowed)" : " (not allowed)");
    }
  }

  /** For every numeric bound in the schema: the bound and the nearest value beyond it. */
  public List<Probe> boundaryProbes() {
    List<Probe> probes = new ArrayList<>();
    BigDecimal step = new BigDecimal("0.000001");
    leaves()
        .forEach(
            (key, leaf) -> {
              boolean integer = types(leaf).contains("integer");
              BigDecimal beyond = integer ? BigDecimal.ONE : step;
              if (leaf.has("minimum")) {
                BigDecimal min = leaf.get("minimum").decimalValue();
                probes.add(new Probe(key, number(min, integer), true));
                probes.add(new Probe(key, number(min.subtract(beyond), integer), false));
              }
              if (leaf.has("maximum")) {
                BigDecimal max = leaf.get("maximum").decimalValue();
                probes.add(new Probe(key, number(max, integer), true));
                probes.add(new Probe(key, number(max.add(beyond), integer), false));
              }
              if (leaf.has("exclusiveMinimum")) {
                BigDecimal min = leaf.get("exclusiveMinimum").decimalValue();
                probes.add(new Probe(key, number(min, integer), false));
                probes.add(new Probe(key, number(min.add(beyond), integer), true));
              }
            });
    return probes;
  }

  private static JsonNode number(BigDecimal v, boolean integer) {
    return integer ? LongNode.valueOf(v.longValueExact()) : DecimalNode.valueOf(v);
  }

  /**
   * {@code document} with {@code key} (dotted) set to {@code value}, sections created as needed.
   */
  public static ObjectNode with(JsonNode document, String key, JsonNode value) {
    ObjectNode copy = document.deepCopy();
    String[] parts = key.split("\\.");
    ObjectNode node = copy;
    for (int i = 0; i < parts.length - 1; i++) {
      JsonNode next = node.get(parts[i]);
      node = next instanceof ObjectNode o ? o : node.putObject(parts[i]);
    }
    node.set(parts[parts.length - 1], value);
    return copy;
  }

  /** Every key of a YAML tree (e.g. agent-defaults.yaml), dotted, sections included. */
  public static Set<String> keysOf(JsonNode tree) {
    Set<String> keys = new TreeSet<>();
    keysOf(tree, "", keys);
    return keys;
  }

  private static void keysOf(JsonNode tree, String prefix, Set<String> keys) {
    for (Map.Entry<String, JsonNode> e : tree.properties()) {
      keys.add(prefix + e.getKey());
      if (e.getValue().isObject()) {
        keysOf(e.getValue(), prefix + e.getKey() + ".", keys);
      }
    }
  }

  /**
   * The keys Jackson binds into {@code type}: record components, recursing into record-typed ones,
   * mapped to their Java type. Where a {@link JsonCreator} binds the record instead, its {@link
   * JsonProperty} names must be the component names (checked here).
   */
  public static Map<String, Class<?>> recordKeys(Class<?> type) {
    Map<String, Class<?>> keys = new LinkedHashMap<>();
    recordKeys(type, "", keys);
    return keys;
  }

  private static void recordKeys(Class<?> type, String prefix, Map<String, Class<?>> keys) {
    List<String> names = new ArrayList<>();
    for (RecordComponent c : type.getRecordComponents()) {
      names.add(c.getName());
      keys.put(prefix + c.getName(), c.getType());
      if (c.getType().isRecord()) {
        recordKeys(c.getType(), prefix + c.getName() + ".", keys);
      }
    }
    for (Executable creator : creators(type)) {
      List<String> bound =
          Arrays.stream(creator.getParameters())
              .map(p -> p.getAnnotation(JsonProperty.class))
              .map(a -> a == null ? "?" : a.value())
              .toList();
      if (!new TreeSet<>(bound).equals(new TreeSet<>(names))) {
        throw new AssertionError(
            type.getSimpleName()
                + ": @JsonCreator binds "
                + bound
                + " but the record has "
                + names);
      }
    }
  }

  private static List<Executable> creators(Class<?> type) {
    List<Executable> out = new ArrayList<>();
    Stream.concat(Arrays.stream(type.getDeclaredConstructors()), Arrays.stream(type.getMethods()))
        .filter(e -> e.isAnnotationPresent(JsonCreator.class))
        .forEach(out::add);
    return out;
  }

  /** The schema type that a Java type binds from. */
  public static String schemaType(Class<?> type) {
    if (type.isEnum()) {
      return "enum";
    }
    if (type == int.class || type == Integer.class || type == long.class || type == Long.class) {
      return "integer";
    }
    if (type == double.class || type == Double.class || type == float.class) {
      return "number";
    }
    if (type == boolean.class || type == Boolean.class) {
      return "boolean";
    }
    if (type == String.class || type == Path.class || type == URI.class) {
      return "string";
    }
    if (type.isRecord()) {
      return "object";
    }
    if (java.util.List.class.isAssignableFrom(type)) {
      return "array";
    }
    if (java.util.Map.class.isAssignableFrom(type)) {
      return "object";
    }
    throw new IllegalArgumentException("no schema type for " + type);
  }

  /** The YAML names of an enum's constants ({@link JsonProperty} or the lower-case name). */
  public static Set<String> yamlNames(Class<?> enumType) {
    Set<String> names = new TreeSet<>();
    for (Object constant : enumType.getEnumConstants()) {
      String name = ((Enum<?>) constant).name();
      try {
        JsonProperty p = enumType.getField(name).getAnnotation(JsonProperty.class);
        names.add(p != null ? p.value() : name.toLowerCase());
      } catch (NoSuchFieldException e) {
        throw new IllegalStateException(e);
      }
    }
    return names;
  }

  private static final java.util.regex.Pattern KEY_LINE =
      java.util.regex.Pattern.compile("^( *)(# ?)?( *)([A-Za-z][A-Za-z0-9]*):( .*)?$");

  /**
   * How a documented YAML file (like device-config/agent.yaml) covers {@code keys}: every key must
   * appear as a key line, active or commented out ({@code # url: ...}), at its place in the
   * nesting; and every such line must have a comment of its own, on the line above (not another
   * key) or at its end.
   *
   * @return one line per key that is missing or has no comment; empty when the file is complete
   */
  public static List<String> undocumented(Path file, Set<String> keys) throws IOException {
    List<String> lines = Files.readAllLines(file);
    Map<String, Integer> found = new LinkedHashMap<>();
    List<String> stack = new ArrayList<>();
    List<Integer> indents = new ArrayList<>();
    for (int i = 0; i < lines.size(); i++) {
      java.util.regex.Matcher m = KEY_LINE.matcher(lines.get(i));
      if (!m.matches()) {
        continue;
      }
      int indent = m.group(1).length() + m.group(3).length();
      while (!indents.isEmpty() && indents.get(indents.size() - 1) >= indent) {
        indents.remove(indents.size() - 1);
        stack.remove(stack.size() - 1);
      }
      String path = String.join(".", stack) + (stack.isEmpty() ? "" : ".") + m.group(4);
      stack.add(m.group(4));
      indents.add(indent);
      found.putIfAbsent(path, i);
    }
    List<String> out = new ArrayList<>();
    for (String key : keys) {
      Integer at = found.get(key);
      if (at == null) {
        out.add(key + ": not in " + file.getFileName());
        continue;
      }
      String line = lines.get(at);
      boolean trailing = line.indexOf('#', line.indexOf(':')) > 0;
      int above = at - 1;
      while (above >= 0 && lines.get(above).isBlank()) {
        above--;
      }
      boolean commentAbove =
          above >= 0
              && lines.get(above).trim().startsWith("#")
              && !KEY_LINE.matcher(lines.get(above)).matches();
      if (!trailing && !commentAbove) {
        out.add(key + ": no comment (line " + (at + 1) + ")");
      }
    }
    return out;
  }

  /** Writes a tree as YAML text. */
  public static String yaml(JsonNode tree) {
    try {
      return YAML.writeValueAsString(tree);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
