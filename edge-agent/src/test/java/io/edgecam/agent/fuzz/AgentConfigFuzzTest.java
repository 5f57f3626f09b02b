package io.edgecam.agent.fuzz;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import io.edgecam.agent.config.AgentConfig;
import io.edgecam.runtime.config.ConfigException;
import java.nio.file.Path;

/** agent.yaml: {@link AgentConfig#parse} throws nothing but {@link ConfigException}. */
class AgentConfigFuzzTest {
  private static final Path BASE = Path.of(System.getProperty("java.io.tmpdir"), "edgecam-fuzz");

  @FuzzTest(maxDuration = "60s")
  void parse(FuzzedDataProvider data) {
    parse(data.consumeRemainingAsString());
  }

  static void parse(String yaml) {
    try {
      AgentConfig c = AgentConfig.parse(yaml, "fuzz.yaml", BASE);
      if (c.device() == null || c.spoolFile() == null) {
        throw new AssertionError("parsed a config without device or spool file");
      }
    } catch (ConfigException e) {
      if (!e.getMessage().startsWith("fuzz.yaml: ")) {
        throw new AssertionError("config error does not name the file: " + e.getMessage(), e);
      }
    }
  }
}
