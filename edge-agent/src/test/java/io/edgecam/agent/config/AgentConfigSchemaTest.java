package io.edgecam.agent.config;

import static io.edgecam.testing.ConfigSchema.YAML;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import io.edgecam.face.image.TestData;
import io.edgecam.runtime.config.ConfigException;
import io.edgecam.testing.ConfigSchema;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * device-config/schema/agent.schema.json against the agent's loader: same keys as
 * agent-defaults.yaml and the config records, same types, enums, defaults and numeric bounds; and
 * every agent config shipped in device-config passes both.
 */
class AgentConfigSchemaTest {
  private static Path deviceConfig;
  private static ConfigSchema schema;
  private static JsonNode defaults;
  private static JsonNode shipped;

  @TempDir Path dir;

  @BeforeAll
  static void load() throws IOException {
    deviceConfig = TestData.root().resolve("device-config");
    schema = ConfigSchema.load(deviceConfig.resolve("schema/agent.schema.json"));
    try (InputStream in = AgentConfig.class.getResourceAsStream("agent-defaults.yaml")) {
      defaults = YAML.readTree(in);
    }
    shipped = YAML.readTree(Files.readString(deviceConfig.resolve("agent.yaml")));
  }

  static Stream<Path> agentConfigs() throws IOException {
    Path root = TestData.root().resolve("device-config");
    try (Stream<Path> files = Files.walk(root)) {
      List<Path> found =
          files.filter(f -> f.getFileName().toString().matches("agent.*\\.ya?ml")).toList();
      assertThat(found).as("agent configs in %s", root).hasSizeGreaterThanOrEqualTo(4);
      return found.stream();
    }
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("agentConfigs")
  void shippedConfigPassesSchemaAndLoader(Path file) throws IOException {
    assertThat(schema.errors(file)).as("schema errors in %s", file).isEmpty();
    AgentConfig c = AgentConfig.load(file);
    assertThat(c.device()).isNotBlank();
  }

  @Test
  void schemaHasExactlyTheLoadersKeys() {
    assertThat(schema.keys()).isEqualTo(ConfigSchema.keysOf(defaults));
    assertThat(ConfigSchema.recordKeys(AgentConfig.class).keySet())
        .containsExactlyInAnyOrderElementsOf(ConfigSchema.keysOf(defaults));
  }

  @Test
  void shippedFileShowsAndExplainsEveryKey() throws IOException {
    Path file = TestData.root().resolve("device-config/agent.yaml");
    assertThat(ConfigSchema.undocumented(file, schema.keys())).isEmpty();
  }

  @Test
  void everyKeyIsDescribedAndUnknownKeysAreRejectedEverywhere() {
    assertThat(schema.undescribed()).isEmpty();
    assertThat(schema.openSections()).isEmpty();
  }

  @Test
  void leafTypesAndEnumValuesAreTheRecords() {
    Map<String, Class<?>> java = ConfigSchema.recordKeys(AgentConfig.class);
    List<String> wrong = new ArrayList<>();
    schema
        .leaves()
        .forEach(
            (key, leaf) -> {
              Class<?> type = java.get(key);
              if (type == null) {
                wrong.add(key + ": not a key of the config records");
              } else if (!ConfigSchema.types(leaf).contains(ConfigSchema.schemaType(type))) {
                wrong.add(key + ": schema " + ConfigSchema.types(leaf) + ", Java " + type);
              } else if (type.isEnum()
                  && !ConfigSchema.enumValues(leaf).equals(ConfigSchema.yamlNames(type))) {
                wrong.add(key + ": schema enum " + ConfigSchema.enumValues(leaf));
              }
            });
    assertThat(wrong).isEmpty();
  }

  @Test
  void schemaDefaultsAreAgentDefaultsYaml() {
    List<String> wrong = new ArrayList<>();
    schema
        .leaves()
        .forEach(
            (key, leaf) -> {
              JsonNode value = defaults.at("/" + key.replace('.', '/'));
              JsonNode documented = leaf.get("default");
              boolean same =
                  documented == null
                      ? value.isNull()
                      : documented.isNumber() && value.isNumber()
                          ? documented.decimalValue().compareTo(value.decimalValue()) == 0
                          : documented.equals(value);
              if (!same) {
                wrong.add(key + ": defaults " + value + ", schema " + documented);
              }
            });
    assertThat(wrong).isEmpty();
  }

  @Test
  void numericBoundsAreTheLoadersBounds() {
    List<ConfigSchema.Probe> probes = schema.boundaryProbes();
    assertThat(probes).hasSizeGreaterThan(40);
    List<String> disagree = new ArrayList<>();
    for (ConfigSchema.Probe p : probes) {
      JsonNode doc = ConfigSchema.with(shipped, p.key(), p.value());
      boolean bySchema = schema.errors(doc).isEmpty();
      String loaderError = loaderError(doc);
      if (bySchema != p.allowed() || (loaderError == null) != p.allowed()) {
        disagree.add(p + ": schema " + bySchema + ", loader " + loaderError);
      } else if (loaderError != null && !loaderError.contains(p.key())) {
        disagree.add(p + ": loader message does not name the key: " + loaderError);
      }
    }
    assertThat(disagree).isEmpty();
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "gpio: {pir: {hold: 3}}",
        "gpio: {provider: pigpio}",
        "gpio: {enabled: true}",
        "gpio: {tamper: {wipeWatchlist: true}}",
        "gpio: {pir: {pull: up-ish}}",
        "source: {type: rtsp, url: null}",
        "source: {type: mjpeg, url: rtsp://cam/1}",
        "source: {type: usb}",
        "source: {type: v4l2, path: null}",
        "mqtt: {url: http://broker:1883}",
        "mqtt: {tls: {cert: device.pem}}",
        "pipeline: {detector: long}",
        "device: tuf",
        "site: 'a/b'",
        "tracker: {iou: 0.5, maxAge: 3}",
        "pipeline: {threads: 1.5}"
      })
  void brokenConfigIsRejectedByBoth(String change) throws IOException {
    JsonNode doc = merge(shipped, YAML.readTree(change));
    assertThat(schema.errors(doc)).as("schema on %s", change).isNotEmpty();
    assertThatThrownBy(() -> AgentConfig.parse(ConfigSchema.yaml(doc), "agent.yaml", dir))
        .as("loader on %s", change)
        .isInstanceOf(ConfigException.class);
  }

  private String loaderError(JsonNode doc) {
    try {
      AgentConfig.parse(ConfigSchema.yaml(doc), "agent.yaml", dir);
      return null;
    } catch (ConfigException e) {
      return e.getMessage();
    }
  }

  private static JsonNode merge(JsonNode base, JsonNode change) {
    JsonNode out = base;
    for (String key : ConfigSchema.keysOf(change)) {
      JsonNode v = change.at("/" + key.replace('.', '/'));
      if (!v.isObject()) {
        out = ConfigSchema.with(out, key, v);
      }
    }
    return out;
  }
}
