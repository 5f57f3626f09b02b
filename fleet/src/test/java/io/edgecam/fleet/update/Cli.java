package io.edgecam.fleet.update;

import io.edgecam.fleet.cli.KeysCommand;
import io.edgecam.fleet.cli.ModelCommand;
import io.edgecam.fleet.cli.RepoCommand;
import io.edgecam.fleet.cli.WatchlistPublishCommand;
import io.edgecam.matcher.cli.WatchlistCommand;
import io.edgecam.protocol.EdgecamException;
import java.io.PrintWriter;
import java.io.StringWriter;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** Runs the maintainer commands as {@code ./edgecam} does (same error handling). */
public final class Cli {
  /** Exit code and output of one run. */
  public record Run(int exit, String out, String err) {
    @Override
    public String toString() {
      return "exit " + exit + "\nstdout:\n" + out + "\nstderr:\n" + err;
    }
  }

  @Command(
      name = "edgecam",
      subcommands = {KeysCommand.class, RepoCommand.class, ModelCommand.class})
  static final class Root {}

  private Cli() {}

  public static Run run(String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    CommandLine cl = new CommandLine(new Root());
    cl.addSubcommand(
        new CommandLine(new WatchlistCommand())
            .addSubcommand(new WatchlistPublishCommand())
            .addSubcommand(new WatchlistPublishCommand.RolloutCmd()));
    cl.setOut(new PrintWriter(out, true));
    cl.setErr(new PrintWriter(err, true));
    cl.setExecutionExceptionHandler(
        (ex, c, parse) -> {
          if (ex instanceof EdgecamException) {
            c.getErr().println("edgecam " + c.getCommandName() + ": " + ex.getMessage());
            return 1;
          }
          throw ex;
        });
    int exit = cl.execute(args);
    return new Run(exit, out.toString(), err.toString());
  }
}
