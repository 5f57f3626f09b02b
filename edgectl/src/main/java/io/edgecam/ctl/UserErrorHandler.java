package io.edgecam.ctl;

import io.edgecam.protocol.EdgecamException;
import picocli.CommandLine;

/**
 * Turns an exception that escaped a command into one line on stderr and an exit code: our own
 * exceptions carry a message meant for the user (exit 1); anything else is a bug, so its stack
 * trace is printed as well.
 */
final class UserErrorHandler implements CommandLine.IExecutionExceptionHandler {
  @Override
  public int handleExecutionException(
      Exception ex, CommandLine cl, CommandLine.ParseResult parseResult) {
    String prefix = cl.getCommandSpec().qualifiedName() + ": ";
    if (ex instanceof EdgecamException) {
      cl.getErr().println(prefix + ex.getMessage());
      return 1;
    }
    cl.getErr().println(prefix + "internal error: " + ex);
    ex.printStackTrace(cl.getErr());
    return 1;
  }
}
