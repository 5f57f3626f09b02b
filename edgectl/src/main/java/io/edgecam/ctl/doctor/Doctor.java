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
    results.add(SourceCheck.run(config.source()));
    results.add(ScaleCheck.run(config.source(), config.pipeline()));
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
