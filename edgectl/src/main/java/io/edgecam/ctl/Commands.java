package io.edgecam.ctl;

import picocli.CommandLine;

/** Registers every subcommand of {@code edgecam}, in the order {@code --help} lists them. */
final class Commands {
  private Commands() {}

  static void register(CommandLine cl) {
  }
}
