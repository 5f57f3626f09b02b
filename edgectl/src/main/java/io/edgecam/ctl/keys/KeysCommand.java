package io.edgecam.ctl.keys;

import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** {@code edgecam keys ...}: key tools. */
@Command(
    name = "keys",
    mixinStandardHelpOptions = true,
    description = "Key tools (sealing keys for candidates).")
public final class KeysCommand implements Runnable {
  @Spec CommandSpec spec;

  @Override
  public void run() {
    spec.commandLine().usage(spec.commandLine().getOut());
  }
}
