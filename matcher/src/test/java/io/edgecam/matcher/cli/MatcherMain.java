package io.edgecam.matcher.cli;

import picocli.CommandLine;

/**
 * {@code java MatcherMain --config FILE}: the matcher command as a process of its own, for tests.
 */
public final class MatcherMain {
  private MatcherMain() {}

  public static void main(String[] args) {
    System.exit(new CommandLine(new MatcherCommand()).execute(args));
  }
}
