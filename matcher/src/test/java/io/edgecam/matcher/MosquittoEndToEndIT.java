package io.edgecam.matcher;

import io.edgecam.matcher.config.BrokerConfig;
import io.edgecam.matcher.config.MatcherConfig;
import io.edgecam.matcher.testing.MosquittoBroker;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;

/** The end-to-end scenarios through a real Mosquitto 2 (a process of this test's own). */
class MosquittoEndToEndIT extends MatcherEndToEndScenarios {
  private MosquittoBroker mosquitto;

  @Override
  MatcherConfig config(Path dir) throws Exception {
    if (mosquitto == null) {
      mosquitto = MosquittoBroker.start(dir.resolve("mosquitto"));
    }
    return MatcherConfig.embeddedIn(dir).withBroker(BrokerConfig.external(mosquitto.url()));
  }

  @AfterEach
  void stopMosquitto() throws Exception {
    tearDown();
    if (mosquitto != null) {
      mosquitto.close();
    }
  }
}
