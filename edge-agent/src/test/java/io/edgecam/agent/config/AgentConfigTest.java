package io.edgecam.agent.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.edgecam.runtime.config.ConfigException;
import io.edgecam.runtime.metrics.MetricsConfig;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AgentConfigTest {
  private static final String MINIMAL =
      """
      device: cam-01
      site: lobby
      source:
        type: folder
        path: images
      """;

  @TempDir Path dir;

  private AgentConfig parse(String yaml) {
    return AgentConfig.parse(yaml, "agent.yaml", dir);
  }

  @Test
  void minimalFileGetsEveryDefault() {
    AgentConfig c = parse(MINIMAL);

    assertThat(c.device()).isEqualTo("cam-01");
    assertThat(c.source().type()).isEqualTo(SourceConfig.Type.FOLDER);
    assertThat(c.source().path()).isEqualTo(dir.resolve("images"));
    assertThat(c.source().fps()).isEqualTo(10.0);
    assertThat(c.tracker()).isEqualTo(new TrackerConfig(0.3, 2000, 1000));
    assertThat(c.spool().maxCandidates()).isEqualTo(10_000);
    assertThat(c.mqtt().url()).isEqualTo("tcp://127.0.0.1:1883");
    assertThat(c.mqtt().inFlightWindow()).isEqualTo(8);
    assertThat(c.mqtt().tls().isConfigured()).isFalse();
    assertThat(c.pipeline().precision()).isEqualTo(FacePipelineConfig.Precision.AUTO);
    assertThat(c.pipeline().quality().minFaceSize()).isEqualTo(40);
    assertThat(c.clientId()).isEqualTo("edgecam-agent-cam-01");
    assertThat(c.spoolFile()).isEqualTo(Path.of("/var/lib/edgecam/spool.db"));
  }

  @Test
  void relativePathsResolveAgainstTheConfigFileDirectory() throws IOException {
    Path file = dir.resolve("agent.yaml");
    Files.writeString(file, MINIMAL + "stateDir: state\nspool:\n  path: q/spool.db\n");

    AgentConfig c = AgentConfig.load(file);

    assertThat(c.stateDir()).isEqualTo(dir.resolve("state"));
    assertThat(c.spoolFile()).isEqualTo(dir.resolve("q/spool.db"));
  }

  @Test
  void metricsEndpointIsOffAndOnLocalhostByDefaultAndValidated() {
    AgentConfig c = parse(MINIMAL);
    assertThat(c.metrics()).isEqualTo(new MetricsConfig(false, "127.0.0.1", 9464));
    assertThat(parse(MINIMAL + "metrics: {enabled: true, port: 9100}\n").metrics())
        .isEqualTo(new MetricsConfig(true, "127.0.0.1", 9100));
    assertThatThrownBy(() -> parse(MINIMAL + "metrics:\n  port: 70000\n"))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("agent.yaml")
        .hasMessageContaining("metrics.port must be in 0..65535, was 70000");
  }

  @Test
  void unknownTopLevelKeyIsNamedWithSuggestion() {
    assertThatThrownBy(() -> parse(MINIMAL + "sourc:\n  fps: 3\n"))
        .isInstanceOf(ConfigException.class)
        .hasMessage("agent.yaml: unknown key 'sourc' (did you mean 'source'?)");
  }

  @Test
  void unknownNestedKeyIsNamedWithItsPath() {
    assertThatThrownBy(() -> parse(MINIMAL + "tracker:\n  iouThreshold: 0.5\n"))
        .isInstanceOf(ConfigException.class)
        .hasMessageStartingWith("agent.yaml: unknown key 'tracker.iouThreshold'");
  }

  @Test
  void outOfRangeValueNamesKeyAndFile() {
    assertThatThrownBy(() -> parse(MINIMAL + "tracker:\n  iou: 3\n"))
        .isInstanceOf(ConfigException.class)
        .hasMessage("agent.yaml: tracker.iou must be in (0,1], was 3.0");
  }

  @Test
  void wrongTypeNamesKeyAndFile() {
    assertThatThrownBy(() -> parse(MINIMAL + "spool:\n  maxCandidates: lots\n"))
        .isInstanceOf(ConfigException.class)
        .hasMessageStartingWith("agent.yaml: spool.maxCandidates must be a whole number");
  }

  @Test
  void badEnumValueListsTheChoices() {
    assertThatThrownBy(() -> parse(MINIMAL + "pipeline:\n  precision: fp16\n"))
        .isInstanceOf(ConfigException.class)
        .hasMessageStartingWith("agent.yaml: pipeline.precision must be one of auto, int8, float");
  }

  @Test
  void tiledDetectorsAndTheirSweepKeysBind() {
    var p =
        parse(
                MINIMAL
                    + "pipeline:\n  detector: full+tiles\n  minFaceSize: 28\n  sweepFrames: 4\n"
                    + "  frameBudgetMs: 80\n")
            .pipeline();
    assertThat(p.detector()).isEqualTo(FacePipelineConfig.Detector.FULL_TILES);
    assertThat(p.detector().tiled()).isTrue();
    assertThat(List.of(p.minFaceSize(), p.sweepFrames(), p.frameBudgetMs()))
        .containsExactly(28, 4, 80);
    assertThat(parse(MINIMAL).pipeline().minFaceSize()).isEqualTo(24);
    assertThatThrownBy(() -> parse(MINIMAL + "pipeline:\n  sweepFrames: 0\n"))
        .isInstanceOf(ConfigException.class)
        .hasMessage("agent.yaml: pipeline.sweepFrames must be in 1..64, was 0");
    assertThatThrownBy(() -> parse(MINIMAL + "pipeline:\n  detector: tiles\n"))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("short+tiles");
  }

  @Test
  void missingDeviceIsNamed() {
    assertThatThrownBy(() -> parse("site: lobby\nsource:\n  path: x\n"))
        .isInstanceOf(ConfigException.class)
        .hasMessageStartingWith("agent.yaml: device must be");
  }

  @Test
  void rtspSourceNeedsAnRtspUrl() {
    assertThatThrownBy(
            () -> parse("device: d\nsite: s\nsource:\n  type: rtsp\n  url: http://cam/stream\n"))
        .isInstanceOf(ConfigException.class)
        .hasMessage(
            "agent.yaml: source.url of a rtsp source must start with rtsp:// or rtsps://, was"
                + " http://cam/stream");
  }

  @Test
  void tlsNeedsSslUrlAndCertWithKey() {
    assertThatThrownBy(() -> parse(MINIMAL + "mqtt:\n  tls:\n    ca: ca.pem\n"))
        .isInstanceOf(ConfigException.class)
        .hasMessageStartingWith("agent.yaml: mqtt.url must start with ssl:// when tls is set");
    assertThatThrownBy(
            () -> parse(MINIMAL + "mqtt:\n  url: ssl://b:8883\n  tls:\n    cert: c.pem\n"))
        .isInstanceOf(ConfigException.class)
        .hasMessage("agent.yaml: mqtt.tls.cert and key must be given together for mutual TLS");
  }

  @Test
  void streamPasswordIsMaskedForDisplay() {
    SourceConfig rtsp =
        parse("device: d\nsite: s\nsource:\n  type: rtsp\n  url: rtsp://view:s3cret@cam:554/ch1\n")
            .source();

    assertThat(rtsp.location()).isEqualTo("rtsp://view:s3cret@cam:554/ch1");
    assertThat(rtsp.display()).isEqualTo("rtsp://view:***@cam:554/ch1");
    assertThat(new SourceConfig(SourceConfig.Type.RTSP, null, "rtsp://cam/a@b", 5, false).display())
        .isEqualTo("rtsp://cam/a@b");
    assertThat(
            new SourceConfig(SourceConfig.Type.RTSP, null, "rtsp://user@cam/x", 5, false).display())
        .isEqualTo("rtsp://user@cam/x");
  }

  @Test
  void passwordNeverAppearsInToString() {
    AgentConfig c = parse(MINIMAL + "mqtt:\n  username: u\n  password: s3cret\n");

    assertThat(c.toString()).doesNotContain("s3cret");
  }

  @Test
  void missingFileIsNamed() {
    assertThatThrownBy(() -> AgentConfig.load(dir.resolve("nope.yaml")))
        .isInstanceOf(ConfigException.class)
        .hasMessageEndingWith("nope.yaml: no such file");
  }

  @Test
  void exampleConfigInDeviceConfigIsValid() {
    Path example =
        Path.of(System.getProperty("edgecam.root", "../"), "device-config", "agent.yaml");
    if (Files.exists(example)) {
      assertThat(AgentConfig.load(example).device()).isNotBlank();
    }
  }

  @Test
  void updatesAreOffByDefaultWithAPassingPrefilter() {
    AgentConfig c = parse(MINIMAL);

    assertThat(c.updates().enabled()).isFalse();
    assertThat(c.updates().transport()).isEqualTo(UpdatesConfig.Transport.MQTT);
    assertThat(c.updates().refreshSeconds()).isEqualTo(300);
    assertThat(c.updates().modelProbationMinutes()).isEqualTo(10);
    assertThat(c.updates().prefilter())
        .isEqualTo(new PrefilterConfig(true, 0.3, PrefilterConfig.WithoutWatchlist.PASS));
    assertThat(c.updatesDir()).isEqualTo(Path.of("/var/lib/edgecam/updates"));
  }

  @Test
  void updatesPathsResolveAgainstTheConfigFile() {
    AgentConfig c =
        parse(
            MINIMAL
                + "updates: {enabled: true, root: keys/root.json, transport: directory,"
                + " repository: repo}\n");

    assertThat(c.updates().root()).isEqualTo(dir.resolve("keys/root.json"));
    assertThat(c.updates().repository()).isEqualTo(dir.resolve("repo"));
  }

  @Test
  void enabledUpdatesNeedTheProvisionedRoot() {
    assertThatThrownBy(() -> parse(MINIMAL + "updates: {enabled: true}\n"))
        .isInstanceOf(ConfigException.class)
        .hasMessage(
            "agent.yaml: updates.root must be set when enabled is true (the provisioned"
                + " root.json)");
  }

  @Test
  void badPrefilterSettingsNameTheKey() {
    assertThatThrownBy(() -> parse(MINIMAL + "updates: {prefilter: {threshold: 1.5}}\n"))
        .isInstanceOf(ConfigException.class)
        .hasMessage("agent.yaml: updates.prefilter.threshold must be in (0, 1], was 1.5");
    assertThatThrownBy(() -> parse(MINIMAL + "updates: {prefilter: {treshold: 0.2}}\n"))
        .isInstanceOf(ConfigException.class)
        .hasMessage(
            "agent.yaml: unknown key 'updates.prefilter.treshold' (did you mean 'threshold'?)");
    assertThatThrownBy(() -> parse(MINIMAL + "updates: {prefilter: {withoutWatchlist: drop}}\n"))
        .isInstanceOf(ConfigException.class)
        .hasMessageStartingWith(
            "agent.yaml: updates.prefilter.withoutWatchlist must be one of pass, block");
  }
}
