package io.edgecam.agent.update;

import io.edgecam.agent.config.AgentConfig;
import io.edgecam.protocol.JsonMessages;
import io.edgecam.protocol.tuf.DirectoryFetcher;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Objects;
import java.util.concurrent.TimeUnit;

/**
 * The agent's update client alone, as a process a test can kill -9: opens the client on the config
 * file given as argument (resolving models and the watchlist as the agent does at start), runs one
 * refresh over the directory transport, prints each update event, exits 0. With {@code
 * EDGECAM_UPDATE_PAUSE_AT=<stage>} it stops at that stage of a model update (see {@link
 * StageHook}).
 */
public final class UpdateCrashMain {
  private UpdateCrashMain() {}

  public static void main(String[] args) throws Exception {
    AgentConfig config = AgentConfig.load(Path.of(args[0]));
    try (UpdateClient c = UpdateClient.open(config, "0.1.0")) {
      c.start(
          new DirectoryFetcher(Objects.requireNonNull(config.updates().repository())),
          e -> System.out.println(new String(JsonMessages.encode(e), StandardCharsets.UTF_8)));
      c.refreshNow().get(5, TimeUnit.MINUTES);
      System.out.println("versions " + c.versions());
    }
  }
}
