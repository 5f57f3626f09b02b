package io.edgecam.ctl;

import io.edgecam.agent.cli.AgentCommand;
import io.edgecam.agent.cli.BenchPipelineCommand;
import io.edgecam.agent.cli.CompareCommand;
import io.edgecam.agent.cli.DetectCommand;
import io.edgecam.agent.cli.EmbedCommand;
import io.edgecam.ctl.bench.BenchCommand;
import io.edgecam.ctl.bench.BenchDetectCommand;
import io.edgecam.ctl.bench.BenchSealingCommand;
import io.edgecam.ctl.bench.BenchWireCommand;
import io.edgecam.ctl.demo.BenchE2eCommand;
import io.edgecam.ctl.demo.BenchLoadCommand;
import io.edgecam.ctl.demo.DemoCommand;
import io.edgecam.ctl.doctor.DoctorCommand;
import io.edgecam.ctl.eval.EvalCommand;
import io.edgecam.ctl.provision.CaCommand;
import io.edgecam.ctl.provision.ProvisionCommand;
import io.edgecam.fleet.cli.KeysCommand;
import io.edgecam.fleet.cli.ModelCommand;
import io.edgecam.fleet.cli.RepoCommand;
import io.edgecam.fleet.cli.SealingKeysCommand;
import io.edgecam.fleet.cli.WatchlistPublishCommand;
import io.edgecam.matcher.cli.AuditCommand;
import io.edgecam.matcher.cli.BenchMatcherCommand;
import io.edgecam.matcher.cli.EnrollCommand;
import io.edgecam.matcher.cli.MatcherCommand;
import io.edgecam.matcher.cli.PurgeCommand;
import io.edgecam.matcher.cli.ReportCommand;
import io.edgecam.matcher.cli.TokenCommand;
import io.edgecam.matcher.cli.WatchlistCommand;
import picocli.CommandLine;

/** Registers every subcommand of {@code edgecam}, in the order {@code --help} lists them. */
final class Commands {
  private Commands() {}

  static void register(CommandLine cl) {
    if (!DeviceCommands.matcherInstalled()) { // the edgecam-agent package
      DeviceCommands.register(cl);
      return;
    }
    cl.addSubcommand(new DemoCommand());
    cl.addSubcommand(new DetectCommand());
    cl.addSubcommand(new EmbedCommand());
    cl.addSubcommand(new CompareCommand());
    cl.addSubcommand(new EvalCommand());
    cl.addSubcommand(new AgentCommand());
    CommandLine matcher = new CommandLine(new MatcherCommand());
    matcher.addSubcommand(new TokenCommand());
    cl.addSubcommand(matcher);
    cl.addSubcommand(new EnrollCommand());
    cl.addSubcommand(
        new CommandLine(new WatchlistCommand())
            .addSubcommand(new WatchlistPublishCommand())
            .addSubcommand(new WatchlistPublishCommand.RolloutCmd()));
    // keys init (TUF) and keys sealing (sealed candidates).
    cl.addSubcommand(new CommandLine(new KeysCommand()).addSubcommand(new SealingKeysCommand()));
    cl.addSubcommand(new RepoCommand());
    cl.addSubcommand(new ModelCommand());
    cl.addSubcommand(new AuditCommand());
    cl.addSubcommand(new PurgeCommand());
    cl.addSubcommand(new ReportCommand());
    cl.addSubcommand(new DoctorCommand());
    cl.addSubcommand(new CaCommand());
    cl.addSubcommand(new ProvisionCommand());
    CommandLine bench = new CommandLine(new BenchCommand());
    bench.addSubcommand(new BenchPipelineCommand());
    bench.addSubcommand(new BenchDetectCommand());
    bench.addSubcommand(new BenchWireCommand());
    bench.addSubcommand(new BenchMatcherCommand());
    bench.addSubcommand(new BenchE2eCommand());
    bench.addSubcommand(new BenchLoadCommand());
    bench.addSubcommand(new BenchSealingCommand());
    cl.addSubcommand(bench);
  }
}
