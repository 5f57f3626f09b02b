package io.edgecam.agent.fuzz;

import com.code_intelligence.jazzer.junit.FuzzTest;
import io.edgecam.face.image.ImageDecodeException;
import io.edgecam.face.inference.ModelLoadException;
import io.edgecam.runtime.config.ConfigException;
import java.nio.charset.StandardCharsets;

/**
 * Every decoder of what the agent reads from files, on every input: agent config YAML ({@link
 * ConfigException} only), model manifest JSON ({@link ModelLoadException} only) and images ({@link
 * ImageDecodeException} only). The bounded fuzz run of {@code mvn verify} runs this target; {@link
 * AgentConfigFuzzTest}, {@link ModelManifestFuzzTest} and {@link ImageFuzzTest} are the per-decoder
 * targets for long sessions (docs/fuzzing.md).
 */
class AllAgentInputsFuzzTest {
  @FuzzTest(maxDuration = "60s")
  void decode(byte[] input) {
    AgentConfigFuzzTest.parse(new String(input, StandardCharsets.UTF_8));
    new ModelManifestFuzzTest().parse(input);
    new ImageFuzzTest().decode(input);
  }
}
