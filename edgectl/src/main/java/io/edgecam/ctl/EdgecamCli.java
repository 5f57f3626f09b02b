package io.edgecam.ctl;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * The {@code edgecam} command: every tool of the system behind one entry point (DESIGN.md section
 * 7). Exit codes: 0 ok, 1 runtime failure, 2 usage or config error.
 */
@Command(
    name = "edgecam",
    mixinStandardHelpOptions = true,
    versionProvider = VersionProvider.class,
    description =
        "Privacy-respecting edge face matching: on-device detection and embedding,"
            + " embeddings (never images) over MQTT 5, central watchlist matcher.",
    subcommands = {CommandLine.HelpCommand.class})
public final class EdgecamCli implements Runnable {

  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  public static void main(String[] args) {
    configureLogging(args);
    // TCP_NODELAY for every JDK HTTP server in the process (REST API, /metrics): without it each
    // response waits ~40 ms for a delayed ACK (see OperatorServer). Read once by the JDK.
    if (System.getProperty("sun.net.httpserver.nodelay") == null) {
      System.setProperty("sun.net.httpserver.nodelay", "true");
    }
    System.exit(execute(args));
  }

  /** Runs the command line and returns the exit code; for tests and the launcher. */
  public static int execute(String... args) {
    return commandLine().execute(args);
  }

  /** The configured command tree (all subcommands registered). */
  public static CommandLine commandLine() {
    CommandLine cl = new CommandLine(new EdgecamCli());
    Commands.register(cl);
    cl.setExecutionExceptionHandler(new UserErrorHandler());
    return cl;
  }

  @Override
  public void run() {
    spec.commandLine().usage(spec.commandLine().getOut());
  }

  /**
   * Long-running services log at INFO; one-shot tools only say what goes wrong (WARN), so their
   * output stays readable. EDGECAM_LOG overrides.
   */
  private static void configureLogging(String[] args) {
    String key = "org.slf4j.simpleLogger.defaultLogLevel";
    if (System.getProperty(key) != null) {
      return;
    }
    String env = System.getenv("EDGECAM_LOG");
    String first = args.length > 0 ? args[0] : "";
    if (args.length > 1 && args[0].equals("matcher") && args[1].equals("token")) {
      first = "matcher token"; // a one-shot tool, not the service
    }
    String level =
        env != null && !env.isBlank()
            ? env
            : switch (first) {
              case "agent", "matcher" -> "info";
              default -> "warn";
            };
    System.setProperty(key, level);
    System.setProperty("org.slf4j.simpleLogger.logFile", "System.err");
    System.setProperty("org.slf4j.simpleLogger.showDateTime", "true");
    System.setProperty("org.slf4j.simpleLogger.dateTimeFormat", "HH:mm:ss.SSS");
  }
}
