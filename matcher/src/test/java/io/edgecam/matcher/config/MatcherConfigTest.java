package io.edgecam.matcher.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class MatcherConfigTest {
  @TempDir Path dir;

  private Path write(String yaml) throws IOException {
    Path f = dir.resolve("matcher.yaml");
    Files.writeString(f, yaml);
    return f;
  }

  @Test
  void exampleConfigInDeviceConfigLoads() {
    Path example =
        Path.of(System.getProperty("edgecam.root", "..")).resolve("device-config/matcher.yaml");
    MatcherConfig c = MatcherConfig.load(example);
    assertThat(c.broker().embedded()).isNotNull();
    // Calibrated to the list size by default: no fixed threshold in the shipped file.
    assertThat(c.thresholds().global()).isNull();
    assertThat(c.thresholds().targetFalseAlarmRate()).isEqualTo(0.01);
    assertThat(c.store().sqlite()).isNotNull();
  }

  @Test
  void emptyMappingGivesDefaultsWithPathsRelativeToTheFile() throws IOException {
    MatcherConfig c = MatcherConfig.load(write("clientId: m1\n"));
    assertThat(c.clientId()).isEqualTo("m1");
    assertThat(c.broker().embedded().port()).isEqualTo(1883);
    assertThat(c.broker().embedded().dataDir()).isEqualTo(dir.resolve("broker"));
    assertThat(c.store().sqlite()).isEqualTo(dir.resolve("matcher.db"));
    assertThat(c.thresholds()).isEqualTo(ThresholdConfig.defaults());
  }

  @Test
  void thresholdKeysBindAndCalibrationIsRelativeToTheFile() throws IOException {
    Path models = Path.of(System.getProperty("edgecam.root", "..")).resolve("models");
    Files.copy(models.resolve("mobilefacenet.json"), dir.resolve("emb.json"));
    MatcherConfig c =
        MatcherConfig.load(
            write(
                """
        thresholds:
          global: 0.7
          targetFalseAlarmRate: 0.001
          allowHighFalseAlarms: true
          calibration: emb.json
        """));
    assertThat(c.thresholds())
        .isEqualTo(new ThresholdConfig(0.7, 0.001, true, dir.resolve("emb.json")));
    assertThat(c.thresholds().policy().calibration().modelTag()).isEqualTo("mfn-1.0.24");
  }

  @Test
  void badTargetAndMissingCalibrationNameFileAndKey() throws IOException {
    Path f = write("thresholds:\n  targetFalseAlarmRate: 0\n");
    assertThatThrownBy(() -> MatcherConfig.load(f))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("matcher.yaml")
        .hasMessageContaining("thresholds.targetFalseAlarmRate must be in (0, 1), was 0.0");
    Path g = write("thresholds:\n  calibration: nowhere.json\n");
    assertThatThrownBy(() -> MatcherConfig.load(g))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("matcher.yaml: thresholds.calibration: ")
        .hasMessageContaining("nowhere.json: no such model manifest");
    Files.writeString(dir.resolve("bare.json"), "{\"tag\": \"x\"}");
    Path h = write("thresholds:\n  calibration: bare.json\n");
    assertThatThrownBy(() -> MatcherConfig.load(h))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("bare.json: no calibration object");
  }

  @Test
  void oversightDefaultsToTwoPersonsAndNamesBadValues() throws IOException {
    MatcherConfig d = MatcherConfig.load(write("clientId: m1\n"));
    assertThat(d.oversight().confirmations()).isEqualTo(2);
    assertThat(d.oversight().playbackUrl("hq", "cam-1")).isNull();
    MatcherConfig c =
        MatcherConfig.load(
            write(
                """
        oversight:
          confirmations: 1
          playbackUrls:
            "hq/*": https://nvr.example/site?c={device}
            "hq/cam-9": https://nvr.example/nine?t={captureTime}
            "*": https://vms.example/?d={device}
        """));
    assertThat(c.oversight().confirmations()).isEqualTo(1);
    assertThat(c.oversight().playbackUrl("hq", "cam-9")).startsWith("https://nvr.example/nine");
    assertThat(c.oversight().playbackUrl("hq", "cam-1")).startsWith("https://nvr.example/site");
    assertThat(c.oversight().playbackUrl("lab", "cam-1")).startsWith("https://vms.example/");
    assertThatThrownBy(() -> MatcherConfig.load(write("oversight: {confirmations: 0}\n")))
        .hasMessageContaining("oversight.confirmations must be in 1..5, was 0");
    assertThatThrownBy(
            () -> MatcherConfig.load(write("oversight: {playbackUrls: {hq/cam-1: ftp://x}}\n")))
        .hasMessageContaining("oversight.playbackUrls.hq/cam-1 must be an http(s) URL");
  }

  @Test
  void accountabilityDefaultsAndOverrides() throws IOException {
    MatcherConfig d = MatcherConfig.load(write("clientId: m1\n"));
    assertThat(d.audit().keyFile()).isEqualTo(dir.resolve("audit.key"));
    assertThat(d.audit().headFile()).isEqualTo(dir.resolve("audit-head.json"));
    assertThat(d.retention()).isEqualTo(RetentionConfig.defaults());
    assertThat(d.metrics().enabled()).isFalse();
    assertThat(d.metrics().bind()).isEqualTo("127.0.0.1");
    MatcherConfig c =
        MatcherConfig.load(
            write(
                """
        audit: {keyFile: keys/a.key, headFile: /var/lib/edgecam/head.json}
        retention: {matchDays: 7, purgeIntervalMinutes: 15}
        metrics: {enabled: true, bind: 0.0.0.0, port: 9999}
        """));
    assertThat(c.audit().keyFile()).isEqualTo(dir.resolve("keys/a.key"));
    assertThat(c.audit().headFile()).isEqualTo(Path.of("/var/lib/edgecam/head.json"));
    assertThat(c.retention()).isEqualTo(new RetentionConfig(7, 15));
    assertThat(c.metrics().port()).isEqualTo(9999);
  }

  @Test
  void badRetentionNamesFileAndKey() throws IOException {
    Path f = write("retention:\n  matchDays: 0\n");
    assertThatThrownBy(() -> MatcherConfig.load(f))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("matcher.yaml")
        .hasMessageContaining("retention.matchDays must be in 1..36500, was 0");
    Path g = write("metrics:\n  prot: 1\n");
    assertThatThrownBy(() -> MatcherConfig.load(g))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("metrics.prot");
  }

  @Test
  void externalBrokerAndPostgres() throws IOException {
    MatcherConfig c =
        MatcherConfig.load(
            write(
                """
        broker:
          external:
            url: tcp://broker.example:1883
        store:
          jdbcUrl: jdbc:postgresql://db/edgecam
        thresholds:
          global: 0.5
        """));
    assertThat(c.broker().external().url()).isEqualTo("tcp://broker.example:1883");
    assertThat(c.store().jdbcUrl()).isEqualTo("jdbc:postgresql://db/edgecam");
    assertThat(c.thresholds().global()).isEqualTo(0.5);
  }

  @Test
  void subscriptionFollowsSharedAndSiteKeys() throws IOException {
    assertThat(MatcherConfig.load(write("clientId: m1\n")).candidatesFilter())
        .as("embedded broker (default): this matcher alone")
        .isEqualTo("edgecam/v1/+/+/candidates");
    assertThat(
            MatcherConfig.load(write("broker:\n  external:\n    url: tcp://b:1883\n"))
                .candidatesFilter())
        .as("external broker: N matchers share")
        .isEqualTo("$share/matchers/edgecam/v1/+/+/candidates");
    MatcherConfig one =
        MatcherConfig.load(
            write("sharedSubscription: false\nsite: s-1\nsessionExpirySeconds: 0\n"));
    assertThat(one.candidatesFilter()).isEqualTo("edgecam/v1/s-1/+/candidates");
    assertThat(one.sessionExpirySeconds()).isZero();
    assertThat(MatcherConfig.load(write("clientId: m1\n")).sessionExpirySeconds())
        .isEqualTo(7L * 24 * 3600);
  }

  @Test
  void badSiteAndSessionExpiryAreNamed() throws IOException {
    Path badSite = write("site: a/b\n");
    assertThatThrownBy(() -> MatcherConfig.load(badSite)).hasMessageContaining("site");
    Path badExpiry = write("sessionExpirySeconds: -1\n");
    assertThatThrownBy(() -> MatcherConfig.load(badExpiry))
        .hasMessageContaining("sessionExpirySeconds");
  }

  @Test
  void unknownKeyIsNamedWithItsPathAndTheFile() throws IOException {
    Path f = write("broker:\n  embedded:\n    prot: 1884\n");
    assertThatThrownBy(() -> MatcherConfig.load(f))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("matcher.yaml")
        .hasMessageContaining("broker.embedded.prot");
  }

  @Test
  void badValueTypeIsNamedWithKeyAndFile() throws IOException {
    Path f = write("broker:\n  embedded:\n    port: lots\n");
    assertThatThrownBy(() -> MatcherConfig.load(f))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("matcher.yaml")
        .hasMessageContaining("broker.embedded.port");
  }

  @Test
  void outOfRangeValueIsNamedWithKeyAndFile() throws IOException {
    Path f = write("thresholds:\n  global: 1.5\n");
    assertThatThrownBy(() -> MatcherConfig.load(f))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("matcher.yaml")
        .hasMessageContaining("thresholds.global must be in (0, 1], was 1.5");
  }

  @Test
  void bothBrokersAreRefused() throws IOException {
    Path f = write("broker:\n  embedded: {}\n  external:\n    url: tcp://x:1883\n");
    assertThatThrownBy(() -> MatcherConfig.load(f))
        .hasMessageContaining("matcher.yaml")
        .hasMessageContaining("exactly one of broker.embedded and broker.external");
  }

  @Test
  void nonPostgresJdbcUrlIsRefused() throws IOException {
    Path f = write("store:\n  jdbcUrl: jdbc:mysql://db/x\n");
    assertThatThrownBy(() -> MatcherConfig.load(f))
        .hasMessageContaining("matcher.yaml")
        .hasMessageContaining("store.jdbcUrl must start with jdbc:postgresql:");
  }

  @Test
  void missingFileIsNamed() {
    assertThatThrownBy(() -> MatcherConfig.load(dir.resolve("nope.yaml")))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("nope.yaml: no such file");
  }

  @Test
  void httpIsOffAndOnLoopbackByDefaultAndItsTlsPathIsRelativeToTheFile() throws IOException {
    HttpConfig off = MatcherConfig.load(write("clientId: m1\n")).http();
    assertThat(off.enabled()).isFalse();
    assertThat(off.bind()).isEqualTo("127.0.0.1");
    assertThat(off.port()).isEqualTo(8080);
    HttpConfig on =
        MatcherConfig.load(
                write("http:\n  enabled: true\n  port: 0\n  tls:\n    keyStore: api.p12\n"))
            .http();
    assertThat(on.enabled()).isTrue();
    assertThat(on.port()).isZero();
    assertThat(on.tls().keyStore()).isEqualTo(dir.resolve("api.p12"));
  }

  @Test
  void badHttpValuesAreNamedWithKeyAndFile() throws IOException {
    Path port = write("http:\n  enabled: true\n  port: 70000\n");
    assertThatThrownBy(() -> MatcherConfig.load(port))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("matcher.yaml")
        .hasMessageContaining("http.port must be in 0..65535, was 70000");
    Path tls = write("http:\n  tls: {}\n");
    assertThatThrownBy(() -> MatcherConfig.load(tls))
        .hasMessageContaining("matcher.yaml")
        .hasMessageContaining("http.tls.keyStore must be set");
    Path unknown = write("http:\n  adress: 0.0.0.0\n");
    assertThatThrownBy(() -> MatcherConfig.load(unknown))
        .hasMessageContaining("unknown key 'http.adress'");
  }

  @Test
  void indexAndPoolKeysBindWithDefaultsForTheRest() throws IOException {
    MatcherConfig c =
        MatcherConfig.load(
            write(
                """
        store:
          jdbcUrl: jdbc:postgresql://db/edgecam
          poolSize: 8
        index:
          approximateFrom: 50000
          efSearch: 200
        """));
    assertThat(c.store().poolSize()).isEqualTo(8);
    assertThat(c.index().approximateFrom()).isEqualTo(50_000);
    assertThat(c.index().efSearch()).isEqualTo(200);
    assertThat(c.index().maxConnections()).isEqualTo(IndexConfig.DEFAULT_MAX_CONNECTIONS);
    assertThat(c.index().kind()).isEqualTo(IndexConfig.Kind.SIGN_BITS);
    assertThat(c.index().rerank()).isEqualTo(IndexConfig.DEFAULT_RERANK);
    assertThat(c.index().shortlist()).isEqualTo(IndexConfig.DEFAULT_SHORTLIST);
    IndexConfig hnsw =
        MatcherConfig.load(write("index:\n  kind: hnsw\n  shortlist: 900\n  rerank: 500\n"))
            .index();
    assertThat(hnsw.kind()).isEqualTo(IndexConfig.Kind.HNSW);
    assertThat(hnsw.approximateFrom()).isEqualTo(IndexConfig.DEFAULT_APPROXIMATE_FROM_HNSW);
    assertThat(hnsw.shortlist()).isEqualTo(900);
    assertThat(hnsw.rerank()).isEqualTo(500);
    assertThat(MatcherConfig.load(write("clientId: m1\n")).index())
        .isEqualTo(IndexConfig.defaults());
    assertThat(IndexConfig.defaults().approximateFrom()).isEqualTo(5_000);
  }

  @Test
  void badIndexValueNamesFileAndKey() throws IOException {
    Path f = write("index:\n  efSearch: 0\n");
    assertThatThrownBy(() -> MatcherConfig.load(f))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("matcher.yaml")
        .hasMessageContaining("index.efSearch must be in 1..10000, was 0");
    Path k = write("index:\n  kind: annoy\n");
    assertThatThrownBy(() -> MatcherConfig.load(k))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("matcher.yaml")
        .hasMessageContaining("index.kind must be sign-bits or hnsw, was 'annoy'");
    Path r = write("index:\n  rerank: 0\n");
    assertThatThrownBy(() -> MatcherConfig.load(r))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("index.rerank must be in 1..1000000, was 0");
    Path s = write("index:\n  shortlist: 2000000\n");
    assertThatThrownBy(() -> MatcherConfig.load(s))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("index.shortlist must be in 1..1000000, was 2000000");
    Path g = write("store:\n  poolSize: 0\n");
    assertThatThrownBy(() -> MatcherConfig.load(g))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("store.poolSize must be in 1..64, was 0");
  }
}
