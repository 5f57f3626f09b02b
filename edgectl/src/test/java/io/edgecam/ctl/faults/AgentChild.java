package io.edgecam.ctl.faults;

import io.edgecam.agent.config.AgentConfig;
import io.edgecam.agent.service.AgentService;
import io.edgecam.agent.service.OneFaceAnalyzer;
import io.edgecam.agent.service.Prefilter;
import java.nio.file.Path;
import java.time.Duration;

/**
 * The real agent service (spool, MQTT link, tracker) in a JVM of its own, so that a test can kill
 * it with SIGKILL. The analyzer is the one-face stand-in: these tests are about delivery, not
 * TFLite. Exit code 0 when the source ended and the spool drained.
 */
public final class AgentChild {
  private AgentChild() {}

  public static void main(String[] args) throws Exception {
    AgentConfig config = AgentConfig.load(Path.of(args[0]));
    try (AgentService agent = new AgentService(config, new OneFaceAnalyzer(), Prefilter.PASS_ALL)) {
      System.exit(agent.runOnce(Duration.ofMinutes(5)) ? 0 : 3);
    }
  }
}
