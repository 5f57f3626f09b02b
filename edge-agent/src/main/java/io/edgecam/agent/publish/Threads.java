package io.edgecam.agent.publish;

import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;

/** Named daemon threads for the broker link and the publishers. */
final class Threads {
  private Threads() {}

  static ScheduledExecutorService singleScheduled(String name) {
    return Executors.newSingleThreadScheduledExecutor(
        r -> {
          Thread t = new Thread(r, name);
          t.setDaemon(true);
          return t;
        });
  }
}
