package io.edgecam.ctl.bench;

import io.edgecam.protocol.WireStats;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code edgecam bench wire}: bytes per candidate, payload and MQTT 5 PUBLISH packet. */
@Command(
    name = "wire",
    mixinStandardHelpOptions = true,
    description = "Bytes per candidate: CBOR payload and the MQTT 5 PUBLISH packet on the wire.")
public final class BenchWireCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Option(
      names = "--dimensions",
      defaultValue = "192",
      description = "Embedding size (default: ${DEFAULT-VALUE}).")
  int dimensions;

  @Option(names = "--json", description = "Print one JSON object.")
  boolean json;

  @Override
  public Integer call() {
    if (dimensions < 1 || dimensions > 1024) {
      throw new picocli.CommandLine.ParameterException(
          spec.commandLine(), "--dimensions must be in 1..1024, was " + dimensions);
    }
    WireStats.WireSize size = WireStats.representative(dimensions);
    var out = spec.commandLine().getOut();
    if (json) {
      out.println(size.toJson());
    } else {
      out.printf(
          "candidate (%d-d) on %s:%n  payload %d bytes (target <= 256)%n  MQTT 5 PUBLISH packet %d bytes%n",
          size.dimensions(), size.topic(), size.payloadBytes(), size.publishPacketBytes());
    }
    return 0;
  }
}
