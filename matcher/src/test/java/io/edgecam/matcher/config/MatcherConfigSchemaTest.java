package io.edgecam.matcher.config;

import static io.edgecam.testing.ConfigSchema.YAML;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import io.edgecam.face.image.TestData;
import io.edgecam.testing.ConfigSchema;
import java.io.IOException;
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
 * device-config/schema/matcher.schema.json against {@link MatcherConfig}: the same keys as the
 * config records (where the matcher's defaults live), same types and numeric bounds; and every
 * matcher config shipped in device-config passes both.
 */
class MatcherConfigSchemaTest {
  private static ConfigSchema schema;
  private static JsonNode shipped;

  @TempDir Path dir;

  @BeforeAll
  static void load() throws IOException {
    Path deviceConfig = TestData.root().resolve("device-config");
    schema = ConfigSchema.load(deviceConfig.resolve("schema/matcher.schema.json"));
    shipped = YAML.readTree(Files.readString(deviceConfig.resolve("matcher.yaml")));
  }

  static Stream<Path> matcherConfigs() throws IOException {
    Path root = TestData.root().resolve("device-config");
    try (Stream<Path> files = Files.walk(root)) {
      List<Path> found =
          files.filter(f -> f.getFileName().toString().matches("matcher.*\\.ya?ml")).toList();
      assertThat(found).as("matcher configs in %s", root).isNotEmpty();
      return found.stream();
    }
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("matcherConfigs")
  void shippedConfigPassesSchemaAndLoader(Path file) throws IOException {
    assertThat(schema.errors(file)).as("schema errors in %s", file).isEmpty();
    assertThat(MatcherConfig.load(file).clientId()).isNotBlank();
  }

  @Test
  void schemaHasExactlyTheRecordsKeys() {
    assertThat(schema.keys())
        .containsExactlyInAnyOrderElementsOf(ConfigSchema.recordKeys(MatcherConfig.class).keySet());
  }

  @Test
  void shippedFileShowsAndExplainsEveryKey() throws IOException {
    Path file = TestData.root().resolve("device-config/matcher.yaml");
    assertThat(ConfigSchema.undocumented(file, schema.keys())).isEmpty();
  }

  @Test
  void everyKeyIsDescribedAndUnknownKeysAreRejectedEverywhere() {
    assertThat(schema.undescribed()).isEmpty();
    assertThat(schema.openSections()).isEmpty();
  }

  @Test
  void leafTypesAreTheRecords() {
    Map<String, Class<?>> java = ConfigSchema.recordKeys(MatcherConfig.class);
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
              }
            });
    assertThat(wrong).isEmpty();
  }

  @Test
  void numericBoundsAreTheLoadersBounds() throws IOException {
    List<ConfigSchema.Probe> probes = schema.boundaryProbes();
    assertThat(probes).hasSizeGreaterThanOrEqualTo(10);
    List<String> disagree = new ArrayList<>();
    for (ConfigSchema.Probe p : probes) {
      JsonNode doc = ConfigSchema.with(shipped, p.key(), p.value());
      boolean bySchema = schema.errors(doc).isEmpty();
      String loaderError = loaderError(doc);
      if (bySchema != p.allowed() || (loaderError == null) != p.allowed()) {
        disagree.add(p + ": schema " + bySchema + ", loader " + loaderError);
      }
    }
    assertThat(disagree).isEmpty();
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "broker: {embedded: {port: 1883}, external: {url: 'tcp://b:1883'}}",
        "broker: {embedded: null}",
        "broker: {external: {url: 'http://b:1883'}}",
        "broker: {external: {url: 'tcp://b:1883', tls: {trustStore: ca.p12}}}",
        "broker: {external: {url: 'ssl://b:8883', tls: {keyStore: m.p12}}}",
        "broker: {embedded: {prot: 1}}",
        "store: {sqlite: m.db, jdbcUrl: 'jdbc:postgresql://db/edgecam'}",
        "store: {jdbcUrl: 'jdbc:mysql://db/edgecam'}",
        "thresholds: {global: high}",
        "clientId: 'two words'",
        "site: '+'",
        "alertWebhook: 'ftp://alerts/x'",
        "sessionExpirySeconds: 1.5"
      })
  void brokenConfigIsRejectedByBoth(String change) throws IOException {
    JsonNode doc = shipped.deepCopy();
    for (Map.Entry<String, JsonNode> e : YAML.readTree(change).properties()) {
      doc = ConfigSchema.with(doc, e.getKey(), e.getValue());
    }
    JsonNode broken = doc;
    assertThat(schema.errors(broken)).as("schema on %s", change).isNotEmpty();
    assertThatThrownBy(() -> load(broken))
        .as("loader on %s", change)
        .isInstanceOf(ConfigException.class);
  }

  private MatcherConfig load(JsonNode doc) throws IOException {
    Path file = dir.resolve("matcher.yaml");
    Files.writeString(file, ConfigSchema.yaml(doc));
    return MatcherConfig.load(file);
  }

  private String loaderError(JsonNode doc) throws IOException {
    try {
      load(doc);
      return null;
    } catch (ConfigException e) {
      return e.getMessage();
    }
  }
}
