package io.edgecam.ctl.doctor;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code edgecam doctor [--config FILE] [--json] [--frames N]}: checks a device (config, model
 * files and hashes, a test inference, camera/source, detector scale, clock, spool disk, broker,
 * TLS, GPIO; with {@code --frames} a survey of the live source) and prints one line per check with
 * OK/WARN/FAIL and what to do. Exit codes: 0 no FAIL (WARNs allowed), 1 any FAIL (an invalid config
 * is a FAIL too: finding it is the doctor's job), 2 usage error.
 */
@Command(
    name = "doctor",
    mixinStandardHelpOptions = true,
    description =
        "Check this device: config, models, camera, clock, disk, broker, TLS; say what to fix.")
public final class DoctorCommand implements Callable<Integer> {
  private static final ObjectMapper JSON = new ObjectMapper();

  @Spec CommandSpec spec;

  @Option(
      names = "--config",
      paramLabel = "FILE",
      defaultValue = "/etc/edgecam/agent.yaml",
      description = "Agent configuration to check (default: ${DEFAULT-VALUE}).")
  Path config;

  @Option(
      names = "--json",
      description = "Print {\"checks\":[{name,status,detail,fix}],\"ok\":bool}.")
  boolean json;

  @Option(
      names = "--frames",
      paramLabel = "N",
      defaultValue = "0",
      description =
          "Also survey N frames of the source with the configured pipeline: faces per size,"
              + " time per frame, advice (zoom, resolution, mounting) (default: no survey).")
  int frames;

  @Override
  public Integer call() throws JsonProcessingException {
    if (frames < 0 || frames > 100_000) {
      spec.commandLine()
          .getErr()
          .println("edgecam doctor: --frames must be in 0..100000, was " + frames);
      return 2;
    }
    List<CheckResult> results = new Doctor(Clock.systemUTC()).run(config, frames);
    boolean ok = results.stream().noneMatch(r -> r.status() == CheckResult.Status.FAIL);
    PrintWriter out = spec.commandLine().getOut();
    if (json) {
      out.println(JSON.writeValueAsString(toJson(results, ok)));
    } else {
      results.forEach(r -> out.println(r.line()));
      long fails = results.stream().filter(r -> r.status() == CheckResult.Status.FAIL).count();
      long warns = results.stream().filter(r -> r.status() == CheckResult.Status.WARN).count();
      out.println(
          ok && warns == 0 ? "all checks passed" : fails + " failed, " + warns + " warning(s)");
    }
    out.flush();
    return ok ? 0 : 1;
  }

  static ObjectNode toJson(List<CheckResult> results, boolean ok) {
    ObjectNode root = JSON.createObjectNode();
    ArrayNode checks = root.putArray("checks");
    for (CheckResult r : results) {
      checks
          .addObject()
          .put("name", r.name())
          .put("status", r.status().name())
          .put("detail", r.detail())
          .put("fix", r.fix());
    }
    root.put("ok", ok);
    return root;
  }
}
