package io.edgecam.matcher.cli;

import io.edgecam.matcher.MatcherLiveness;
import io.edgecam.matcher.MatcherService;
import io.edgecam.matcher.config.ConfigException;
import io.edgecam.matcher.config.MatcherConfig;
import io.edgecam.matcher.config.OversightConfig;
import io.edgecam.protocol.Topics;
import io.edgecam.runtime.systemd.SystemdNotifier;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import org.jspecify.annotations.Nullable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code edgecam matcher --config FILE}: runs the matcher until SIGTERM or Ctrl-C. */
@Command(
    name = "matcher",
    mixinStandardHelpOptions = true,
    description = {
      "Run the central matcher (embedded or external MQTT broker) until stopped.",
      "With http.enabled in the config it also serves the REST API and dashboard; create API"
          + " tokens with 'matcher token create'."
    })
public final class MatcherCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  // Not required = true: picocli would then demand it for subcommands (matcher token ...) too.
  @Option(
      names = "--config",
      paramLabel = "FILE",
      description = "Matcher config (see device-config/matcher.yaml); required to run.")
  @Nullable Path config;

  @Override
  public Integer call() throws InterruptedException {
    if (config == null) {
      throw new CommandLine.ParameterException(
          spec.commandLine(), "Missing required option: '--config=FILE'");
    }
    MatcherConfig cfg;
    try {
      cfg = MatcherConfig.load(config);
    } catch (ConfigException e) {
      throw new CommandLine.ParameterException(
          spec.commandLine(), e.getMessage(), e, null, config.toString());
    }
    MatcherService service;
    try {
      service = MatcherService.start(cfg);
    } catch (ConfigException e) {
      // Refused at start (e.g. a fixed threshold above the false-alarm target): a config error.
      throw new CommandLine.ParameterException(
          spec.commandLine(),
          config.getFileName() + ": " + e.getMessage(),
          e,
          null,
          config.toString());
    }
    // systemd Type=notify + watchdog (issue 6): READY=1 now that it is subscribed; a no-op
    // outside systemd.
    SystemdNotifier notifier =
        SystemdNotifier.fromEnvironment(
            System.getenv(),
            MatcherLiveness.of(service, SystemdNotifier.watchdogOrDefault(System.getenv())));
    CountDownLatch stopped = new CountDownLatch(1);
    // The JVM runs shutdown hooks on SIGTERM/SIGINT; close cleanly there, then let main return.
    Runtime.getRuntime()
        .addShutdownHook(
            new Thread(
                () -> {
                  notifier.stopping();
                  service.close();
                  stopped.countDown();
                },
                "matcher-shutdown"));
    spec.commandLine()
        .getOut()
        .println(
            "matcher running on "
                + service.brokerUrl()
                + (service.http() == null
                    ? ""
                    : ", dashboard and API on " + service.http().url() + "/")
                + "; stop with SIGTERM or Ctrl-C");
    spec.commandLine().getOut().println(oversightLine(service.oversight().confirmations()));
    spec.commandLine().getOut().flush();
    notifier.ready("subscribed to " + service.candidatesFilter() + " on " + service.brokerUrl());
    stopped.await();
    return 0;
  }

  /** The start banner's line on human verification; a warning when it is below two persons. */
  static String oversightLine(int confirmations) {
    return confirmations < OversightConfig.DEFAULT_CONFIRMATIONS
        ? "WARNING: oversight.confirmations is "
            + confirmations
            + ": one person's confirmation sends an alert to the webhook and "
            + Topics.VERIFIED_ALERTS
            + " (default, and EU AI Act Art. 14(5): "
            + OversightConfig.DEFAULT_CONFIRMATIONS
            + " different persons)"
        : "alerts go to the webhook and "
            + Topics.VERIFIED_ALERTS
            + " only after "
            + confirmations
            + " different persons confirmed them";
  }
}
