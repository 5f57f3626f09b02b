package io.edgecam.agent.cli;

import io.edgecam.agent.capture.CaptureException;
import io.edgecam.agent.config.AgentConfig;
import io.edgecam.agent.gpio.AgentGpio;
import io.edgecam.agent.gpio.GpioHooks;
import io.edgecam.agent.service.AgentCounters;
import io.edgecam.agent.service.AgentService;
import io.edgecam.agent.systemd.AgentLiveness;
import io.edgecam.protocol.EdgecamException;
import io.edgecam.runtime.config.ConfigException;
import io.edgecam.runtime.systemd.SystemdNotifier;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code edgecam agent --config FILE [--once] [--timeout SECONDS]}: runs the edge agent until
 * stopped (SIGTERM/SIGINT), or with {@code --once} processes the source once and exits when every
 * candidate is acknowledged by the broker. Exit codes: 0 ok, 1 runtime failure (or --once timed
 * out), 2 config error (the message names the key and file).
 */
@Command(
    name = "agent",
    mixinStandardHelpOptions = true,
    description = "Run the edge agent: frames -> faces -> candidates -> MQTT.")
public final class AgentCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Option(
      names = "--config",
      required = true,
      paramLabel = "FILE",
      description = "Agent configuration (see device-config/agent.yaml).")
  Path config;

  @Option(
      names = "--once",
      description = "Process the source once, wait until the spool is drained, then exit.")
  boolean once;

  @Option(
      names = "--timeout",
      paramLabel = "SECONDS",
      defaultValue = "120",
      description = "With --once: give up after this many seconds (default: ${DEFAULT-VALUE}).")
  long timeoutSeconds;

  @Override
  public Integer call() throws Exception {
    PrintWriter out = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    AgentConfig cfg;
    try {
      cfg = AgentConfig.load(config);
    } catch (ConfigException e) {
      err.println("edgecam agent: " + e.getMessage());
      err.flush();
      return 2;
    }
    AgentService service;
    try {
      service = AgentService.create(cfg);
    } catch (EdgecamException e) {
      err.println("edgecam agent: " + e.getMessage());
      err.flush();
      return e instanceof ConfigException ? 2 : 1;
    }
    try (service) {
      if (once) {
        boolean drained = service.runOnce(Duration.ofSeconds(timeoutSeconds));
        AgentCounters c = service.counters();
        out.printf(
            "frames %d, faces %d, candidates %d, published %d (%d bytes), dropped %d%n",
            c.frames(),
            c.faces(),
            c.spooled(),
            service.published(),
            service.bytesPublished(),
            service.dropped());
        out.flush();
        if (!drained) {
          err.println(
              "edgecam agent: not every candidate was acknowledged within "
                  + timeoutSeconds
                  + " s; they stay in the spool for the next run");
          err.flush();
          return 1;
        }
        return 0;
      }
      // GPIO (issue 6): status LED, motion gate, tamper switch; in place before the first frame.
      // The tamper switch wipes the update client's watchlist copy. The LED's "updating" pattern
      // has no source yet: the update client exposes no in-progress flag.
      AgentGpio gpio =
          AgentGpio.attach(cfg.gpio(), service, new GpioHooks(service::wipeWatchlist, () -> false));
      try {
        service.start();
      } catch (RuntimeException e) {
        gpio.close();
        throw e;
      }
      // systemd Type=notify + watchdog (issue 6); a no-op outside systemd.
      SystemdNotifier notifier =
          SystemdNotifier.fromEnvironment(
              System.getenv(),
              AgentLiveness.of(
                  service, cfg.source(), SystemdNotifier.watchdogOrDefault(System.getenv())));
      Thread hook =
          new Thread(
              () -> {
                notifier.stopping();
                service.close();
                gpio.close();
              },
              "edgecam-shutdown");
      Runtime.getRuntime().addShutdownHook(hook);
      notifier.ready(
          "running: " + cfg.source().type().name().toLowerCase() + " -> " + cfg.mqtt().url());
      service.awaitSourceEnd();
      // A finite source ended: keep sending until drained, then exit cleanly.
      while (!service.awaitDrained(Duration.ofMinutes(1))) {
        err.println("edgecam agent: source ended; waiting for the broker to take the rest");
        err.flush();
      }
      // A pipeline that died is a failure, so that Restart=on-failure starts it again.
      return service.pipelineFailed() ? 1 : 0;
    } catch (CaptureException e) {
      err.println("edgecam agent: " + e.getMessage());
      err.flush();
      return 2;
    }
  }
}
