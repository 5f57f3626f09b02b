package io.edgecam.ctl;

import io.edgecam.agent.cli.AgentCommand;
import io.edgecam.agent.cli.BenchPipelineCommand;
import io.edgecam.agent.cli.CompareCommand;
import io.edgecam.agent.cli.DetectCommand;
import io.edgecam.agent.cli.EmbedCommand;
import io.edgecam.ctl.bench.BenchCommand;
import io.edgecam.ctl.bench.BenchWireCommand;
import io.edgecam.ctl.doctor.DoctorCommand;
import picocli.CommandLine;

/**
 * The commands of a device installation (the {@code edgecam-agent} package), which ships without
 * the matcher, its broker and the fleet CA's libraries: only what runs on a camera. {@code eval} is
 * maintainer tooling (it draws plots with JFreeChart, which the device package leaves out), so it
 * is not here either.
 */
final class DeviceCommands {
  /** A class of the matcher module; absent from the device package. */
  private static final String MATCHER_CLASS = "io.edgecam.matcher.cli.MatcherCommand";

  private DeviceCommands() {}

  /** Whether this installation has the matcher (and so every command). */
  static boolean matcherInstalled() {
    try {
      Class.forName(MATCHER_CLASS, false, DeviceCommands.class.getClassLoader());
      return true;
    } catch (ClassNotFoundException e) {
      return false;
    }
  }

  static void register(CommandLine cl) {
    cl.addSubcommand(new DetectCommand());
    cl.addSubcommand(new EmbedCommand());
    cl.addSubcommand(new CompareCommand());
    cl.addSubcommand(new AgentCommand());
    cl.addSubcommand(new DoctorCommand());
    CommandLine bench = new CommandLine(new BenchCommand());
    bench.addSubcommand(new BenchPipelineCommand());
    bench.addSubcommand(new BenchWireCommand());
    cl.addSubcommand(bench);
  }
}
