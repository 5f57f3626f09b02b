package io.edgecam.ctl.doctor;

import io.edgecam.agent.config.AgentConfig;
import io.edgecam.agent.gpio.GpioChips;
import io.edgecam.runtime.config.ConfigException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * Runs the device checks in order, each independent of the others' outcome except where one cannot
 * run without another (no config: nothing else; no model files: no inference; no broker: no TLS
 * handshake).
 */
final class Doctor {
  private final Clock clock;

  Doctor(Clock clock) {
    this.clock = clock;
  }

  List<CheckResult> run(Path configFile) {
    return run(configFile, 0);
  }

  /**
   * The checks, then a survey of {@code surveyFrames} frames (0: none) if source and models work.
   */
  List<CheckResult> run(Path configFile, int surveyFrames) {
    List<CheckResult> results = new ArrayList<>();
    AgentConfig config;
    try {
      config = AgentConfig.load(configFile);
    } catch (ConfigException e) {
      results.add(
          CheckResult.fail(
              "config",
              e.getMessage(),
              "fix " + configFile + " (device-config/agent.yaml documents every key)"));
      return results;
    }
    results.add(
        CheckResult.ok(
            "config",
            configFile + " is valid (device " + config.device() + ", site " + config.site() + ")"));
    CheckResult models = ModelChecks.files(config.pipeline());
    results.add(models);
    if (models.status() != CheckResult.Status.FAIL) {
      results.add(ModelChecks.inference(config.pipeline()));
    }
    CheckResult source = SourceCheck.run(config.source());
    results.add(source);
    results.add(ScaleCheck.run(config.source(), config.pipeline()));
    if (surveyFrames > 0) {
      results.add(
          source.status() == CheckResult.Status.OK && models.status() == CheckResult.Status.OK
              ? SurveyCheck.run(config, surveyFrames)
              : CheckResult.fail(
                  SurveyCheck.NAME, "not run: source or models failed", "fix those first"));
    }
    Instant now = clock.instant();
    results.add(ClockCheck.run(config.mqtt().tls(), now));
    results.add(DiskCheck.run(config));
    CheckResult broker = BrokerCheck.reachability(config.mqtt());
    results.add(broker);
    if (config.mqtt().tls().isConfigured() && broker.status() == CheckResult.Status.OK) {
      results.add(BrokerCheck.tls(config.mqtt(), now));
    } else if (config.mqtt().tls().isConfigured()) {
      results.add(BrokerCheck.material(config.mqtt()));
    }
    results.add(GpioCheck.run(config.gpio(), GpioChips.DEV));
    return results;
  }
}
